import { Badge, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useSession } from '../auth/use-session';
import { PageHeader } from '../layout/page-header';
import classes from './account-security.module.css';
import { PasskeysSection } from './passkeys-section';
import { PasswordSection } from './password-section';
import { roleLabel } from './role-labels';
import { SessionsSection } from './sessions-section';

function SignInMethods() {
  const headingId = useId();
  const { state } = useSession();
  if (state.status !== 'active') return null;
  const { user, organisations, currentOrganisationId } = state.session;
  const organisation = organisations.find((candidate) => candidate.id === currentOrganisationId);

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId}>
        How you sign in
      </Title>
      <dl className={classes.methods}>
        <dt>Email address</dt>
        <dd>{user.email}</dd>
        {organisation ? (
          <>
            <dt>Role</dt>
            <dd>
              {roleLabel(organisation.role)} at {organisation.name}
            </dd>
          </>
        ) : null}
        <dt>Password</dt>
        <dd>Set</dd>
        <dt>Two-step verification</dt>
        <dd>
          <Badge variant="light" color="teal" radius="sm">
            On
          </Badge>{' '}
          Authenticator app, with recovery codes
        </dd>
      </dl>
      <Text size="sm" c="dimmed" mt="sm">
        New phone? Add a passkey below while you can still sign in. If you have lost your authenticator app and your
        recovery codes, an owner or administrator of your organisation can reset your two-step verification; you then set
        it up again at your next sign-in.
      </Text>
    </section>
  );
}

export function AccountSecurityPage() {
  // A new key re-reads the sessions after a passkey change has signed the others out.
  const [sessionsRound, setSessionsRound] = useState(0);
  return (
    <>
      <PageHeader title="Account security" description="How you sign in to Kindling, and every place you are signed in." />
      <SignInMethods />
      <PasswordSection onOtherSessionsEnded={() => { setSessionsRound((round) => round + 1); }} />
      <PasskeysSection
        onOtherSessionsEnded={() => {
          setSessionsRound((round) => round + 1);
        }}
      />
      <SessionsSection key={sessionsRound} />
    </>
  );
}
