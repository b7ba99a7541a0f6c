import { rejectionReportHeader, rejectionReportLine } from '@kindling/crm-import';
import type { DataProtection } from '@kindling/crypto';
import { sql, type TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { EntityCounts, ImportQuestion } from './import-runner.js';

export type ImportRunStatus = 'queued' | 'running' | 'applied' | 'refused' | 'failed';

export interface ImportRunFile {
  readonly name: string;
  readonly size: number;
  readonly entity: string | null;
}

/** One import in the history: who, when, how, which files, what changed. No values from the files. */
export interface ImportRunSummary {
  readonly runId: string;
  readonly status: ImportRunStatus;
  readonly mode: 'complete' | 'delta';
  readonly preset: string;
  /** The person's e-mail address or the API token's name; null for the operator's command line. */
  readonly who: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly files: readonly ImportRunFile[];
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly entities: Readonly<Record<string, EntityCounts>>;
}

export interface ImportRunDetail extends ImportRunSummary {
  /** What a running import reads now. */
  readonly progress: { readonly file: string; readonly entity: string; readonly rows: number } | null;
  readonly skipped: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly unrecognisedFiles: readonly string[];
  /** Why nothing changed, for a refused or failed import. */
  readonly problem: string | null;
  /** What the person must answer before the same files can be imported (a refused import). */
  readonly questions: readonly ImportQuestion[];
}

export interface ImportRunPage {
  readonly runs: readonly ImportRunSummary[];
  /** Pass as `cursor` for the next (older) page; null on the last. */
  readonly nextCursor: string | null;
}

/** Who a run's starter is, by account or token. */
export interface StarterNames {
  emailOf(userId: string): Promise<string>;
}

export const defaultImportPageSize = 20;
export const maxImportPageSize = 100;

interface RunRow {
  id: string;
  status: ImportRunStatus;
  mode: 'complete' | 'delta';
  preset: string;
  started_by_user_id: string | null;
  token_name: string | null;
  files: unknown;
  summary: unknown;
  problem: string | null;
  progress: unknown;
  created_at: Date;
  finished_at: Date | null;
  created_us: string;
}

const noSuchRun = (): AppError => new AppError('NOT_FOUND', 'No such import.');
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cursorPattern = /^([0-9]{1,20})\.([0-9a-f-]{36})$/u;

function runQuery(trx: TenantTransaction, orgId: string) {
  return trx
    .selectFrom('import_run')
    .leftJoin('api_token', (join) => join.onRef('api_token.id', '=', 'import_run.started_by_token_id').onRef('api_token.org_id', '=', 'import_run.org_id'))
    .select([
      'import_run.id',
      'import_run.status',
      'import_run.mode',
      'import_run.preset',
      'import_run.started_by_user_id',
      'api_token.name as token_name',
      'import_run.files',
      'import_run.summary',
      'import_run.problem',
      'import_run.progress',
      'import_run.created_at',
      'import_run.finished_at',
      sql<string>`(extract(epoch from import_run.created_at) * 1000000)::bigint::text`.as('created_us'),
    ])
    .where('import_run.org_id', '=', orgId);
}

/** The outcome runImport records with a finished run (nothing yet for a queued one). */
interface Summary {
  read?: number;
  accepted?: number;
  rejected?: number;
  skipped?: number;
  entities?: Record<string, EntityCounts>;
  rejectedByReason?: Record<string, number>;
  unrecognisedFiles?: string[];
  questions?: ImportQuestion[];
}

async function summaryOf(row: RunRow, names: StarterNames): Promise<{ readonly run: ImportRunSummary; readonly summary: Summary }> {
  const summary = (row.summary ?? {}) as Summary;
  const files = Array.isArray(row.files) ? (row.files as { name: string; bytes: number; entity: string | null }[]) : [];
  const who = row.started_by_user_id !== null ? await names.emailOf(row.started_by_user_id).catch(() => null) : row.token_name;
  const run: ImportRunSummary = {
    runId: row.id,
    status: row.status,
    mode: row.mode,
    preset: row.preset,
    who,
    startedAt: row.created_at,
    finishedAt: row.finished_at,
    files: files.map((file) => ({ name: file.name, size: file.bytes, entity: file.entity })),
    read: summary.read ?? 0,
    accepted: summary.accepted ?? 0,
    rejected: summary.rejected ?? 0,
    entities: summary.entities ?? {},
  };
  return { run, summary };
}

/** The organisation's imports, newest first, a keyset page at a time. */
export async function listImportRuns(trx: TenantTransaction, orgId: string, names: StarterNames, page: { readonly cursor?: string | undefined; readonly limit?: number | undefined }): Promise<ImportRunPage> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? defaultImportPageSize), 1), maxImportPageSize);
  let query = runQuery(trx, orgId);
  if (page.cursor !== undefined) {
    const match = cursorPattern.exec(page.cursor);
    if (match === null) throw new AppError('VALIDATION_FAILED', 'The cursor is not the nextCursor of a previous page.');
    query = query.where(sql<boolean>`((extract(epoch from import_run.created_at) * 1000000)::bigint, import_run.id) < (${match[1]}::bigint, ${match[2]}::uuid)`);
  }
  const rows = (await query.orderBy('import_run.created_at', 'desc').orderBy('import_run.id', 'desc').limit(limit + 1).execute()) as RunRow[];
  const runs = await Promise.all(rows.slice(0, limit).map(async (row) => (await summaryOf(row, names)).run));
  const last = rows[limit - 1];
  return { runs, nextCursor: rows.length > limit && last !== undefined ? `${last.created_us}.${last.id}` : null };
}

