import { Alert, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useState, type SubmitEvent } from 'react';
import { CopyTextButton } from './copy-text-button';
import { ErrorSummary } from './error-summary';
import classes from './mfa-setup.module.css';
import { downloadTextFile, recoveryCodesText } from './recovery-codes-file';
import { useFormProblems } from './use-form-problems';

const SAVED_ID = 'recovery-codes-saved';

interface RecoveryCodesStepProps {
  codes: readonly string[];
  email: string | null;
  onDone: () => Promise<void>;
}

/** Shows the recovery codes the one time they exist in readable form, and makes sure they were kept. */
export function RecoveryCodesStep({ codes, email, onDone }: RecoveryCodesStepProps) {
  const form = useFormProblems();
  const [saved, setSaved] = useState(false);
  const [continuing, setContinuing] = useState(false);
  const [createdAt] = useState(() => new Date());
  const text = recoveryCodesText(codes, email, createdAt);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!saved) {
      form.report([{ fieldId: SAVED_ID, message: 'Confirm that you have saved your recovery codes.' }]);
      return;
    }
    setContinuing(true);
    try {
      await onDone();
    } catch {
      setContinuing(false);
      form.report([{ message: 'Kindling could not finish signing you in. Check your connection, then try again.' }]);
    }
  }

  return (
    <Stack gap="md">
      <Alert role="note" variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} title="Kindling shows these codes only once">
        If you lose your phone, each code lets you sign in one time instead of using your authenticator app. Keep them
        somewhere safe that is not your phone, such as a password manager or a printed copy in a locked drawer.
      </Alert>

      <ol className={classes.codes} aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>

      <Group gap="sm" align="flex-start">
        <CopyTextButton text={codes.join('\n')} label="Copy codes" copiedLabel="Recovery codes copied." />
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          onClick={() => {
            downloadTextFile('kindling-recovery-codes.txt', text);
          }}
        >
          Download as a text file
        </Button>
      </Group>

      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        aria-label="Confirm you saved your recovery codes"
        noValidate
        onSubmit={(event) => {
          void handleSubmit(event);
        }}
      >
        <Stack gap="md" align="flex-start">
          <Checkbox
            id={SAVED_ID}
            name="saved"
            label="I have saved these recovery codes somewhere safe"
            checked={saved}
            error={form.errorFor(SAVED_ID)}
            onChange={(event) => {
              setSaved(event.currentTarget.checked);
              form.clearField(SAVED_ID);
            }}
          />
          <Button type="submit" size="md" loading={continuing}>
            Continue to Kindling
          </Button>
        </Stack>
      </form>
      <Text size="sm" c="dimmed">
        Used up or lost your codes? Ask whoever manages Kindling at your organisation for help.
      </Text>
    </Stack>
  );
}
