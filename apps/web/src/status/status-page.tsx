import { Button, Group, Loader, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { PageHeader } from '../layout/page-header';
import { formatTime } from './format';
import { StatusCards } from './status-cards';
import { StatusError } from './status-error';
import classes from './status-page.module.css';
import { StatusSkeleton } from './status-skeleton';
import { StatusSummary } from './status-summary';
import { useStatusPoll } from './use-status-poll';

const REFRESH_SECONDS = 15;
const EVERY = `Updates every ${String(REFRESH_SECONDS)} seconds.`;

export function StatusPage() {
  const { snapshot, error, pending, refresh } = useStatusPoll(REFRESH_SECONDS * 1000);

  return (
    <>
      <PageHeader
        title="System status"
        description="Whether this Kindling server, its database and its background jobs are working."
      />

      <Group justify="space-between" className={classes.toolbar}>
        <Text size="sm" c="dimmed">
          {snapshot ? `Last checked at ${formatTime(snapshot.checkedAt)}. ${EVERY}` : EVERY}
        </Text>
        <Button
          variant="default"
          onClick={refresh}
          leftSection={pending ? <Loader size={16} aria-hidden /> : <IconRefresh size={16} stroke={1.75} aria-hidden />}
        >
          {pending ? 'Refreshing…' : 'Refresh'}
        </Button>
      </Group>

      <div className={classes.sections}>
        {error ? <StatusError error={error} staleSince={snapshot?.checkedAt ?? null} onRetry={refresh} /> : null}
        {snapshot && !error ? <StatusSummary snapshot={snapshot} /> : null}
        {snapshot ? <StatusCards snapshot={snapshot} /> : null}
        {!snapshot && !error ? <StatusSkeleton /> : null}
      </div>
    </>
  );
}
