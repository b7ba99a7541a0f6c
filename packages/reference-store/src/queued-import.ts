import { importPresetNamed, presetFromMappings, referenceSchema, type ImportPreset, type ImportPresetId, type ZipLimits } from '@kindling/crm-import';
import { withTenant, type TenantTransaction } from '@kindling/db';
import { AppError, isAppError } from '@kindling/errors';
import type { ObjectStore } from '@kindling/object-store';
import type { FileAnswers, FormatAnswer, QueuedImport } from './import-service.js';
import { runImport, type ImportDependencies, type ImportOutcome } from './import-runner.js';
import { finishedUploads, uploadBytes } from './upload-store.js';

export interface QueuedImportDependencies extends ImportDependencies {
  readonly maxRejectedShare: number;
  readonly zipLimits: ZipLimits;
  /** How often progress is written to the run at most; 1000 ms by default. */
  readonly progressIntervalMs?: number;
}

const fieldsOfType = (type: string): string[] => [...new Set(referenceSchema.flatMap((entity) => entity.fields.filter((field) => field.type === type).map((field) => field.name)))];
const dateFields = fieldsOfType('date');
const amountFields = fieldsOfType('amount');

/** A person answers per file; the reader takes answers per field: a date order speaks for every date field, a separator for every amount. */
function answersByFile(answers: Readonly<Record<string, FileAnswers>>): Record<string, Record<string, FormatAnswer>> {
  const byField = (answer: FormatAnswer): [string, FormatAnswer][] => (answer === 'dmy' || answer === 'mdy' ? dateFields : amountFields).map((field) => [field, answer]);
  return Object.fromEntries(Object.entries(answers).map(([fileName, given]) => [fileName, Object.fromEntries((typeof given === 'string' ? [given] : given).flatMap(byField))]));
}

/**
 * Runs an import the API queued: its uploads become the run's files (streamed from the object
 * store, decrypted on the way), progress is written to the run at most once a second for the
 * screen that polls it. A run that finished already (a retried job) is left as it is; uploads
 * that are gone fail the run with a message saying so.
 */
export async function runQueuedImport(deps: QueuedImportDependencies, orgId: string, payload: QueuedImport): Promise<ImportOutcome | null> {
  const store = deps.objectStore(orgId);
  const loaded = await withTenant(deps.db, { orgId }, async (trx) => {
    const run = await trx.selectFrom('import_run').select(['status', 'started_by_user_id', 'started_by_token_id']).where('org_id', '=', orgId).where('id', '=', payload.runId).executeTakeFirst();
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return null;
    try {
      return { run, files: payload.replayOf === undefined ? await uploadedFiles(trx, store, orgId, payload.uploadIds) : await keptFiles(trx, store, orgId, payload.replayOf) };
    } catch (error) {
      if (isAppError(error) && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT')) return { run, files: null };
      throw error;
    }
  });
  if (loaded === null) return null;
  if (loaded.files === null) {
    await failRun(deps, orgId, payload.runId, 'The files are no longer there (uploads are kept a week): upload them again.');
    return null;
  }
  const progress = progressWriter(deps, orgId, payload.runId);
  try {
    return await runImport(deps, {
      orgId,
      runId: payload.runId,
      preset: presetOf(payload),
      mode: payload.mode,
      organisationCurrency: payload.currency,
      files: loaded.files,
      actor: { userId: loaded.run.started_by_user_id, tokenId: loaded.run.started_by_token_id },
      maxRejectedShare: deps.maxRejectedShare,
      limits: deps.zipLimits,
      ...(payload.answers === undefined ? {} : { answersByFile: answersByFile(payload.answers) }),
      onProgress: progress.update,
    });
  } finally {
    await progress.flushed();
  }
}

type RunFiles = { readonly name: string; readonly bytes: AsyncIterable<Uint8Array> }[];

async function uploadedFiles(trx: TenantTransaction, store: ObjectStore, orgId: string, uploadIds: readonly string[]): Promise<RunFiles> {
  const uploads = await finishedUploads(trx, orgId, uploadIds);
  return uploads.map((upload) => ({ name: upload.fileName, bytes: uploadBytes(store, upload) }));
}

/** The raw files an earlier run kept (`imports/<runId>/NNNN`), read lazily when the import reaches them. */
async function keptFiles(trx: TenantTransaction, store: ObjectStore, orgId: string, runId: string): Promise<RunFiles> {
  const row = await trx.selectFrom('import_run').select('files').where('org_id', '=', orgId).where('id', '=', runId).executeTakeFirst();
  if (row === undefined || !Array.isArray(row.files)) throw new AppError('NOT_FOUND', 'No such import.');
  return (row.files as { name: string; objectKey?: string }[]).flatMap((file) =>
    file.objectKey === undefined ? [] : [{ name: file.name, bytes: lazily(() => store.get(file.objectKey ?? '')) }],
  );
}

/** Opens the stream only when iterated, so files waiting their turn hold nothing open. */
async function* lazily(open: () => AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of open()) yield chunk;
}

/** A named preset, or one made of the files' confirmed mappings (a zip entry is known by its own name). */
function presetOf(payload: QueuedImport): ImportPreset {
  if (payload.preset !== 'custom') return importPresetNamed(payload.preset as ImportPresetId);
  return presetFromMappings((payload.mappings ?? []).map(({ fileName, mapping }) => ({ fileName: fileName.split('/').at(-1) ?? fileName, mapping })));
}

async function failRun(deps: Pick<QueuedImportDependencies, 'db'>, orgId: string, runId: string, problem: string): Promise<void> {
  await withTenant(deps.db, { orgId }, (trx) =>
    trx.updateTable('import_run').set({ status: 'failed', problem, finished_at: new Date() }).where('org_id', '=', orgId).where('id', '=', runId).execute(),
  );
}

/** Writes the latest progress at most once per interval, one write at a time, never failing the import. */
function progressWriter(deps: QueuedImportDependencies, orgId: string, runId: string): { update: (progress: { file: string; entity: string; rows: number }) => void; flushed: () => Promise<void> } {
  const interval = deps.progressIntervalMs ?? 1000;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  return {
    update(progress) {
      const now = Date.now();
      if (now - lastWrite < interval) return;
      lastWrite = now;
      writing = writing.then(() =>
        withTenant(deps.db, { orgId }, (trx) =>
          trx.updateTable('import_run').set({ progress: JSON.stringify(progress) }).where('org_id', '=', orgId).where('id', '=', runId).where('status', '=', 'running').execute(),
        ).then(
          () => undefined,
          () => undefined,
        ),
      );
    },
    flushed: () => writing,
  };
}
