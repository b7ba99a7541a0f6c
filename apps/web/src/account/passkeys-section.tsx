import { Alert, Button, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlus, IconRefresh } from '@tabler/icons-react';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { describeApiError, validationIssues } from '../api/api-error-details';
import { describePasskeyError, passkeysSupported } from '../auth/passkey-ceremony';
import classes from './account-security.module.css';
import { describeDevice } from './describe-device';
import { PasskeyItem } from './passkey-item';
import type { Passkey } from './passkeys-api';
import passkeyClasses from './passkeys.module.css';
import { usePasskeys } from './use-passkeys';

const SIGNED_OUT_ELSEWHERE = 'For your security, you have been signed out everywhere else.';

function problemOf(error: unknown): string {
  return describePasskeyError(error) ?? validationIssues(error)[0]?.message ?? describeApiError(error);
}

interface PasskeysSectionProps {
  /** Adding or removing a passkey signs every other session out: the sessions list needs reading again. */
  onOtherSessionsEnded: () => void;
}

/** Passkeys as a second factor besides the authenticator app: list, add, rename, remove. */
export function PasskeysSection({ onOtherSessionsEnded }: PasskeysSectionProps) {
  const headingId = useId();
  const nameId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { load, reload, add, rename, remove } = usePasskeys();
  const [supported] = useState(passkeysSupported);
  const [name, setName] = useState(() => describeDevice(navigator.userAgent));
  const [nameError, setNameError] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setNameError('Enter a name, such as “Work laptop”, so you can tell your passkeys apart.');
      document.getElementById(nameId)?.focus();
      return;
    }
    setNameError(undefined);
    setProblem(null);
    setAdding(true);
    try {
      const passkey = await add(trimmed);
      setAnnouncement(`Passkey “${passkey.name}” added. ${SIGNED_OUT_ELSEWHERE}`);
      onOtherSessionsEnded();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setAdding(false);
    }
  }

  async function renameOne(passkey: Passkey, newName: string) {
    setProblem(null);
    const renamed = await rename(passkey.id, newName);
    setAnnouncement(`Passkey renamed to “${renamed.name}”.`);
  }

  async function removeOne(passkey: Passkey) {
    setProblem(null);
    try {
      await remove(passkey.id);
      setAnnouncement(`Passkey “${passkey.name}” removed. ${SIGNED_OUT_ELSEWHERE}`);
      onOtherSessionsEnded();
      // The button that was used has gone with its row: continue from the section heading.
      heading.current?.focus();
    } catch (error) {
      setProblem(problemOf(error));
      throw error;
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
        Passkeys
      </Title>
      <Text c="dimmed" mt={4}>
        Finish signing in with your fingerprint, face, screen lock or a security key instead of typing a code. Your
        authenticator app keeps working too.
      </Text>

      <Text role="status" className={classes.announcement}>
        {announcement}
      </Text>

      {problem ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="That did not work" mb="md">
          {problem}
        </Alert>
      ) : null}

      {load.status === 'loading' ? <Skeleton height={88} radius="md" aria-hidden /> : null}

      {load.status === 'failed' ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="Your passkeys could not be loaded">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{describeApiError(load.error)}</Text>
            <Button size="sm" leftSection={<IconRefresh size={16} aria-hidden />} onClick={reload}>
              Try again
            </Button>
          </Stack>
        </Alert>
      ) : null}

      {load.status === 'ready' ? (
        load.passkeys.length === 0 ? (
          <Text mt="md">You have not set up a passkey.</Text>
        ) : (
          <ul className={classes.sessions} aria-label="Passkeys">
            {load.passkeys.map((passkey) => (
              <PasskeyItem key={passkey.id} passkey={passkey} onRename={renameOne} onRemove={removeOne} />
            ))}
          </ul>
        )
      ) : null}

      {supported ? (
        <form noValidate className={passkeyClasses.addForm} aria-label="Add a passkey" onSubmit={(event) => void submit(event)}>
          <TextInput
            id={nameId}
            className={passkeyClasses.addName}
            label="Name for the new passkey"
            description="So you can tell your passkeys apart."
            maxLength={100}
            autoComplete="off"
            value={name}
            error={nameError}
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
          />
          <Button type="submit" loading={adding} leftSection={<IconPlus size={18} aria-hidden />}>
            Add a passkey
          </Button>
        </form>
      ) : (
        <Text mt="md" size="sm">
          This browser cannot use passkeys. Try a current version of Chrome, Edge, Firefox or Safari.
        </Text>
      )}
    </section>
  );
}
