import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { presetFileFor, readFileRows, readZipEntries, type FormatQuestion, type ImportPreset, type ReferenceRow, type Rejection, type RowBatch, type ZipLimits } from '@kindling/crm-import';
import { appendAuditEvent, sql, withTenant, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { AppError, isAppError } from '@kindling/errors';
import type { ObjectStore } from '@kindling/object-store';
import { registerContactAttributes } from './contact-attribute-registry.js';
import { createTimeOrderedIds } from './time-ordered-ids.js';
import { createStage, isStagedEntity, mergeStaged, sendWrite, settleWrites, type MergeCounts } from './staged-merge.js';
import { tableOf, writeCommunications, writeContacts, writeKeyed, writeOrder, type BatchOutcome, type WriteContext, type WriterFields } from './entity-writers.js';
import { writePaymentFailures } from './payment-failure-writer.js';

export interface ImportDependencies {
  /** The application-role pool: everything happens inside the organisation's tenant context. */
  readonly db: Kysely<Database>;
  readonly fields: WriterFields;
  /** The organisation's encrypted object store: raw files are kept so an import can be replayed. */
  readonly objectStore: (orgId: string) => ObjectStore;
}

export interface ImportRequest {
  readonly orgId: string;
  readonly preset: ImportPreset;
  readonly mode: 'complete' | 'delta';
  readonly organisationCurrency: string;
  readonly files: readonly { readonly name: string; readonly bytes: AsyncIterable<Uint8Array> }[];
  readonly actor: { readonly userId: string | null; readonly tokenId: string | null };
  readonly maxRejectedShare: number;
  readonly limits: ZipLimits;
  readonly answersForEveryFile?: Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>>;
  /** Answers for one file (by its name in the run, a zip entry as "x.zip/entry.csv"), before answersForEveryFile. */
  readonly answersByFile?: Readonly<Record<string, Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>>>>;
  /** Rejections kept with the run for its report (all are counted); 100,000 by default. */
  readonly maxStoredRejections?: number;
  /** A run created beforehand as 'queued' (an import started through the API): this call runs it. */
  readonly runId?: string;
  /** Called after each batch of rows, for a progress display. */
  readonly onProgress?: (progress: { readonly file: string; readonly entity: string; readonly rows: number }) => void;
}

export interface EntityCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface ImportOutcome {
  readonly runId: string;
  readonly status: 'applied' | 'refused';
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly skipped: number;
  readonly entities: Readonly<Record<string, EntityCounts>>;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly unrecognisedFiles: readonly string[];
  /** Why nothing changed, for a refused import. */
  readonly problem: string | null;
  /** Columns that read two ways and must be answered before the files can be imported (a refused import). */
  readonly questions: readonly ImportQuestion[];
}

/** A column whose values read two ways: the person says which (`answersByFile`), never a guess. */
export interface ImportQuestion {
  readonly file: string;
  readonly column: string;
  readonly kind: FormatQuestion['kind'];
  readonly examples: readonly string[];
}

interface StoredFile {
  readonly name: string;
  readonly objectKey: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly entity: string | null;
}

/** Thrown inside the transaction to roll it back when the import must change nothing. */
class ImportRefused extends Error {
  constructor(
    message: string,
    readonly questions: readonly ImportQuestion[] = [],
  ) {
    super(message);
  }
}

/**
 * One import, start to end: the raw files go to the organisation's encrypted object store (zips
 * as their entries), then every file is read in dependency order and written in ONE transaction
 * — contacts first, then campaigns, plans, gifts, communications; unchanged rows untouched; in a
 * complete import, rows the files no longer hold are deleted. If more rows are refused than
 * allowed, or any file needs an answer first, the transaction rolls back and nothing changes.
 * Killing the process at any moment leaves the previous state: the transaction never commits.
 * The run and its refused rows (values encrypted) are recorded either way.
 */
export async function runImport(deps: ImportDependencies, request: ImportRequest): Promise<ImportOutcome> {
  const { db } = deps;
  const { orgId } = request;
  const run = await withTenant(db, { orgId }, (trx) =>
    request.runId === undefined
      ? trx
          .insertInto('import_run')
          .values({ org_id: orgId, mode: request.mode, preset: request.preset.id, status: 'running', started_by_user_id: request.actor.userId, started_by_token_id: request.actor.tokenId })
          .returning('id')
          .executeTakeFirstOrThrow()
      : trx
          .updateTable('import_run')
          .set({ status: 'running' })
          .where('org_id', '=', orgId)
          .where('id', '=', request.runId)
          .where('status', 'in', ['queued', 'running'])
          .returning('id')
          .executeTakeFirstOrThrow(() => new AppError('CONFLICT', 'The import has already finished.')),
  );
  const store = deps.objectStore(orgId);
  const rejections: Rejection[] = [];
  const byReason = new Map<string, number>();
  const maxStored = request.maxStoredRejections ?? 100_000;
  const rejectedLines = new Set<string>();
  const reject = (rejection: Rejection): void => {
    rejectedLines.add(`${rejection.file}\u0000${String(rejection.line)}`);
    const reason = rejection.reason.split(/[:(]/u)[0]?.trim() ?? rejection.reason;
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    if (rejections.length < maxStored) rejections.push(rejection);
  };
  const totals = { read: 0, accepted: 0, skipped: 0 };
  const entities: Record<string, EntityCounts> = {};
  let stored: StoredFile[] = [];
  let problem: string | null = null;
  let questions: readonly ImportQuestion[] = [];
  try {
    stored = await storeFiles(store, run.id, request);
    await withTenant(db, { orgId }, async (trx) => {
      await sql`CREATE TEMP TABLE import_seen (entity text NOT NULL, id uuid NOT NULL) ON COMMIT DROP`.execute(trx);
      await sql`CREATE TEMP TABLE import_written (id uuid NOT NULL) ON COMMIT DROP`.execute(trx);
      const keys = await deps.fields.organisationKeys(orgId);
      const context: WriteContext = { trx, orgId, runId: run.id, fields: deps.fields, keys, newId: createTimeOrderedIds(), inFlight: { write: undefined }, stages: new Map(), contactIds: new Map(), reject };
      for (const entity of writeOrder) {
        const files = stored.filter((file) => file.entity === entity);
        if (files.length === 0) continue;
        const counts: EntityCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
        entities[entity] = counts;
        if (isStagedEntity(entity)) await createStage(context, entity);
        for (const file of files) await importFile(context, store, file, request, counts, totals);
        await settleWrites(context);
        if (isStagedEntity(entity)) mergeCounts(counts, await mergeStaged(context, entity, request.mode));
        else if (request.mode === 'complete') counts.deleted = await deleteUnseen(trx, orgId, entity);
      }
      const rejected = rejectedLines.size;
      totals.accepted = totals.read - rejected;
      if (totals.read === 0) throw new ImportRefused('The files hold no rows this preset imports.');
      if (rejected / totals.read > request.maxRejectedShare) {
        throw new ImportRefused(
          `${String(rejected)} of ${String(totals.read)} rows (${((rejected / totals.read) * 100).toFixed(1)} %) were refused, more than the ${(request.maxRejectedShare * 100).toFixed(0)} % allowed: nothing was changed. Fix the file(s) and import again.`,
        );
      }
    });
  } catch (error) {
    if (error instanceof ImportRefused) {
      problem = error.message;
      questions = error.questions;
    } else if (isAppError(error) && error.code === 'VALIDATION_FAILED') problem = error.message;
    else {
      await finishRun(deps, orgId, run.id, 'failed', stored, { problem: 'The import failed unexpectedly; nothing was changed.' }, [], request.actor);
      throw error;
    }
  }
  const status = problem === null ? 'applied' : 'refused';
  const rejected = rejectedLines.size;
  const outcome: ImportOutcome = {
    runId: run.id,
    status,
    read: totals.read,
    accepted: problem === null ? totals.read - rejected : 0,
    rejected,
    skipped: totals.skipped,
    entities: problem === null ? entities : {},
    rejectedByReason: Object.fromEntries(byReason),
    unrecognisedFiles: stored.filter((file) => file.entity === null).map((file) => file.name),
    problem,
    questions,
  };
  await finishRun(deps, orgId, run.id, status, stored, { ...outcome }, rejections, request.actor);
  return outcome;
}

async function importFile(context: WriteContext, store: ObjectStore, file: StoredFile, request: ImportRequest, counts: EntityCounts, totals: { read: number; skipped: number }): Promise<void> {
  const presetFile = presetFileFor(request.preset, file.name);
  if (presetFile === undefined) return;
  const { start, batches } = await readFileRows(
    { name: file.name, bytes: store.get(file.objectKey) },
    { preset: request.preset, presetFile, organisationCurrency: request.organisationCurrency, limits: request.limits, ...answersFor(request, file.name) },
  );
  const blockers = [
    ...start.questions.map((question) =>
      question.kind === 'date-order'
        ? `${question.column}: dates such as ${question.examples.join(', ')} read both day-first and month-first (say which)`
        : `${question.column}: amounts read with either a point or a comma as the decimal separator (say which)`,
    ),
    ...(start.mapping.missingRequired.length > 0 ? [`no column for ${start.mapping.missingRequired.join(', ')}`] : []),
    ...(start.mapping.duplicateHeaders.length > 0 ? [`headers appear twice: ${start.mapping.duplicateHeaders.join(', ')}`] : []),
  ];
  if (blockers.length > 0) {
    const questions = start.questions.map((question) => ({ file: file.name, column: question.column, kind: question.kind, examples: question.examples }));
    throw new ImportRefused(`${file.name}: ${blockers.join('; ')}. Nothing was changed.`, questions);
  }
  await registerContactAttributes(context.trx, context.orgId, file.name, presetFile.attributes ?? []);
  let rowsOfFile = 0;
  for await (const batch of largerBatches(batches)) {
    rowsOfFile += batch.rows.length + batch.rejections.length + batch.skipped;
    request.onProgress?.({ file: file.name, entity: start.entity.name, rows: rowsOfFile });
    totals.skipped += batch.skipped;
    totals.read += batch.rows.length + new Set(batch.rejections.map((rejection) => rejection.line)).size;
    for (const rejection of batch.rejections) context.reject(rejection);
    if (batch.rows.length === 0) continue;
    const rows = { file: file.name, rows: batch.rows, lines: batch.lines };
    const outcome = await writeBatch(context, start.entity.name, rows);
    counts.inserted += outcome.inserted;
    counts.updated += outcome.updated;
    counts.unchanged += outcome.unchanged;
    const seen = outcome.seen.filter((id) => id !== '');
    if (seen.length > 0) sendWrite(context, () => sql`INSERT INTO import_seen (entity, id) SELECT ${start.entity.name}, unnest(${seen}::uuid[])`.execute(context.trx));
  }
}

/** Rows per write: a read chunk holds a few hundred rows, and each write has a fixed cost (a round trip, a plan, a lookup). */
const rowsPerWrite = 5000;

/** The reader's batches joined until they hold `rowsPerWrite` rows (or the file ends). */
async function* largerBatches(batches: AsyncIterable<RowBatch>): AsyncGenerator<RowBatch> {
  let joined: { rows: ReferenceRow[]; lines: number[]; rejections: Rejection[]; skipped: number } = { rows: [], lines: [], rejections: [], skipped: 0 };
  for await (const batch of batches) {
    // Loops, not push(...rows): an XLSX sheet arrives as one batch, too many for spread arguments.
    for (const row of batch.rows) joined.rows.push(row);
    for (const line of batch.lines) joined.lines.push(line);
    for (const rejection of batch.rejections) joined.rejections.push(rejection);
    joined.skipped += batch.skipped;
    if (joined.rows.length >= rowsPerWrite) {
      yield joined;
      joined = { rows: [], lines: [], rejections: [], skipped: 0 };
    }
  }
  if (joined.rows.length > 0 || joined.rejections.length > 0 || joined.skipped > 0) yield joined;
}

function answersFor(request: ImportRequest, fileName: string): { answers?: Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>> } {
  const answers = request.answersByFile?.[fileName] ?? request.answersForEveryFile;
  return answers === undefined ? {} : { answers };
}

function writeBatch(context: WriteContext, entity: string, batch: { file: string; rows: readonly Record<string, unknown>[]; lines: readonly number[] }): Promise<BatchOutcome> {
  const rows = { file: batch.file, rows: batch.rows as never, lines: batch.lines };
  switch (entity) {
    case 'contacts':
      return writeContacts(context, rows);
    case 'communications':
      return writeCommunications(context, rows);
    case 'payment_failures':
      return writePaymentFailures(context, rows);
    case 'campaigns':
    case 'recurring_plans':
    case 'gifts':
      return writeKeyed(context, entity, rows);
    default:
      throw new Error(`no writer for ${entity}`);
  }
}

/** Staged rows were counted as unchanged while read; the merge says how many were in fact new or changed. */
function mergeCounts(counts: EntityCounts, merged: MergeCounts): void {
  counts.inserted += merged.inserted;
  counts.updated += merged.updated;
  counts.unchanged -= merged.inserted + merged.updated;
  counts.deleted = merged.deleted;
}

/** A complete import is the whole picture: rows of an imported entity the files no longer hold go. */
async function deleteUnseen(trx: TenantTransaction, orgId: string, entity: string): Promise<number> {
  const table = tableOf[entity as keyof typeof tableOf];
  const result = await sql`
    DELETE FROM ${sql.table(table)} t WHERE t.org_id = ${orgId}
      AND NOT EXISTS (SELECT 1 FROM import_seen s WHERE s.entity = ${entity} AND s.id = t.id)`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Raw files into the object store (zips as their entries), each with its size, checksum and entity. */
async function storeFiles(store: ObjectStore, runId: string, request: ImportRequest): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  const keep = async (name: string, bytes: AsyncIterable<Uint8Array>): Promise<void> => {
    const hash = createHash('sha256');
    let size = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of bytes) {
          size += chunk.length;
          if (size > request.limits.maxTotalBytes) throw new AppError('VALIDATION_FAILED', `${name} is larger than the import size limit.`);
          hash.update(chunk);
          yield chunk;
        }
      })(),
    );
    // Object keys hold no personal data: the run and a number, never the file's name.
    const objectKey = `imports/${runId}/${String(stored.length + 1).padStart(4, '0')}`;
    await store.put(objectKey, counted);
    stored.push({ name, objectKey, bytes: size, sha256: hash.digest('hex'), entity: presetFileFor(request.preset, name)?.entity ?? null });
  };
  for (const file of request.files) {
    if (!/\.zip$/iu.test(file.name)) await keep(file.name, file.bytes);
    else for await (const entry of readZipEntries(file.bytes, { fileName: file.name, limits: request.limits })) await keep(`${file.name}/${entry.name}`, entry.data);
  }
  return stored;
}

