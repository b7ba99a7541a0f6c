import { Anchor, Button, Stack, Text } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { verifyMfa } from './auth-api';
import { AuthCard } from './auth-card';
import { codeProblems, sessionMayHaveMoved } from './code-problems';
import { ErrorSummary } from './error-summary';
import { normaliseCode, ONE_TIME_CODE_PATTERN, OneTimeCodeField } from './one-time-code-field';
import { PasskeyVerifyOption } from './passkey-verify-option';
import { safeReturnTo, withReturnTo } from './return-to';
import { SignInElsewhere } from './sign-in-elsewhere';
import { useFormProblems } from './use-form-problems';
import { useSession } from './use-session';

const CODE_ID = 'mfa-verify-code';
const WRONG_CODE =
  'That code did not work. Codes change every 30 seconds: enter the newest one, and check that the time on your phone is set automatically.';

export function MfaVerifyPage() {
  const { refresh, revalidate } = useSession();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const form = useFormProblems();
  const [submitting, setSubmitting] = useState(false);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const raw = new FormData(event.currentTarget).get('code');
    const code = normaliseCode(typeof raw === 'string' ? raw : '');
    if (!ONE_TIME_CODE_PATTERN.test(code)) {
      form.report([
        { fieldId: CODE_ID, message: code === '' ? 'Enter the 6-digit code from your authenticator app.' : 'The code is 6 digits, like 123456.' },
      ]);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      await verifyMfa(code);
      // A complete session sends this screen on to `returnTo` (see require-mfa-stage.tsx).
      await refresh();
    } catch (error) {
      setSubmitting(false);
      form.report(codeProblems(error, CODE_ID, WRONG_CODE));
      if (sessionMayHaveMoved(error)) revalidate();
    }
  }

  return (
    <AuthCard
      title="Two-step verification"
      description="Enter the code from the authenticator app on your phone to finish signing in."
      footer={<SignInElsewhere />}
    >
      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        aria-label="Two-step verification"
        noValidate
        onSubmit={(event) => {
          void handleSubmit(event);
        }}
      >
        <Stack gap="md">
          <OneTimeCodeField
            id={CODE_ID}
            error={form.errorFor(CODE_ID)}
            onEdit={() => {
              form.clearField(CODE_ID);
            }}
          />
          <Button type="submit" size="md" fullWidth loading={submitting}>
            Continue
          </Button>
        </Stack>
      </form>
      <PasskeyVerifyOption />
      <Text size="sm" mt="lg">
        No access to your authenticator app?{' '}
        <Anchor component={Link} to={withReturnTo('/mfa/recover', returnTo)}>
          Use a recovery code
        </Anchor>
      </Text>
    </AuthCard>
  );
}
