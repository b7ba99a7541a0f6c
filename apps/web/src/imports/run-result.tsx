import { Alert, Badge, Button, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconInfoCircle, IconShieldX } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import { TableFrame } from '../settings/settings-parts';
import { rejectionsReportUrl, type ImportRun } from './imports-api';
import { presetLabel } from './mapping-state';
import { changeRows, formatBytes, progressText, reasonRows, statusColour, statusLabel } from './run-summary';
import shared from '../settings/settings.module.css';
import classes from './imports.module.css';

const number = (value: number) => value.toLocaleString('en-GB');

/** A column heading over counts, aligned with them. */
function CountHeader({ children }: { children: string }) {
  return (
    <Table.Th scope="col" className={classes.numeric}>
      {children}
    </Table.Th>
  );
}

interface FiguresTableProps {
  label: string;
  /** Column headings: the first `textColumns` over text, the rest over counts. */
  headers: readonly string[];
  textColumns?: number;
  children: ReactNode;
}

/** A table of figures in a frame that scrolls sideways on small screens. */
export function FiguresTable({ label, headers, textColumns = 1, children }: FiguresTableProps) {
  return (
    <TableFrame label={`${label} table`}>
      <Table verticalSpacing="xs" horizontalSpacing="md" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header, index) =>
              index < textColumns ? (
                <Table.Th key={header} scope="col">
                  {header}
                </Table.Th>
              ) : (
                <CountHeader key={header}>{header}</CountHeader>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </TableFrame>
  );
}

export function CountCell({ value }: { value: number }) {
  return <Table.Td className={classes.numeric}>{number(value)}</Table.Td>;
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: 'good' | 'bad' | undefined }) {
  return (
    <div className={classes.figure} data-tone={tone}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text className={classes.figureValue}>{number(value)}</Text>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={classes.resultSection}>
      <Title order={3} size="h4" id={headingId} mb="xs">
        {title}
      </Title>
      {children}
    </section>
  );
}

/** While the job runs: what it reads now, file by file. */
export function RunProgress({ run }: { run: ImportRun }) {
  return (
    <Paper withBorder radius="lg" className={classes.progressPanel}>
      <Group gap="md" wrap="nowrap">
        <Loader size="md" aria-hidden />
        <div>
          <Text fw={600}>{run.status === 'queued' ? 'The import is about to start' : 'Importing'}</Text>
          <Text size="sm" c="dimmed" role="status">
            {progressText(run)}
          </Text>
        </div>
      </Group>
      <Text size="sm" mt="md">
        You can leave this page: the import goes on, and its result will be in the history below.
      </Text>
    </Paper>
  );
}

function Outcome({ run }: { run: ImportRun }) {
  if (run.status === 'applied') {
    return (
      <Alert variant="light" color="teal" icon={<IconCircleCheck aria-hidden />} title="The import is complete" role="status">
        {run.rejected === 0
          ? 'Every row was imported.'
          : `${number(run.rejected)} ${run.rejected === 1 ? 'row was' : 'rows were'} left out because of problems; everything else was imported. The report lists each one.`}
      </Alert>
    );
  }
  return (
    <Alert variant="light" color="red" icon={<IconShieldX aria-hidden />} title={run.status === 'failed' ? 'The import failed, and nothing was changed' : 'The import was refused, and nothing was changed'} role="alert">
      {run.problem ?? 'Kindling could not finish the import.'} Your data in Kindling is exactly as it was before.
    </Alert>
  );
}

/** A finished run: what was read, accepted and refused, why, and what changed. */
export function RunResult({ orgId, run, canDownload }: { orgId: string; run: ImportRun; canDownload: boolean }) {
  const changes = changeRows(run.entities);
  const reasons = reasonRows(run.rejectedByReason);
  return (
    <div className={classes.result}>
      <Outcome run={run} />
      {/* A CSS grid rather than SimpleGrid: responsive SimpleGrid writes a <style> element, which the CSP blocks. */}
      <div className={classes.figures}>
        <Figure label="Rows read" value={run.read} />
        <Figure label="Rows accepted" value={run.accepted} tone="good" />
        <Figure label="Rows refused" value={run.rejected} tone={run.rejected > 0 ? 'bad' : undefined} />
      </div>

      {reasons.length > 0 ? (
        <Section title="Why rows were refused">
          <FiguresTable label="Refused rows by reason" headers={['Reason', 'Rows']}>
            {reasons.map(({ reason, rows }) => (
              <Table.Tr key={reason}>
                <Table.Td>{reason}</Table.Td>
                <CountCell value={rows} />
              </Table.Tr>
            ))}
          </FiguresTable>
        </Section>
      ) : null}

      {run.status === 'applied' && changes.length > 0 ? (
        <Section title="What changed in Kindling">
          <FiguresTable label="Changes by kind of record" headers={['Records', 'Added', 'Updated', 'Unchanged', 'Deleted']}>
            {changes.map((row) => (
              <Table.Tr key={row.entity}>
                <Table.Td className={shared.cellMain}>{row.label}</Table.Td>
                <CountCell value={row.inserted} />
                <CountCell value={row.updated} />
                <CountCell value={row.unchanged} />
                <CountCell value={row.deleted} />
              </Table.Tr>
            ))}
          </FiguresTable>
        </Section>
      ) : null}

      {run.files.length > 0 ? (
        <Section title="Files">
          <ul className={classes.plainList}>
            {run.files.map((file) => (
              <li key={file.name}>
                {file.name}
                <Text span c="dimmed">
                  {' '}
                  · {formatBytes(file.size)}
                </Text>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Group gap="sm" mt="lg" align="center">
        {run.rejected > 0 && canDownload ? (
          <Button component="a" href={rejectionsReportUrl(orgId, run.runId)} download variant="light" leftSection={<IconDownload size={18} aria-hidden />}>
            Download the report (CSV)
          </Button>
        ) : null}
        <Badge variant="outline" color="gray" size="lg" radius="sm">
          {run.mode === 'complete' ? 'Complete export' : 'Changes only'}
        </Badge>
        <Badge variant="outline" color="gray" size="lg" radius="sm">
          {presetLabel(run.preset)}
        </Badge>
      </Group>
      {run.rejected > 0 && canDownload ? (
        <Text size="sm" c="dimmed" mt="xs" className={classes.note}>
          <IconInfoCircle size={16} aria-hidden className={classes.inlineIcon} /> The report lists each refused row by file, line, column, value and reason. It
          contains values from your files, so keep it as safely as the exports themselves and delete it when you are done.
        </Text>
      ) : null}
    </div>
  );
}

/** The status of a run as a small coloured label. */
export function RunStatusBadge({ run }: { run: Pick<ImportRun, 'status'> }) {
  return (
    <Badge variant="light" color={statusColour(run.status)} radius="sm">
      {statusLabel(run.status)}
    </Badge>
  );
}
