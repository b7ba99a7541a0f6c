import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import classes from './sign-in-page.module.css';

interface FieldErrors {
  email?: string | undefined;
  password?: string | undefined;
}

// Deliberately loose: the server will be the judge; this only catches obvious typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validate(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (email.length === 0) errors.email = 'Enter your email address.';
  else if (!EMAIL_PATTERN.test(email)) errors.email = 'Enter an email address in the form name@example.org.';
  if (password.length === 0) errors.password = 'Enter your password.';
  return errors;
}

function text(value: FormDataEntryValue | null): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Sign-in form without a backend yet: it validates what was typed, then says
 * plainly that sign-in is not available. Nothing is sent anywhere.
 */
export function SignInPage() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempted, setAttempted] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function clearError(field: keyof FieldErrors) {
    setErrors((previous) => (previous[field] ? { ...previous, [field]: undefined } : previous));
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const found = validate(text(data.get('email')).trim(), text(data.get('password')));
    setErrors(found);
    setAttempted(!found.email && !found.password);
    if (found.email) emailRef.current?.focus();
    else if (found.password) passwordRef.current?.focus();
  }

  return (
    <div className={classes.wrapper}>
      <title>Sign in · Kindling</title>
      <Paper withBorder radius="lg" shadow="sm" className={classes.card}>
        <Title order={1} tabIndex={-1} size="h2">
          Sign in to Kindling
        </Title>
        <Text c="dimmed" mt={4} mb="lg">
          Use the email address your organisation registered for you.
        </Text>

        {attempted ? (
          <Alert
            variant="light"
            color="blue"
            title="Sign-in is not available yet"
            icon={<IconInfoCircle aria-hidden />}
            className={classes.notice}
          >
            Staff accounts arrive in a later Kindling release. Nothing you entered has been sent or saved.
          </Alert>
        ) : null}

        <form onSubmit={handleSubmit} noValidate aria-label="Sign in">
          <Stack gap="md">
            <TextInput
              ref={emailRef}
              name="email"
              type="email"
              label="Email address"
              autoComplete="username"
              inputMode="email"
              spellCheck={false}
              required
              error={errors.email}
              onChange={() => {
                clearError('email');
              }}
            />
            <PasswordInput
              ref={passwordRef}
              name="password"
              label="Password"
              autoComplete="current-password"
              required
              error={errors.password}
              visibilityToggleFocusable
              visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
              onChange={() => {
                clearError('password');
              }}
            />
            <Button type="submit" fullWidth size="md">
              Sign in
            </Button>
          </Stack>
        </form>

        <Text size="sm" mt="lg" ta="center">
          <Anchor component={Link} to="/">
            Back to Overview
          </Anchor>
        </Text>
      </Paper>
    </div>
  );
}
