import { Button, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeApiError } from '../api/api-error-details';
import { startTotpEnrolment, type TotpEnrolment } from './auth-api';
import { AuthCard } from './auth-card';
import { AuthenticatorStep } from './authenticator-step';
import { sessionMayHaveMoved } from './code-problems';
import { RecoveryCodesStep } from './recovery-codes-step';
import { SessionLoading } from './session-pending';
import { SignInElsewhere } from './sign-in-elsewhere';
import { useSession } from './use-session';

type Enrolment = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; enrolment: TotpEnrolment };

/**
 * Starts an enrolment once per visit. Each start makes a new secret on the server, so React's
 * development double-mount must not start two and show the one that lost the race.
 */
function useTotpEnrolment(): [Enrolment, () => void] {
  const { revalidate } = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment>({ status: 'loading' });
  const started = useRef(false);

  const start = useCallback(() => {
    started.current = true;
    setEnrolment({ status: 'loading' });
    startTotpEnrolment().then(
      (value) => {
        setEnrolment({ status: 'ready', enrolment: value });
      },
      (error: unknown) => {
        setEnrolment({ status: 'failed', message: describeApiError(error) });
        if (sessionMayHaveMoved(error)) revalidate();
      },
    );
  }, [revalidate]);

  useEffect(() => {
    if (!started.current) start();
  }, [start]);

  return [enrolment, start];
}

export function MfaSetupPage() {
  const { state, refresh } = useSession();
  const [enrolment, retry] = useTotpEnrolment();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const email = state.status === 'active' ? state.session.user.email : null;

  if (recoveryCodes) {
    return (
      <AuthCard title="Save your recovery codes" description="Two-step verification is on. One last thing before you start:" wide>
        <RecoveryCodesStep
          codes={recoveryCodes}
          email={email}
          onDone={async () => {
            // A complete session sends this screen on to `returnTo` (see require-mfa-stage.tsx).
            await refresh();
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Set up two-step verification"
      description="Kindling holds information about your supporters, so every account signs in with a password and a code from an app on your phone."
      wide
      footer={<SignInElsewhere />}
    >
      {enrolment.status === 'loading' ? <SessionLoading label="Preparing your setup key…" /> : null}
      {enrolment.status === 'failed' ? (
        <Stack gap="sm" align="flex-start" role="alert">
          <Text fw={600}>Kindling could not prepare your setup key.</Text>
          <Text>{enrolment.message}</Text>
          <Button leftSection={<IconRefresh size={18} aria-hidden />} onClick={retry}>
            Try again
          </Button>
        </Stack>
      ) : null}
      {enrolment.status === 'ready' ? (
        <AuthenticatorStep enrolment={enrolment.enrolment} onConfirmed={setRecoveryCodes} />
      ) : null}
    </AuthCard>
  );
}
