import { Anchor, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from './use-session';

/** A way out of a half-finished sign-in: for the wrong account, or someone else's computer. */
export function SignInElsewhere() {
  const { state, signOut } = useSession();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const email = state.status === 'active' ? state.session.user.email : null;

  return (
    <Text size="sm">
      {email ? <>Signing in as {email}. </> : null}
      Not you?{' '}
      <Anchor
        component="button"
        type="button"
        size="sm"
        disabled={pending}
        onClick={() => {
          setPending(true);
          // Once signed out, the screen's guard moves on to sign-in by itself; this covers a failed sign-out.
          signOut().catch(() => {
            setPending(false);
            void navigate('/sign-in', { replace: true });
          });
        }}
      >
        {pending ? 'Signing out…' : 'Sign in as someone else'}
      </Anchor>
    </Text>
  );
}
