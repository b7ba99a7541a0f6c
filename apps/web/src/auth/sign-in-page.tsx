import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { describeApiError, retryAfterSeconds, validationIssues } from '../api/api-error-details';
import { signIn } from './auth-api';
import { AuthCard } from './auth-card';
import { ErrorSummary, type Problem } from './error-summary';
import { nextStepPath } from './next-step';
import { PasswordField } from './password-field';
import { safeReturnTo } from './return-to';
import { readSignInReason, SignInNotice } from './sign-in-notice';
import { useFormProblems } from './use-form-problems';
import { useSession } from './use-session';

const EMAIL_ID = 'sign-in-email';
const PASSWORD_ID = 'sign-in-password';
const FIELD_IDS: Record<string, string> = { email: EMAIL_ID, password: PASSWORD_ID };

// Deliberately loose: the server will be the judge; this only catches obvious typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(email: string, password: string): Problem[] {
  const problems: Problem[] = [];
  if (email.length === 0) problems.push({ fieldId: EMAIL_ID, message: 'Enter your email address.' });
  else if (!EMAIL_PATTERN.test(email)) {
    problems.push({ fieldId: EMAIL_ID, message: 'Enter an email address in the form name@example.org.' });
  }
  if (password.length === 0) problems.push({ fieldId: PASSWORD_ID, message: 'Enter your password.' });
  return problems;
}

function problemsFrom(error: unknown): Problem[] {
  if (retryAfterSeconds(error) === null && error instanceof ApiError && error.status === 401) {
    // Never say which of the two was wrong: that would tell a stranger which addresses have accounts.
    return [{ message: 'The email address or password is not right. Check both and try again.' }];
  }
  const issues = validationIssues(error);
  if (issues.length > 0) return issues.map((issue) => ({ message: issue.message, fieldId: FIELD_IDS[issue.field] }));
  return [{ message: describeApiError(error) }];
}

function text(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

export function SignInPage() {
  const { state, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const form = useFormProblems();
  const [submitting, setSubmitting] = useState(false);

  if (!submitting && state.status === 'active' && state.session.stage === 'mfa_complete') {
    return <Navigate to={returnTo} replace />;
  }

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = text(data.get('email')).trim();
    const password = text(data.get('password'));
    const found = validate(email, password);
    if (found.length > 0) {
      form.report(found);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      const result = await signIn(email, password);
      await refresh(); // The next steps need the session's CSRF token.
      await navigate(nextStepPath(result.next, returnTo));
    } catch (error) {
      setSubmitting(false);
      form.report(problemsFrom(error));
    }
  }

  return (
    <AuthCard
      title="Sign in to Kindling"
      description="Use the email address your organisation registered for you."
      footer={
        <Stack gap="xs">
          <Text size="sm">
            New to Kindling? Open the invitation link from your email to set up your account.
          </Text>
          <Text size="sm">
            Forgotten your password, or lost the phone with your authenticator app? Ask whoever manages Kindling at your
            organisation for help.
          </Text>
        </Stack>
      }
    >
      <SignInNotice reason={readSignInReason(location.state)} />
      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        onSubmit={(event) => {
          void handleSubmit(event);
        }}
        noValidate
        aria-label="Sign in"
      >
        <Stack gap="md">
          <TextInput
            id={EMAIL_ID}
            name="email"
            type="email"
            label="Email address"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            required
            error={form.errorFor(EMAIL_ID)}
            onChange={() => {
              form.clearField(EMAIL_ID);
            }}
          />
          <PasswordField
            id={PASSWORD_ID}
            label="Password"
            autoComplete="current-password"
            error={form.errorFor(PASSWORD_ID)}
            onEdit={() => {
              form.clearField(PASSWORD_ID);
            }}
          />
          <Button type="submit" fullWidth size="md" loading={submitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
