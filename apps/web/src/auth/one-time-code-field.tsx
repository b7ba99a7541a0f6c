import { TextInput } from '@mantine/core';
import classes from './one-time-code-field.module.css';

interface OneTimeCodeFieldProps {
  id: string;
  error: string | undefined;
  onEdit: () => void;
  label?: string;
  description?: string;
}

export const ONE_TIME_CODE_PATTERN = /^\d{6}$/;

/** Spaces and dashes are how people copy codes ("123 456"); only the digits matter. */
export function normaliseCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** The 6-digit authenticator code field: numeric keyboard on phones, autofill from the system where offered. */
export function OneTimeCodeField({
  id,
  error,
  onEdit,
  label = '6-digit code',
  description = 'Open your authenticator app and type the code it shows for Kindling.',
}: OneTimeCodeFieldProps) {
  return (
    <TextInput
      id={id}
      name="code"
      label={label}
      description={description}
      autoComplete="one-time-code"
      inputMode="numeric"
      spellCheck={false}
      maxLength={9}
      required
      size="md"
      classNames={{ input: classes.input }}
      error={error}
      onChange={onEdit}
    />
  );
}
