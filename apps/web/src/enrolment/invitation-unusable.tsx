import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { AuthCard } from '../auth/auth-card';

/** An invitation link that is missing, mistyped, used up or past its date: say so and say who can help. */
export function InvitationUnusable({ missingToken }: { missingToken: boolean }) {
  return (
    <AuthCard
      title="This invitation link cannot be used"
      footer={
        <Text size="sm">
          Already set up your account?{' '}
          <Anchor component={Link} to="/sign-in">
            Sign in
          </Anchor>
        </Text>
      }
    >
      <Text>
        {missingToken
          ? 'The link is incomplete. Open it straight from your invitation email, or copy the whole link, including everything after the # sign.'
          : 'It may have expired, been used already, or been replaced by a newer invitation.'}
      </Text>
      <Text mt="sm">
        If it still does not work, ask the person who invited you to send a new invitation. Invitations last a limited time
        for your security.
      </Text>
    </AuthCard>
  );
}
