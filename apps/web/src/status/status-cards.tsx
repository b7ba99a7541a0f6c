import { Code, Text } from '@mantine/core';
import { IconActivityHeartbeat, IconDatabase, IconServer, IconStack2 } from '@tabler/icons-react';
import type { ProbeResult } from '../api/status-api';
import { formatAgo, formatCount, formatDateTime, formatDuration, formatLatency } from './format';
import { StatusBadge } from './status-badge';
import { StatusCard } from './status-card';
import classes from './status-page.module.css';
import type { StatusSnapshot } from './use-status-poll';

function ProbeValue({ result }: { result: ProbeResult }) {
  if (result.error) {
    return <StatusBadge ok={false}>{result.error.kind === 'unreachable' ? 'No answer' : result.error.message}</StatusBadge>;
  }
  const ok = result.answer === 'ok';
  return (
    <span className={classes.probe}>
      <StatusBadge ok={ok}>{ok ? 'OK' : (result.answer ?? 'Unexpected answer')}</StatusBadge>
      <Text component="span" size="sm" c="dimmed">
        HTTP {result.httpStatus}
      </Text>
    </span>
  );
}

export function StatusCards({ snapshot }: { snapshot: StatusSnapshot }) {
  const { status, healthz, readyz } = snapshot;
  const { database, jobs } = status;
  const heartbeat = jobs.dispatcher.lastHeartbeatAt;

  return (
    <div className={classes.grid}>
      <StatusCard
        title="Server"
        icon={IconServer}
        rows={[
          { label: 'Kindling version', value: status.version },
          { label: 'Running for', value: formatDuration(status.uptimeSeconds) },
          { label: 'Server time', value: formatDateTime(status.time) },
        ]}
      />
      <StatusCard
        title="Database"
        icon={IconDatabase}
        badge={<StatusBadge ok={database.reachable}>{database.reachable ? 'Reachable' : 'Unreachable'}</StatusBadge>}
        rows={[
          { label: 'PostgreSQL version', value: database.serverVersion ?? 'Unknown' },
          { label: 'Response time', value: database.latencyMs === null ? 'Not measured' : formatLatency(database.latencyMs) },
          { label: 'Migrations applied', value: formatCount(database.migrations.applied) },
          {
            label: 'Latest migration',
            value: database.migrations.latest ? <Code>{database.migrations.latest}</Code> : 'None yet',
          },
        ]}
      />
      <StatusCard
        title="Background jobs"
        icon={IconStack2}
        badge={
          <StatusBadge ok={jobs.dispatcher.running}>
            {jobs.dispatcher.running ? 'Dispatcher running' : 'Dispatcher stopped'}
          </StatusBadge>
        }
        rows={[
          {
            label: 'Last heartbeat',
            value: heartbeat ? (
              <time dateTime={heartbeat} title={formatDateTime(heartbeat)}>
                {formatAgo(heartbeat, status.time)}
              </time>
            ) : (
              'None yet'
            ),
          },
          { label: 'Waiting to run', value: formatCount(jobs.queued) },
          { label: 'Running now', value: formatCount(jobs.running) },
          { label: 'Failed in the last 24 hours', value: formatCount(jobs.failedLast24h) },
        ]}
      />
      <StatusCard
        title="Health checks"
        icon={IconActivityHeartbeat}
        rows={[
          {
            label: (
              <>
                Alive <Code>/healthz</Code>
              </>
            ),
            value: <ProbeValue result={healthz} />,
          },
          {
            label: (
              <>
                Ready <Code>/readyz</Code>
              </>
            ),
            value: <ProbeValue result={readyz} />,
          },
        ]}
      />
    </div>
  );
}
