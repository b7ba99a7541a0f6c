import { Anchor, Button, Table, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { formatWhen } from '../settings/admin-format';
import { describeApiError } from '../api/api-error-details';
import { LoadFailed, ProblemAlert, TableSkeleton } from '../settings/settings-parts';
import type { ResourceHandle } from '../settings/use-resource';
import { fetchImportHistory, type HistoryPage, type ImportRun } from './imports-api';
import { CountCell, FiguresTable, RunStatusBadge } from './run-result';
import { filesSummary } from './run-summary';
import shared from '../settings/settings.module.css';
import classes from './imports.module.css';

export const runPath = (runId: string) => `/imports/runs/${encodeURIComponent(runId)}`;

function HistoryTable({ runs }: { runs: readonly ImportRun[] }) {
  return (
    <FiguresTable label="Past imports" headers={['Started', 'By', 'Files', 'Status', 'Read', 'Accepted', 'Refused']} textColumns={4}>
      {runs.map((run) => {
        const when = formatWhen(run.startedAt);
        return (
          <Table.Tr key={run.runId}>
            <Table.Td className={classes.noWrap}>
              <Anchor component={Link} to={runPath(run.runId)} fw={600}>
                {when}
              </Anchor>
            </Table.Td>
            <Table.Td className={classes.cellWrap}>{run.who ?? 'Command line or a former member'}</Table.Td>
            <Table.Td className={classes.cellWrap}>{filesSummary(run.files)}</Table.Td>
            <Table.Td>
              <RunStatusBadge run={run} />
            </Table.Td>
            <CountCell value={run.read} />
            <CountCell value={run.accepted} />
            <CountCell value={run.rejected} />
          </Table.Tr>
        );
      })}
    </FiguresTable>
  );
}

/** Older pages fetched on request, for the first page they continue. */
interface OlderPages {
  after: HistoryPage;
  runs: ImportRun[];
  nextCursor: string | null;
}

/** Every import of the organisation, newest first, each linking to its result. */
export function ImportHistory({ orgId, history }: { orgId: string; history: ResourceHandle<HistoryPage> }) {
  const headingId = useId();
  const { resource } = history;
  const [older, setOlder] = useState<OlderPages | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const first = resource.status === 'ready' ? resource.data : null;
  // A refreshed first page starts the list again: older pages were fetched for the previous one.
  const extra = older !== null && older.after === first ? older : null;
  const runs = first ? [...first.runs, ...(extra?.runs ?? [])] : [];
  const nextCursor = extra ? extra.nextCursor : (first?.nextCursor ?? null);

  async function showOlder() {
    if (first === null || nextCursor === null) return;
    setLoadingOlder(true);
    setProblem(null);
    try {
      const page = await fetchImportHistory(orgId, nextCursor);
      setOlder({ after: first, runs: [...(extra?.runs ?? []), ...page.runs], nextCursor: page.nextCursor });
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.history}>
      <Title order={2} size="h3" id={headingId}>
        Import history
      </Title>
      <Text c="dimmed" className={shared.sectionIntro}>
        Every import, who started it and what it changed. Open one to see its full result.
      </Text>
      {resource.status === 'loading' ? <TableSkeleton rows={3} /> : null}
      {resource.status === 'failed' ? <LoadFailed title="The import history could not be loaded" error={resource.error} onRetry={history.reload} /> : null}
      {first !== null && runs.length === 0 ? <Text className={shared.empty}>No imports yet.</Text> : null}
      {runs.length > 0 ? <HistoryTable runs={runs} /> : null}
      <ProblemAlert problem={problem} />
      {nextCursor !== null ? (
        <Button variant="default" mt="md" loading={loadingOlder} onClick={() => void showOlder()}>
          Show older imports
        </Button>
      ) : null}
    </section>
  );
}
