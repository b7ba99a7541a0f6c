import { Button, Stack, Text, Title } from '@mantine/core';
import { useId, useRef, useState, type SubmitEvent } from 'react';
import { setCsrfToken } from '../api/api-client';
import { ErrorSummary } from '../auth/error-summary';
import { PasswordField } from '../auth/password-field';
import { useFormProblems } from '../auth/use-form-problems';
import { useSession } from '../auth/use-session';
import { PasswordRules, passwordLength } from '../enrolment/password-rules';
import classes from './account-security.module.css';
import { changePassword } from './password-api';
import {
  CURRENT_PASSWORD_ID,
  NEW_PASSWORD_ID,
  localPasswordProblems,
  passwordChangeProblems,
  passwordChangedMessage,
} from './password-change';

interface PasswordSectionProps {
  /** A password change signs every other session out: the sessions list needs reading again. */
  onOtherSessionsEnded: () => void;
}

/** Changing the password: the current one to prove it is the person, then the new one. */
export function PasswordSection({ onOtherSessionsEnded }: PasswordSectionProps) {
  const headingId = useId();
  const rulesId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { refresh } = useSession();
  const form = useFormProblems();
  const [length, setLength] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  // Read from the fields as typed: both inputs are uncontrolled, and cleared by resetting the form.
  const current = useRef('');
  const next = useRef('');

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setAnnouncement('');
    const problems = localPasswordProblems(current.current, next.current);
    if (problems.length > 0) {
      form.report(problems);
      return;
    }
    form.clear();
    setSubmitting(true);
    try {
      const changed = await changePassword(current.current, next.current);
      // The session now has a new token: requests from here on need its CSRF token.
      setCsrfToken(changed.csrfToken);
      formElement.reset();
      current.current = '';
      next.current = '';
      setLength(0);
      setAnnouncement(passwordChangedMessage(changed.otherSessionsRevoked));
      heading.current?.focus();
      if (changed.otherSessionsRevoked > 0) onOtherSessionsEnded();
      void refresh().catch(() => undefined);
    } catch (error) {
      form.report(passwordChangeProblems(error));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
        Password
      </Title>
      <Text c="dimmed" mt={4}>
        Changing your password signs you out everywhere else. You stay signed in here.
      </Text>

      <Text role="status" className={classes.announcement}>
        {announcement}
      </Text>

      <ErrorSummary id={form.summaryId} problems={form.problems} />
      <form
        aria-label="Change your password"
        noValidate
        onSubmit={(event) => {
          void submit(event);
        }}
      >
        <Stack gap="md" mt="md" maw="28rem">
          <PasswordField
            id={CURRENT_PASSWORD_ID}
            label="Current password"
            autoComplete="current-password"
            error={form.errorFor(CURRENT_PASSWORD_ID)}
            onEdit={(event) => {
              current.current = event.currentTarget.value;
              form.clearField(CURRENT_PASSWORD_ID);
            }}
          />
          <PasswordRules id={rulesId} length={length} />
          <PasswordField
            id={NEW_PASSWORD_ID}
            label="New password"
            autoComplete="new-password"
            error={form.errorFor(NEW_PASSWORD_ID)}
            onEdit={(event) => {
              next.current = event.currentTarget.value;
              setLength(passwordLength(event.currentTarget.value));
              form.clearField(NEW_PASSWORD_ID);
            }}
          />
          <div>
            <Button type="submit" loading={submitting}>
              Change password
            </Button>
          </div>
        </Stack>
      </form>
    </section>
  );
}
