import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconFlame } from '@tabler/icons-react';
import { Link } from 'react-router';
import classes from './kindling-logo.module.css';

export function KindlingLogo() {
  return (
    <Link to="/" className={classes.logo}>
      <Group gap="xs" wrap="nowrap">
        <ThemeIcon size="lg" radius="md" aria-hidden>
          <IconFlame size={20} stroke={2} />
        </ThemeIcon>
        <Text component="span" fw={700} size="lg" className={classes.wordmark}>
          Kindling
        </Text>
      </Group>
    </Link>
  );
}
