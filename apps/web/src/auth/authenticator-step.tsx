import { Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { confirmTotpEnrolment, type TotpEnrolment } from './auth-api';
import { codeProblems, sessionMayHaveMoved } from './code-problems';
import { CopyTextButton } from './copy-text-button';
import { ErrorSummary } from './error-summary';
import classes from './mfa-setup.module.css';
import { normaliseCode, ONE_TIME_CODE_PATTERN, OneTimeCodeField } from './one-time-code-field';
import { groupInFours, svgDataUrl } from './svg-data-url';
import { useFormProblems } from './use-form-problems';
import { useSession } from './use-session';

const CODE_ID = 'mfa-setup-code';
const WRONG_CODE =
  'That code did not work. Check that you added the key shown here, enter the newest code, and check that the time on your phone is set automatically.';

interface AuthenticatorStepProps {
  enrolment: TotpEnrolment;
  onConfirmed: (recoveryCodes: string[]) => void;
}

/** Scan (or type) the secret into an authenticator app, then prove it works with one code. */
export function AuthenticatorStep({ enrolment, onConfirmed }: AuthenticatorStepProps) {
  const { revalidate } = useSession();
  const form = useFormProblems();
  const [submitting, setSubmitting] = useState(false);
  const grouped = groupInFours(enrolment.secret);

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
      onConfirmed(await confirmTotpEnrolment(code));
    } catch (error) {
      setSubmitting(false);
      form.report(codeProblems(error, CODE_ID, WRONG_CODE));
      if (sessionMayHaveMoved(error)) revalidate();
    }
  }

  return (
    <ol className={classes.steps}>
      <li className={classes.step}>
        <Title order={2} size="h4">
          Get an authenticator app
        </Title>
        <Text mt={4}>
          Use the app your organisation recommends, or install one on your phone, such as Microsoft Authenticator or
          Google Authenticator. A password manager that shows 6-digit codes works too.
        </Text>
      </li>

      <li className={classes.step}>
        <Title order={2} size="h4">
          Add Kindling to the app
        </Title>
        <Text mt={4}>In the app, choose to add an account, then scan this QR code.</Text>
        <div className={classes.qrRow}>
          <img
            className={classes.qr}
            src={svgDataUrl(enrolment.qrSvg)}
            alt="QR code that adds Kindling to an authenticator app. If you cannot scan it, type the setup key instead."
          />
          <dl className={classes.manual}>
            <dt>
              <Text fw={600}>Cannot scan it? Type this setup key instead:</Text>
            </dt>
            <dd>
              <code className={classes.secret}>{grouped}</code>
            </dd>
            <dd>
              <Stack gap="xs" align="flex-start">
                <CopyTextButton text={enrolment.secret} label="Copy setup key" copiedLabel="Setup key copied." />
                <Text size="sm">
                  Setting up on this phone?{' '}
                  <Anchor href={enrolment.otpauthUri}>Open the key in your authenticator app</Anchor>
                </Text>
              </Stack>
            </dd>
          </dl>
        </div>
      </li>

      <li className={classes.step}>
        <Title order={2} size="h4">
          Enter the code the app shows
        </Title>
        <Text mt={4} mb="md">
          This checks that the app and Kindling agree.
        </Text>
        <ErrorSummary id={form.summaryId} problems={form.problems} />
        <form
          aria-label="Confirm your authenticator app"
          noValidate
          onSubmit={(event) => {
            void handleSubmit(event);
          }}
        >
          <Stack gap="md" align="flex-start">
            <OneTimeCodeField
              id={CODE_ID}
              error={form.errorFor(CODE_ID)}
              description="The 6-digit code the app shows for Kindling."
              onEdit={() => {
                form.clearField(CODE_ID);
              }}
            />
            <Button type="submit" size="md" loading={submitting}>
              Turn on two-step verification
            </Button>
          </Stack>
        </form>
      </li>
    </ol>
  );
}
