import { Button, Code, NativeSelect, Text, TextInput, Title } from '@mantine/core';
import { IconLink, IconMailCheck, IconMailForward } from '@tabler/icons-react';
import { useId, useState, type SubmitEvent } from 'react';
import { roleLabel, roleSummary } from '../account/role-labels';
import { ApiError } from '../api/api-client';
import { describeApiError, validationIssues } from '../api/api-error-details';
import { CopyTextButton } from '../auth/copy-text-button';
import { invitableRoles } from './admin-permissions';
import { formatWhen } from './admin-format';
import { createInvitation, type CreatedInvitation } from './organisation-admin-api';
import type { AdminContext } from './settings-access';
import { HandOverPanel, ProblemAlert } from './settings-parts';
import classes from './settings.module.css';

function roleDescription(role: string): string | undefined {
  const summary = roleSummary(role);
  return summary ? `${roleLabel(role)}s ${summary}.` : undefined;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Sent {
  email: string;
  invitation: CreatedInvitation;
}

/** Invites someone by e-mail address, and hands over the link when this server sends no e-mail. */
export function InviteForm({ context, onInvited }: { context: AdminContext; onInvited: () => void }) {
  const headingId = useId();
  const offered = invitableRoles(context.role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>(offered.includes('viewer') ? 'viewer' : (offered[0] ?? ''));
  const [emailError, setEmailError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    setProblem(null);
    if (!EMAIL_SHAPE.test(address)) {
      setEmailError('Enter an email address, like name@example.org.');
      document.getElementById(`${headingId}-email`)?.focus();
      return;
    }
    setEmailError(null);
    setPending(true);
    try {
      const invitation = await createInvitation(context.orgId, address, role);
      setSent({ email: address, invitation });
      setEmail('');
      onInvited();
    } catch (error) {
      const issue = validationIssues(error).find((candidate) => candidate.field === 'email');
      if (issue) setEmailError(`The email address ${issue.message}.`);
      else if (error instanceof ApiError && error.code === 'CONFLICT') setProblem(`${address} is already a member of ${context.orgName}.`);
      else setProblem(describeApiError(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId}>
        Invite someone
      </Title>
      <Text c="dimmed" className={classes.sectionIntro}>
        They get a link to set a password and two-step verification. The link works once, for 7 days.
      </Text>
      <ProblemAlert problem={problem} />
      <form noValidate onSubmit={(event) => void submit(event)} className={classes.form} aria-labelledby={headingId}>
        <TextInput
          id={`${headingId}-email`}
          label="Email address"
          type="email"
          autoComplete="off"
          value={email}
          error={emailError}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
          }}
        />
        <NativeSelect
          label="Role"
          description={roleDescription(role)}
          data={offered.map((candidate) => ({ value: candidate, label: roleLabel(candidate) }))}
          value={role}
          onChange={(event) => {
            setRole(event.currentTarget.value);
          }}
        />
        <Button type="submit" loading={pending} className={classes.formSubmit} leftSection={<IconMailForward size={18} aria-hidden />}>
          Send invitation
        </Button>
      </form>
      {sent ? <SentInvitation sent={sent} onDismiss={() => {
            setSent(null);
          }} /> : null}
    </section>
  );
}

function SentInvitation({ sent, onDismiss }: { sent: Sent; onDismiss: () => void }) {
  const { invitation, email } = sent;
  const expires = formatWhen(invitation.expiresAt);
  return (
    <HandOverPanel title={`${email} has been invited`} icon={invitation.link ? IconLink : IconMailCheck} live>
      {invitation.link ? (
        <>
          <Text size="sm">
            This Kindling server does not send e-mail, so send this link to {email} yourself, for example in a chat message.
            It works once and stops working on {expires}. Anyone who has the link can use it, so send it only to them.
          </Text>
          <Code className={classes.secret}>{invitation.link}</Code>
          <CopyTextButton text={invitation.link} label="Copy invitation link" copiedLabel="Invitation link copied." />
        </>
      ) : (
        <Text size="sm">We have e-mailed them a link to join. It stops working on {expires}.</Text>
      )}
      <Button variant="default" size="sm" mt="sm" onClick={onDismiss}>
        Done
      </Button>
    </HandOverPanel>
  );
}
