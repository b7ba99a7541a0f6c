import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { recoverWithCode } from './auth-api';
import { AuthCard } from './auth-card';
import { codeProblems, sessionMayHaveMoved } from './code-problems';
import { CodeForm } from './code-form';
import { safeReturnTo, withReturnTo } from './return-to';
import { SignInElsewhere } from './sign-in-elsewhere';
import { useFormProblems } from './use-form-problems';
import { useSession } from './use-session';

const CODE_ID = 'mfa-recovery-code';
const WRONG_CODE =
  'That recovery code did not work. Check it against your saved list; each code works only once.';
const RECOVERY_CODE_LENGTH = 16;
/** At or below this many unused codes, the person is urged to act before they run out. */
export const FEW_RECOVERY_CODES = 3;

function RemainingCodes({ remaining, onContinue }: { remaining: number; onContinue: () => void }) {
  const few = remaining <= FEW_RECOVERY_CODES;
  const count = `${String(remaining)} recovery ${remaining === 1 ? 'code' : 'codes'}`;
  return (
    <Stack gap="md" align="flex-start">
      <Alert
        role="status"
        variant="light"
        color={few ? 'red' : 'teal'}
        icon={few ? <IconAlertTriangle aria-hidden /> : <IconCircleCheck aria-hidden />}
        title={remaining === 0 ? 'That was your last recovery code' : `You have ${count} left`}
      >
        {few
          ? 'When they run out, you cannot sign in without your authenticator app. If you have lost it, ask whoever manages Kindling at your organisation for help soon.'
          : 'The code you used will not work again. Keep the rest of your list somewhere safe.'}
      </Alert>
      <Button onClick={onContinue}>Continue to Kindling</Button>
    </Stack>
  );
}

export function MfaRecoverPage() {
  const { refresh, revalidate } = useSession();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const form = useFormProblems();
  const [submitting, setSubmitting] = useState(false);
  const [remaining, setRemaining] = useState<number | null>(null);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const raw = new FormData(event.currentTarget).get('recoveryCode');
    const code = (typeof raw === 'string' ? raw : '').trim();
    const characters = code.replace(/[\s-]/g, '').length;
    if (characters === 0) {
      form.report([{ fieldId: CODE_ID, message: 'Enter one of the recovery codes you saved.' }]);
      return;
    }
    if (characters !== RECOVERY_CODE_LENGTH) {
      form.report([{ fieldId: CODE_ID, message: 'A recovery code has 16 letters and numbers, like 7K3M-9QXA-P2HD-4RWZ.' }]);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      // The session is complete now, but the screen stays until the person has read how many codes are left.
      setRemaining(await recoverWithCode(code));
    } catch (error) {
      form.report(codeProblems(error, CODE_ID, WRONG_CODE));
      if (sessionMayHaveMoved(error)) revalidate();
    } finally {
      setSubmitting(false);
    }
  }

  if (remaining !== null) {
    return (
      <AuthCard title="You are signed in" description="You used a recovery code instead of your authenticator app.">
        <RemainingCodes
          remaining={remaining}
          onContinue={() => {
            // A complete session sends this screen on to `returnTo` (see require-mfa-stage.tsx).
            void refresh().catch(() => undefined);
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Use a recovery code"
      description="Enter one of the recovery codes you saved when you set up two-step verification. Each code works once."
      footer={<SignInElsewhere />}
    >
      <CodeForm label="Sign in with a recovery code" form={form} submitting={submitting} submitLabel="Continue" fullWidth onSubmit={handleSubmit}>
        <TextInput
          id={CODE_ID}
          name="recoveryCode"
          label="Recovery code"
          description="For example 7K3M-9QXA-P2HD-4RWZ. Dashes and spaces do not matter."
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          size="md"
          error={form.errorFor(CODE_ID)}
          onChange={() => {
            form.clearField(CODE_ID);
          }}
        />
      </CodeForm>
      <Text size="sm" mt="lg">
        Have your phone after all?{' '}
        <Anchor component={Link} to={withReturnTo('/mfa/verify', returnTo)}>
          Use your authenticator app
        </Anchor>
      </Text>
    </AuthCard>
  );
}