async function finishRun(
  deps: ImportDependencies,
  orgId: string,
  runId: string,
  status: 'applied' | 'refused' | 'failed',
  files: readonly StoredFile[],
  summary: Readonly<Record<string, unknown>>,
  rejections: readonly Rejection[],
  actor: ImportRequest['actor'],
): Promise<void> {
  await withTenant(deps.db, { orgId }, async (trx) => {
    for (const rejection of rejections) {
      const id = crypto.randomUUID();
      await trx
        .insertInto('import_rejection')
        .values({
          id,
          org_id: orgId,
          import_run_id: runId,
          file: rejection.file.slice(0, 1000),
          line: rejection.line,
          column_name: rejection.column?.slice(0, 500) ?? null,
          value_ciphertext:
            rejection.value === null || rejection.value === '' ? null : await deps.fields.encryptField(rejection.value, { orgId, purpose: 'field', table: 'import_rejection', column: 'value_ciphertext', rowId: id }),
          reason: rejection.reason.slice(0, 1000),
        })
        .execute();
    }
    const { problem, ...rest } = summary as { problem?: string | null };
    await trx
      .updateTable('import_run')
      .set({ status, files: JSON.stringify(files), summary: JSON.stringify(rest), problem: problem ?? null, finished_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', '=', runId)
      .execute();
    await appendAuditEvent(trx, {
      orgId,
      action: status === 'applied' ? 'import.applied' : status === 'refused' ? 'import.refused' : 'import.failed',
      actorUserId: actor.userId,
      actorTokenId: actor.tokenId,
      target: { type: 'import_run', id: runId },
      details: { files: files.length },
    });
  });
}
