import { Button, Stack, Text } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/api-client';
import { describeApiError, validationIssues } from '../api/api-error-details';
import { roleLabel, roleSummary } from '../account/role-labels';
import { ErrorSummary, type Problem } from '../auth/error-summary';
import { nextStepPath } from '../auth/next-step';
import { PasswordField } from '../auth/password-field';
import { useFormProblems } from '../auth/use-form-problems';
import { useSession } from '../auth/use-session';
import { formatDateTime } from '../status/format';
import classes from './enrol-page.module.css';
import { acceptInvitation, isUnusableInvitation, type Invitation } from './invitation-api';
import { MINIMUM_PASSWORD_LENGTH, PasswordRules, passwordLength } from './password-rules';

const PASSWORD_ID = 'enrol-password';
const RULES_ID = 'enrol-password-rules';

function problemsFrom(error: unknown): Problem[] {
  if (error instanceof ApiError && error.status === 401) {
    return [{ fieldId: PASSWORD_ID, message: 'That is not the password of your Kindling account. Check it and try again.' }];
  }
  const issues = validationIssues(error);
  if (issues.length > 0) {
    return issues.map((issue) => ({ message: issue.message, fieldId: issue.field === 'password' ? PASSWORD_ID : undefined }));
  }
  return [{ message: describeApiError(error) }];
}

interface EnrolFormProps {
  token: string;
  invitation: Invitation;
  onUnusable: () => void;
}

export function EnrolForm({ token, invitation, onUnusable }: EnrolFormProps) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const form = useFormProblems();
  const [length, setLength] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const summary = roleSummary(invitation.role);
  const existing = invitation.account === 'existing';

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const raw = new FormData(event.currentTarget).get('password');
    const password = typeof raw === 'string' ? raw : '';
    if (existing && password.length === 0) {
      form.report([{ fieldId: PASSWORD_ID, message: 'Enter the password of your Kindling account.' }]);
      return;
    }
    if (!existing && passwordLength(password) < MINIMUM_PASSWORD_LENGTH) {
      form.report([
        {
          fieldId: PASSWORD_ID,
          message:
            password === ''
              ? 'Choose a password.'
              : `Use at least ${String(MINIMUM_PASSWORD_LENGTH)} characters. A few unrelated words make a strong, memorable password.`,
        },
      ]);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      const result = await acceptInvitation(token, password);
      await refresh(); // The next step needs the new session's CSRF token.
      await navigate(nextStepPath(result.next, '/'));
    } catch (error) {
      setSubmitting(false);
      if (isUnusableInvitation(error)) onUnusable();
      else form.report(problemsFrom(error));
    }
  }

  return (
    <>
      <section aria-label="Your invitation" className={classes.invitation}>
        <dl className={classes.facts}>
          <dt>Organisation</dt>
          <dd>{invitation.organisationName}</dd>
          <dt>Your role</dt>
          <dd>
            {roleLabel(invitation.role)}
            {summary ? <Text size="sm">{`You ${summary}.`}</Text> : null}
          </dd>
          <dt>Link valid until</dt>
          <dd>{formatDateTime(invitation.expiresAt)}</dd>
        </dl>
      </section>

      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        aria-label={existing ? 'Join with your existing account' : 'Create your account'}
        noValidate
        onSubmit={(event) => {
          void handleSubmit(event);
        }}
      >
        <Stack gap="md">
          {existing ? (
            <Text>You already have a Kindling account. Enter its password to add this organisation to it.</Text>
          ) : (
            <PasswordRules id={RULES_ID} length={length} />
          )}
          <PasswordField
            id={PASSWORD_ID}
            label={existing ? 'Your Kindling password' : 'Choose a password'}
            autoComplete={existing ? 'current-password' : 'new-password'}
            description={existing ? undefined : `At least ${String(MINIMUM_PASSWORD_LENGTH)} characters. No symbols or numbers needed.`}
            error={form.errorFor(PASSWORD_ID)}
            onEdit={(event) => {
              setLength(passwordLength(event.currentTarget.value));
              form.clearField(PASSWORD_ID);
            }}
          />
          <Button type="submit" size="md" fullWidth loading={submitting}>
            {existing ? 'Join and continue' : 'Create account and continue'}
          </Button>
        </Stack>
      </form>
    </>
  );
}
