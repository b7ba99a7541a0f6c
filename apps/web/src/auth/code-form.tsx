import { Button, Stack } from '@mantine/core';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { codeProblems, sessionMayHaveMoved } from './code-problems';
import { ErrorSummary } from './error-summary';
import { normaliseCode, ONE_TIME_CODE_PATTERN } from './one-time-code-field';
import { useFormProblems, type FormProblems } from './use-form-problems';
import { useSession } from './use-session';

interface CodeFormProps {
  /** The form's accessible name. */
  label: string;
  form: FormProblems;
  submitting: boolean;
  submitLabel: string;
  /** Full-width button on a sign-in card; left-aligned inside the setup steps. */
  fullWidth: boolean;
  onSubmit: (event: SubmitEvent<HTMLFormElement>) => Promise<void>;
  /** The code field. */
  children: ReactNode;
}

/** The one-field forms of the second-factor screens: problems summary, the field, one button. */
export function CodeForm({ label, form, submitting, submitLabel, fullWidth, onSubmit, children }: CodeFormProps) {
  return (
    <>
      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        aria-label={label}
        noValidate
        onSubmit={(event) => {
          void onSubmit(event);
        }}
      >
        <Stack gap="md" {...(fullWidth ? {} : { align: 'flex-start' })}>
          {children}
          <Button type="submit" size="md" fullWidth={fullWidth} loading={submitting}>
            {submitLabel}
          </Button>
        </Stack>
      </form>
    </>
  );
}

/**
 * Reading, checking and sending a 6-digit authenticator code, the same way wherever one is asked
 * for. `submit` resolves once the server accepted the code; the button keeps spinning after that,
 * because the screen moves on.
 */
export function useOneTimeCodeSubmission(fieldId: string, wrongCode: string, submit: (code: string) => Promise<void>) {
  const { revalidate } = useSession();
  const form = useFormProblems();
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const raw = new FormData(event.currentTarget).get('code');
    const code = normaliseCode(typeof raw === 'string' ? raw : '');
    if (!ONE_TIME_CODE_PATTERN.test(code)) {
      form.report([{ fieldId, message: code === '' ? 'Enter the 6-digit code from your authenticator app.' : 'The code is 6 digits, like 123456.' }]);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      await submit(code);
    } catch (error) {
      setSubmitting(false);
      form.report(codeProblems(error, fieldId, wrongCode));
      if (sessionMayHaveMoved(error)) revalidate();
    }
  }

  return { form, submitting, onSubmit };
}
