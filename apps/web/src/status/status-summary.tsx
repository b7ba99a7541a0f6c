import { Alert, List } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { StatusSnapshot } from './use-status-poll';

/** Plain-language list of what needs attention; empty when everything is healthy. */
export function findProblems({ status, healthz, readyz }: StatusSnapshot): string[] {
  const problems: string[] = [];
  if (!status.database.reachable) problems.push('The server cannot reach its database.');
  if (!status.jobs.dispatcher.running) {
    problems.push('The background job dispatcher is not running, so queued work such as imports will not start.');
  }
  const failed = status.jobs.failedLast24h;
  if (failed > 0) problems.push(`${failed.toLocaleString()} background job${failed === 1 ? '' : 's'} failed in the last 24 hours.`);
  if (healthz.error || healthz.answer !== 'ok') problems.push('The alive check (/healthz) did not pass.');
  if (readyz.error || readyz.answer !== 'ok') problems.push('The server says it is not ready to handle requests (/readyz).');
  return problems;
}

export function StatusSummary({ snapshot }: { snapshot: StatusSnapshot }) {
  const problems = findProblems(snapshot);
  if (problems.length === 0) {
    return (
      <Alert
        role="status"
        variant="light"
        color="teal"
        title="Everything is working"
        icon={<IconCircleCheck aria-hidden />}
      >
        The server, its database and its background jobs all answered normally.
      </Alert>
    );
  }
  return (
    <Alert variant="light" color="red" title="Some checks need attention" icon={<IconAlertTriangle aria-hidden />}>
      <List size="sm" spacing={4}>
        {problems.map((problem) => (
          <List.Item key={problem}>{problem}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
