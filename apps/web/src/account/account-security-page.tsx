import { Badge, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useSession } from '../auth/use-session';
import { PageHeader } from '../layout/page-header';
import classes from './account-security.module.css';
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
        Changing your password or authenticator app from here arrives in a later release. Until then, ask whoever manages
        Kindling at your organisation.
      </Text>
    </section>
  );
}

export function AccountSecurityPage() {
  return (
    <>
      <PageHeader title="Account security" description="How you sign in to Kindling, and every place you are signed in." />
      <SignInMethods />
      <SessionsSection />
    </>
  );
}
