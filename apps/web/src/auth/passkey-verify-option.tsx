import { Alert, Button, Divider } from '@mantine/core';
import { IconAlertTriangle, IconFingerprint } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { describeApiError } from '../api/api-error-details';
import { sessionMayHaveMoved } from './code-problems';
import { describePasskeyError, passkeysSupported } from './passkey-ceremony';
import { hasPasskeyFactor, verifyWithPasskey } from './passkey-sign-in-api';
import { useSession } from './use-session';

const REFUSED = 'That passkey could not be verified. Try again, or enter a code from your authenticator app.';

function problemOf(error: unknown): string {
  const browserProblem = describePasskeyError(error);
  if (browserProblem !== null) return browserProblem;
  if (error instanceof ApiError && error.status === 401) return REFUSED;
  return describeApiError(error);
}

/**
 * "Use a passkey instead" on the second sign-in step, for people who have set one up (the server
 * says so only to a session that has already passed the password step) on a browser that can.
 */
export function PasskeyVerifyOption() {
  const { refresh, revalidate } = useSession();
  const [available, setAvailable] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!passkeysSupported()) return;
    const controller = new AbortController();
    hasPasskeyFactor(controller.signal).then(
      (hasPasskey) => {
        if (!controller.signal.aborted) setAvailable(hasPasskey);
      },
      // Without the answer the code form still works: offer nothing extra.
      () => undefined,
    );
    return () => {
      controller.abort();
    };
  }, []);

  if (!available) return null;

  async function verify() {
    setProblem(null);
    setPending(true);
    try {
      await verifyWithPasskey();
      // A complete session sends this screen on to `returnTo` (see require-mfa-stage.tsx).
      await refresh();
    } catch (error) {
      setPending(false);
      setProblem(problemOf(error));
      if (sessionMayHaveMoved(error)) revalidate();
    }
  }

  return (
    <>
      <Divider label="or" labelPosition="center" my="lg" />
      {problem ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="Not signed in yet" mb="md">
          {problem}
        </Alert>
      ) : null}
      <Button
        variant="default"
        size="md"
        fullWidth
        loading={pending}
        leftSection={<IconFingerprint size={20} aria-hidden />}
        onClick={() => {
          void verify();
        }}
      >
        Use a passkey instead
      </Button>
    </>
  );
}
