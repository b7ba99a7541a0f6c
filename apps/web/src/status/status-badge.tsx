import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Green tick or red warning with a word, so state never relies on colour alone. */
export function StatusBadge({ ok, children }: { ok: boolean; children: ReactNode }) {
  const Icon = ok ? IconCircleCheck : IconAlertTriangle;
  return (
    <Badge
      variant="light"
      color={ok ? 'teal' : 'red'}
      size="lg"
      radius="sm"
      leftSection={<Icon size={14} stroke={2} aria-hidden />}
    >
      {children}
    </Badge>
  );
}
