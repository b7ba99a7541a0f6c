import { Button, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { describeApiError } from '../api/api-error-details';
import { AuthCard } from '../auth/auth-card';
import { SessionLoading } from '../auth/session-pending';
import { EnrolForm } from './enrol-form';
import { inspectInvitation, isUnusableInvitation, type Invitation } from './invitation-api';
import { clearInvitationToken, readInvitationToken } from './invitation-token';
import { InvitationUnusable } from './invitation-unusable';

type Inspection =
  | { status: 'loading' }
  | { status: 'unusable' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; invitation: Invitation };

function useInspection(token: string | null): [Inspection, () => void] {
  const [inspection, setInspection] = useState<Inspection>({ status: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    inspectInvitation(token).then(
      (invitation) => {
        if (!controller.signal.aborted) setInspection({ status: 'ready', invitation });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setInspection(isUnusableInvitation(error) ? { status: 'unusable' } : { status: 'failed', message: describeApiError(error) });
      },
    );
    return () => {
      controller.abort();
    };
  }, [token, round]);

  const retry = useCallback(() => {
    setInspection({ status: 'loading' });
    setRound((previous) => previous + 1);
  }, []);
  return [inspection, retry];
}

/** `/enrol#token=…`: someone invited to an organisation chooses a password, then sets up two-step verification. */
export function EnrolPage() {
  // Read during the first render (a pure read); the address is cleaned up in an effect.
  const [token] = useState(readInvitationToken);
  const [inspection, retry] = useInspection(token);
  const [used, setUsed] = useState(false);

  useEffect(() => {
    clearInvitationToken();
  }, []);

  if (!token) return <InvitationUnusable missingToken />;
  if (inspection.status === 'unusable' || used) return <InvitationUnusable missingToken={false} />;

  return (
    <AuthCard
      title="Set up your Kindling account"
      description="Choose a password, then set up two-step verification with an app on your phone. It takes about five minutes."
    >
      {inspection.status === 'loading' ? <SessionLoading label="Checking your invitation…" /> : null}
      {inspection.status === 'failed' ? (
        <Stack gap="sm" align="flex-start" role="alert">
          <Text fw={600}>Kindling could not check your invitation.</Text>
          <Text>{inspection.message}</Text>
          <Button leftSection={<IconRefresh size={18} aria-hidden />} onClick={retry}>
            Try again
          </Button>
        </Stack>
      ) : null}
      {inspection.status === 'ready' ? (
        <EnrolForm
          token={token}
          invitation={inspection.invitation}
          onUnusable={() => {
            setUsed(true);
          }}
        />
      ) : null}
    </AuthCard>
  );
}
