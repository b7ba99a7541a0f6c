import { List, Text } from '@mantine/core';
import { IconCircleCheck, IconPoint } from '@tabler/icons-react';
import classes from './enrol-page.module.css';

export const MINIMUM_PASSWORD_LENGTH = 12;

/** Length in characters as people count them (code points), which is how the server counts too. */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/** What makes a password acceptable, shown before anyone has to guess. The server has the last word. */
export function PasswordRules({ id, length }: { id: string; length: number }) {
  const longEnough = length >= MINIMUM_PASSWORD_LENGTH;
  return (
    <div id={id}>
      <Text size="sm" fw={600}>
        Your password:
      </Text>
      <List size="sm" spacing={4} mt={4} icon={<IconPoint size={16} aria-hidden />}>
        <List.Item icon={longEnough ? <IconCircleCheck size={16} className={classes.met} aria-hidden /> : undefined}>
          must be at least {MINIMUM_PASSWORD_LENGTH} characters long
          {length > 0 ? ` (you have typed ${String(length)})` : ''}
        </List.Item>
        <List.Item>must not be a common password or one known from data breaches</List.Item>
        <List.Item>must not contain your email address</List.Item>
        <List.Item>does not need symbols, numbers or capital letters: a few unrelated words work well</List.Item>
      </List>
    </div>
  );
}
