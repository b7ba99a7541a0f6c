import { Button, Group, Paper, Text } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import classes from './account-security.module.css';

interface InlineConfirmProps {
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

/**
 * A confirmation shown in place of the button that asked for it (no dialog: the strict CSP rules
 * out Mantine's modal). Its confirm button takes focus when it appears; Escape or Cancel gives up.
 */
export function InlineConfirm({ message, confirmLabel, onConfirm, onCancel }: InlineConfirmProps) {
  const [pending, setPending] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    confirmButton.current?.focus();
  }, []);

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !pending) onCancel();
  };

  return (
    <Paper withBorder radius="md" className={classes.confirm}>
      <Text size="sm" mb="sm">
        {message}
      </Text>
      <Group gap="sm">
        <Button
          ref={confirmButton}
          color="red.9"
          size="sm"
          onKeyDown={cancelOnEscape}
          loading={pending}
          onClick={() => {
            setPending(true);
            // On success the confirmation goes away with its row; on failure it stays for another try.
            onConfirm().catch(() => {
              setPending(false);
            });
          }}
        >
          {confirmLabel}
        </Button>
        <Button variant="default" size="sm" disabled={pending} onClick={onCancel} onKeyDown={cancelOnEscape}>
          Cancel
        </Button>
      </Group>
    </Paper>
  );
}
