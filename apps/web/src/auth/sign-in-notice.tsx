import { Alert } from '@mantine/core';
import { IconClockHour4, IconLogout } from '@tabler/icons-react';
import type { SignedOutReason } from './session-context';

/** Router state the session guard leaves for the sign-in screen, saying why the person is there. */
export interface SignInLocationState {
  reason?: SignedOutReason;
}

export function readSignInReason(state: unknown): SignedOutReason {
  if (typeof state !== 'object' || state === null || !('reason' in state)) return 'none';
  const { reason } = state as SignInLocationState;
  return reason === 'expired' || reason === 'signed-out' ? reason : 'none';
}

/** Why the person is looking at the sign-in screen, when it is not simply their first visit. */
export function SignInNotice({ reason }: { reason: SignedOutReason }) {
  if (reason === 'none') return null;
  const expired = reason === 'expired';
  return (
    <Alert
      role="status"
      variant="light"
      color="blue"
      mb="lg"
      icon={expired ? <IconClockHour4 aria-hidden /> : <IconLogout aria-hidden />}
      title={expired ? 'Your session has ended' : 'You have signed out'}
    >
      {expired
        ? 'For your security you have been signed out. Sign in again to carry on where you left off.'
        : 'Sign in again whenever you are ready.'}
    </Alert>
  );
}
