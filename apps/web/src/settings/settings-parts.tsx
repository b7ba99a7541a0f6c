import { Alert, Anchor, Button, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconChevronLeft, IconRefresh, type Icon } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { InlineConfirm } from '../account/inline-confirm';
import { describeApiError } from '../api/api-error-details';
import classes from './settings.module.css';

/** The way back to the settings overview, above a settings screen's heading. */
export function BackToSettings() {
  return (
    <Anchor component={Link} to="/settings" className={classes.breadcrumb}>
      <IconChevronLeft size={16} aria-hidden />
      Settings
    </Anchor>
  );
}

export function LoadFailed({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  return (
    <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title={title}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{describeApiError(error)}</Text>
        <Button size="sm" leftSection={<IconRefresh size={16} aria-hidden />} onClick={onRetry}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}

export function ProblemAlert({ problem }: { problem: string | null }) {
  return problem ? (
    <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="That did not work" mb="md" role="alert">
      {problem}
    </Alert>
  ) : null;
}

export function TableSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-hidden>
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={48} radius="md" />
      ))}
    </Stack>
  );
}

/** A polite live region for "done" messages; hidden while empty. */
export function Announcement({ text }: { text: string }) {
  return (
    <Text role="status" className={classes.announcement}>
      {text}
    </Text>
  );
}

/** Something the person must take with them now (a link to pass on, a secret shown once), as a labelled region. */
export function HandOverPanel({ title, icon: PanelIcon, live, children }: { title: string; icon: Icon; live?: boolean; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={classes.handOver} aria-live={live ? 'polite' : undefined}>
      <Title order={3} size="h4" id={headingId}>
        <PanelIcon size={22} stroke={1.75} aria-hidden />
        {title}
      </Title>
      {children}
    </section>
  );
}

/**
 * A table's frame, which scrolls sideways on narrow screens. Focusable and named, so keyboard
 * users can scroll it too (a table of plain text has nothing else to focus).
 */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <div role="region" aria-label={label} tabIndex={0} className={classes.tableFrame}>
      {children}
    </div>
  );
}

interface ConfirmRowProps {
  /** How many columns the table has: the confirmation spans them all. */
  columns: number;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  /** The button that asked, which gets focus back when the person changes their mind. */
  askedBy: string;
}

/** A table row confirming a destructive action in place, under the row it acts on. */
export function ConfirmRow({ columns, message, confirmLabel, onConfirm, onCancel, askedBy }: ConfirmRowProps) {
  return (
    <Table.Tr>
      <Table.Td colSpan={columns} className={classes.confirmCell}>
        <InlineConfirm
          message={message}
          confirmLabel={confirmLabel}
          onConfirm={onConfirm}
          onCancel={() => {
            onCancel();
            requestAnimationFrame(() => document.getElementById(askedBy)?.focus());
          }}
        />
      </Table.Td>
    </Table.Tr>
  );
}
