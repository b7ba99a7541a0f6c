import { PasswordInput } from '@mantine/core';
import { useState, type ChangeEvent, type ReactNode } from 'react';

interface PasswordFieldProps {
  id: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  error: string | undefined;
  onEdit: (event: ChangeEvent<HTMLInputElement>) => void;
  description?: ReactNode;
}

/** A password input whose show/hide button is a focusable, labelled toggle that says what it will do. */
export function PasswordField({ id, label, autoComplete, error, onEdit, description }: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <PasswordInput
      id={id}
      name="password"
      label={label}
      description={description}
      autoComplete={autoComplete}
      spellCheck={false}
      required
      error={error}
      visible={visible}
      onVisibilityChange={setVisible}
      visibilityToggleFocusable
      visibilityToggleButtonProps={{ 'aria-label': visible ? 'Hide password' : 'Show password' }}
      onChange={onEdit}
    />
  );
}
