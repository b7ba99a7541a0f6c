import { Anchor, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { verifyMfa } from './auth-api';
import { AuthCard } from './auth-card';
import { CodeForm, useOneTimeCodeSubmission } from './code-form';
import { OneTimeCodeField } from './one-time-code-field';
import { PasskeyVerifyOption } from './passkey-verify-option';
import { safeReturnTo, withReturnTo } from './return-to';
import { SignInElsewhere } from './sign-in-elsewhere';
import { useSession } from './use-session';

const CODE_ID = 'mfa-verify-code';
const WRONG_CODE =
  'That code did not work. Codes change every 30 seconds: enter the newest one, and check that the time on your phone is set automatically.';

export function MfaVerifyPage() {
  const { refresh } = useSession();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const { form, submitting, onSubmit } = useOneTimeCodeSubmission(CODE_ID, WRONG_CODE, async (code) => {
    await verifyMfa(code);
    // A complete session sends this screen on to `returnTo` (see require-mfa-stage.tsx).
    await refresh();
  });

  return (
    <AuthCard
      title="Two-step verification"
      description="Enter the code from the authenticator app on your phone to finish signing in."
      footer={<SignInElsewhere />}
    >
      <CodeForm label="Two-step verification" form={form} submitting={submitting} submitLabel="Continue" fullWidth onSubmit={onSubmit}>
        <OneTimeCodeField
          id={CODE_ID}
          error={form.errorFor(CODE_ID)}
          onEdit={() => {
            form.clearField(CODE_ID);
          }}
        />
      </CodeForm>
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
