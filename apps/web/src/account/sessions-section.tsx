import { Alert, Button, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import { describeApiError } from '../api/api-error-details';
import classes from './account-security.module.css';
import { describeDevice } from './describe-device';
import { InlineConfirm } from './inline-confirm';
import { SessionItem } from './session-item';
import type { AccountSession } from './sessions-api';
import { useAccountSessions } from './use-account-sessions';

const SIGN_OUT_OTHERS_ID = 'sign-out-others';

function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}

/** Every browser the person is signed in on, with a way to sign any other one out. */
export function SessionsSection() {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { load, reload, revoke } = useAccountSessions();
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmingAll, setConfirmingAll] = useState(false);
  // Rendering time for "5 minutes ago"; a stale value only understates how long ago.
  const [now] = useState(() => new Date().toISOString());

  const sessions = load.status === 'ready' ? load.sessions : [];
  const others = sessions.filter((session) => !session.current);

  async function run(ids: string[], done: string) {
    setProblem(null);
    try {
      await revoke(ids);
      setAnnouncement(done);
      setConfirmingAll(false);
      // The button that was used has gone with its row: continue from the section heading.
      heading.current?.focus();
    } catch (error) {
      setProblem(describeApiError(error));
      throw error;
    }
  }

  const revokeOne = (session: AccountSession) =>
    run([session.id], `${describeDevice(session.userAgent)} has been signed out.`);

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
        Where you are signed in
      </Title>
      <Text c="dimmed" mt={4}>
        If you see a device you do not recognise, revoke it, then tell whoever manages Kindling at your organisation.
      </Text>

      <Text role="status" className={classes.announcement}>
        {announcement}
      </Text>

      {problem ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="That did not work" mb="md">
          {problem}
        </Alert>
      ) : null}

      {load.status === 'loading' ? (
        <Stack gap="sm" aria-hidden>
          <Skeleton height={88} radius="md" />
          <Skeleton height={88} radius="md" />
        </Stack>
      ) : null}

      {load.status === 'failed' ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="Your sessions could not be loaded">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{describeApiError(load.error)}</Text>
            <Button size="sm" leftSection={<IconRefresh size={16} aria-hidden />} onClick={reload}>
              Try again
            </Button>
          </Stack>
        </Alert>
      ) : null}

      {load.status === 'ready' ? (
        <>
          <ul className={classes.sessions} aria-label="Signed-in sessions">
            {sessions.map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                now={now}
                onRevoke={revokeOne}
                revokeButtonId={`revoke-${session.id}`}
              />
            ))}
          </ul>
          {others.length === 0 ? (
            <Text mt="md">You are not signed in anywhere else.</Text>
          ) : confirmingAll ? (
            <InlineConfirm
              message={`Sign out ${plural(others.length, 'other session', 'other sessions')}? You stay signed in here.`}
              confirmLabel="Yes, sign them out"
              onConfirm={() =>
                run(
                  others.map((session) => session.id),
                  `Signed out ${plural(others.length, 'other session', 'other sessions')}. You are now signed in only here.`,
                )
              }
              onCancel={() => {
                setConfirmingAll(false);
                requestAnimationFrame(() => document.getElementById(SIGN_OUT_OTHERS_ID)?.focus());
              }}
            />
          ) : (
            <Button
              id={SIGN_OUT_OTHERS_ID}
              mt="md"
              variant="default"
              onClick={() => {
                setConfirmingAll(true);
              }}
            >
              Sign out everywhere else
            </Button>
          )}
        </>
      ) : null}
    </section>
  );
}
