import { Anchor, Stack, Text, Title } from '@mantine/core';
import { confirmTotpEnrolment, type TotpEnrolment } from './auth-api';
import { CodeForm, useOneTimeCodeSubmission } from './code-form';
import { CopyTextButton } from './copy-text-button';
import classes from './mfa-setup.module.css';
import { OneTimeCodeField } from './one-time-code-field';
import { groupInFours, svgDataUrl } from './svg-data-url';

const CODE_ID = 'mfa-setup-code';
const WRONG_CODE =
  'That code did not work. Check that you added the key shown here, enter the newest code, and check that the time on your phone is set automatically.';

interface AuthenticatorStepProps {
  enrolment: TotpEnrolment;
  onConfirmed: (recoveryCodes: string[]) => void;
}

/** Scan (or type) the secret into an authenticator app, then prove it works with one code. */
export function AuthenticatorStep({ enrolment, onConfirmed }: AuthenticatorStepProps) {
  const { form, submitting, onSubmit } = useOneTimeCodeSubmission(CODE_ID, WRONG_CODE, async (code) => {
    onConfirmed(await confirmTotpEnrolment(code));
  });
  const grouped = groupInFours(enrolment.secret);

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
        <CodeForm
          label="Confirm your authenticator app"
          form={form}
          submitting={submitting}
          submitLabel="Turn on two-step verification"
          fullWidth={false}
          onSubmit={onSubmit}
        >
          <OneTimeCodeField
            id={CODE_ID}
            error={form.errorFor(CODE_ID)}
            description="The 6-digit code the app shows for Kindling."
            onEdit={() => {
              form.clearField(CODE_ID);
            }}
          />
        </CodeForm>
      </li>
    </ol>
  );
}
