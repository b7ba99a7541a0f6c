import { Badge, Button, Group, Title } from '@mantine/core';
import { IconDeviceDesktop, IconDeviceMobile } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { formatAgo, formatDateTime } from '../status/format';
import classes from './account-security.module.css';
import { describeDevice } from './describe-device';
import { InlineConfirm } from './inline-confirm';
import type { AccountSession } from './sessions-api';

interface SessionItemProps {
  session: AccountSession;
  now: string;
  onRevoke: (session: AccountSession) => Promise<void>;
  /** When the confirmation is cancelled: focus goes back to the button that opened it. */
  revokeButtonId: string;
}

const MOBILE = /iPhone|iPad|Android|Mobile/;

export function SessionItem({ session, now, onRevoke, revokeButtonId }: SessionItemProps) {
  const [confirming, setConfirming] = useState(false);
  const headingId = useId();
  const device = describeDevice(session.userAgent);
  const Icon = session.userAgent && MOBILE.test(session.userAgent) ? IconDeviceMobile : IconDeviceDesktop;

  return (
    <li className={classes.session}>
      <Icon size={28} stroke={1.5} aria-hidden className={classes.sessionIcon} />
      <div className={classes.sessionBody}>
        <Group gap="xs">
          <Title order={3} size="h5" id={headingId}>
            {device}
          </Title>
          {session.current ? (
            <Badge variant="light" color="teal" radius="sm">
              This device
            </Badge>
          ) : null}
        </Group>
        <dl className={classes.sessionFacts}>
          <dt>Signed in</dt>
          <dd>{formatDateTime(session.createdAt)}</dd>
          <dt>Last active</dt>
          <dd>{session.current ? 'Now' : formatAgo(session.lastSeenAt, now)}</dd>
          {session.clientAddress ? (
            <>
              <dt>Network address</dt>
              <dd>{session.clientAddress}</dd>
            </>
          ) : null}
        </dl>
        {!session.current && confirming ? (
          <InlineConfirm
            message={`Revoke this session? ${device} will be signed out, and anyone using it will have to sign in again.`}
            confirmLabel="Yes, revoke"
            onConfirm={() => onRevoke(session)}
            onCancel={() => {
              setConfirming(false);
              requestAnimationFrame(() => document.getElementById(revokeButtonId)?.focus());
            }}
          />
        ) : null}
      </div>
      {!session.current && !confirming ? (
        <Button
          id={revokeButtonId}
          variant="default"
          size="sm"
          className={classes.sessionAction}
          aria-describedby={headingId}
          onClick={() => {
            setConfirming(true);
          }}
        >
          Revoke
        </Button>
      ) : null}
    </li>
  );
}
