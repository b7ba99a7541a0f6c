import type { EntityChanges, FileAnswers, FormatAnswer, FormatQuestion, ImportRun, RunStatus } from './imports-api';
import { ENTITY_LABELS, countOf, entityLabel } from './reference-fields';

const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Waiting to start',
  running: 'Importing',
  applied: 'Imported',
  refused: 'Refused: nothing changed',
  failed: 'Failed: nothing changed',
};

export function statusLabel(status: RunStatus): string {
  return STATUS_LABELS[status];
}

export function statusColour(status: RunStatus): string {
  if (status === 'applied') return 'teal';
  if (status === 'refused' || status === 'failed') return 'red';
  return 'blue';
}

/** Whether the run is still going, so the screen keeps asking for news. */
export function isUnderway(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** "Reading gifts.csv: 12,000 gifts so far", or what a queued run waits for. */
export function progressText(run: Pick<ImportRun, 'status' | 'progress'>): string {
  if (run.status === 'queued' || run.progress === null) return 'Waiting for the import to start…';
  const { file, entity, rows } = run.progress;
  return `Reading ${file}: ${countOf(entity, rows)} so far`;
}

export interface ChangeRow extends EntityChanges {
  entity: string;
  label: string;
}

/** Per-entity changes in the order imports write them; entities this version does not know come last. */
export function changeRows(entities: ImportRun['entities']): ChangeRow[] {
  const order = ENTITY_LABELS.map((entity) => entity.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.entries(entities)
    .map(([entity, changes]) => ({ entity, label: entityLabel(entity), ...changes }))
    .sort((a, b) => rank(a.entity) - rank(b.entity));
}

/** Reasons for refused rows, commonest first. */
export function reasonRows(byReason: Readonly<Record<string, number>>): { reason: string; rows: number }[] {
  return Object.entries(byReason)
    .map(([reason, rows]) => ({ reason, rows }))
    .sort((a, b) => b.rows - a.rows || a.reason.localeCompare(b.reason));
}

/** What to ask per file: each kind of question once, with the columns and examples that raised it. */
export interface FileQuestion {
  file: string;
  kind: FormatQuestion['kind'];
  columns: string[];
  examples: string[];
}

export function questionsByFile(questions: readonly FormatQuestion[]): FileQuestion[] {
  const grouped = new Map<string, FileQuestion>();
  for (const question of questions) {
    const key = `${question.file}\u0000${question.kind}`;
    const entry = grouped.get(key) ?? { file: question.file, kind: question.kind, columns: [], examples: [] };
    entry.columns.push(question.column);
    for (const example of question.examples) if (entry.examples.length < 3 && !entry.examples.includes(example)) entry.examples.push(example);
    grouped.set(key, entry);
  }
  return [...grouped.values()];
}

const isDateOrder = (answer: FormatAnswer): boolean => answer === 'dmy' || answer === 'mdy';

/**
 * Earlier answers with new ones on top: a run stops at the first file that asks, so the next run
 * may ask about another file, or the same file about its amounts — what was answered stays.
 */
export function mergeAnswers(earlier: Readonly<FileAnswers>, later: Readonly<FileAnswers>): FileAnswers {
  const merged: FileAnswers = Object.fromEntries(Object.entries(earlier).map(([file, answers]) => [file, [...answers]]));
  for (const [file, answers] of Object.entries(later)) {
    const kept = (merged[file] ?? []).filter((answer) => !answers.some((given) => isDateOrder(given) === isDateOrder(answer)));
    merged[file] = [...kept, ...answers];
  }
  return merged;
}

/** "2 files: contacts.csv and gifts.csv" — for the history table. */
export function filesSummary(files: ImportRun['files']): string {
  if (files.length === 0) return '—';
  const names = files.map((file) => file.name);
  return names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${String(names.length - 2)} more`;
}

const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB'] as const;

/** "1.4 MB", "820 KB", "12 bytes" (powers of 1,000, as file managers show). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString('en-GB', { maximumFractionDigits: digits })} ${BYTE_UNITS[unit] ?? 'bytes'}`;
}