/** One import with its progress, reasons and problem. */
export async function readImportRun(trx: TenantTransaction, orgId: string, runId: string, names: StarterNames): Promise<ImportRunDetail> {
  if (!uuidPattern.test(runId)) throw noSuchRun();
  const row = (await runQuery(trx, orgId).where('import_run.id', '=', runId).executeTakeFirst()) as RunRow | undefined;
  if (row === undefined) throw noSuchRun();
  const { run, summary } = await summaryOf(row, names);
  return {
    ...run,
    progress: (row.progress ?? null) as ImportRunDetail['progress'],
    skipped: summary.skipped ?? 0,
    rejectedByReason: summary.rejectedByReason ?? {},
    unrecognisedFiles: summary.unrecognisedFiles ?? [],
    problem: row.problem,
    questions: summary.questions ?? [],
  };
}

/** Throws NOT_FOUND unless the run is the organisation's. */
export async function assertImportRun(trx: TenantTransaction, orgId: string, runId: string): Promise<void> {
  if (!uuidPattern.test(runId)) throw noSuchRun();
  const row = await trx.selectFrom('import_run').select('id').where('org_id', '=', orgId).where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw noSuchRun();
}

const reportPageSize = 1000;

/**
 * The refused cells of a run as CSV lines (the header first), values decrypted, formulas
 * defused exactly as `kindling import check --report` writes them. Read page by page, each
 * page in its own tenant transaction, so a large report streams in constant memory.
 */
export async function* rejectionReportLines(
  tenant: <T>(work: (trx: TenantTransaction) => Promise<T>) => Promise<T>,
  fields: Pick<DataProtection, 'decryptField'>,
  orgId: string,
  runId: string,
): AsyncGenerator<string> {
  yield rejectionReportHeader;
  let after: { file: string; line: number; id: string } | undefined;
  for (;;) {
    const from = after;
    const rows = await tenant((trx) => {
      let query = trx.selectFrom('import_rejection').select(['id', 'file', 'line', 'column_name', 'value_ciphertext', 'reason']).where('org_id', '=', orgId).where('import_run_id', '=', runId);
      if (from !== undefined) query = query.where(sql<boolean>`(file, line, id) > (${from.file}, ${from.line}, ${from.id}::uuid)`);
      return query.orderBy('file').orderBy('line').orderBy('id').limit(reportPageSize).execute();
    });
    for (const row of rows) {
      const value =
        row.value_ciphertext === null ? null : await fields.decryptField(row.value_ciphertext, { orgId, purpose: 'field', table: 'import_rejection', column: 'value_ciphertext', rowId: row.id });
      yield rejectionReportLine({ file: row.file, line: row.line, column: row.column_name, value, reason: row.reason });
    }
    const last = rows.at(-1);
    if (rows.length < reportPageSize || last === undefined) return;
    after = { file: last.file, line: last.line, id: last.id };
  }
}
