import { DataList, Group, Paper, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import classes from './status-page.module.css';

export interface StatusRow {
  label: ReactNode;
  value: ReactNode;
}

interface StatusCardProps {
  title: string;
  icon: Icon;
  badge?: ReactNode;
  rows: readonly StatusRow[];
}

export function StatusCard({ title, icon: CardIcon, badge, rows }: StatusCardProps) {
  const headingId = useId();
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="lg" className={classes.card}>
      <Group justify="space-between" gap="xs" className={classes.cardHeader}>
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" color="gray" size="lg" radius="md" aria-hidden>
            <CardIcon size={20} stroke={1.75} />
          </ThemeIcon>
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
        </Group>
        {badge}
      </Group>
      <DataList withDivider className={classes.dataList}>
        {rows.map((row, index) => (
          <DataList.Item key={index}>
            <DataList.ItemLabel>{row.label}</DataList.ItemLabel>
            <DataList.ItemValue>{row.value}</DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList>
    </Paper>
  );
}
