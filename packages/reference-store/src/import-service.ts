import type { Action } from '@kindling/access';
import { importPresets, type SavedMapping, type ZipLimits } from '@kindling/crm-import';
import type { DataProtection } from '@kindling/crypto';
import { appendAuditEvent, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';
import { actorRoleIn, auditActorOf, withActorTenant, type OrganisationActor } from '@kindling/identity';
import type { ObjectStore } from '@kindling/object-store';
import { assertImportRun, listImportRuns, readImportRun, rejectionReportLines, type ImportRunDetail, type ImportRunPage, type StarterNames } from './import-history.js';
import { describeHeaderRow, headerRows, type InspectedFile } from './import-inspection.js';
import type { ImportMappingStore } from './import-mapping-store.js';
import { appendChunk, createUpload, deleteUpload, finishedUploads, uploadBytes, uploadStatus, type UploadStatus } from './upload-store.js';

export type FormatAnswer = 'dmy' | 'mdy' | '.' | ',';

/** A file's answers: a date order, a decimal separator, or both (a file can ask both). */
export type FileAnswers = FormatAnswer | readonly FormatAnswer[];

/** What the import job needs to run an import started through the API (the job's payload). */
export interface QueuedImport {
  readonly runId: string;
  /** The uploads to import; none for a replay. */
  readonly uploadIds: readonly string[];
  /** A replay: the earlier run whose kept files are imported again. */
  readonly replayOf?: string | undefined;
  readonly preset: string;
  readonly mappings?: readonly { readonly fileName: string; readonly mapping: SavedMapping }[] | undefined;
  readonly mode: 'complete' | 'delta';
  readonly answers?: Readonly<Record<string, FileAnswers>> | undefined;
  readonly currency: string;
}

export interface StartImportRequest {
  readonly uploadIds: readonly string[];
  readonly preset: string;
  readonly mappings?: readonly { readonly fileName: string; readonly mapping: SavedMapping }[] | undefined;
  readonly mode: 'complete' | 'delta';
  readonly answers?: Readonly<Record<string, FileAnswers>> | undefined;
  readonly saveMappings?: boolean | undefined;
  readonly currency: string;
}

/** Queues the jobs imports need, in the caller's transaction so a run never exists without its job. */
export interface ImportQueue {
  importRun(db: Kysely<Database>, orgId: string, payload: QueuedImport): Promise<void>;
  /** Looks at the upload again at `at` and removes it if it has outlived its lifetime. */
  uploadPrune(db: Kysely<Database>, orgId: string, uploadId: string, at: Date): Promise<void>;
}

/** A saved mapping as the API lists it. */
export interface MappingSummary {
  readonly id: string;
  readonly name: string;
  readonly entity: string;
  readonly columns: SavedMapping['columns'];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ImportServiceDependencies {
  readonly db: Kysely<Database>;
  readonly fields: Pick<DataProtection, 'decryptField'>;
  readonly objectStore: (orgId: string) => ObjectStore;
  readonly mappings: Pick<ImportMappingStore, 'findMapping' | 'listMappings' | 'deleteMapping' | 'saveMapping'>;
  readonly queue: ImportQueue;
  readonly names: StarterNames;
  /** IMPORT_MAX_BYTES: the largest file an upload may declare. */
  readonly maxUploadBytes: number;
  /** The largest chunk one PUT may carry. */
  readonly chunkBytes: number;
  readonly zipLimits: ZipLimits;
}

export interface ImportService {
  readonly chunkBytes: number;
  createUpload(orgId: string, actor: OrganisationActor, input: { readonly fileName: string; readonly size: number }): Promise<UploadStatus>;
  appendChunk(orgId: string, actor: OrganisationActor, chunk: { readonly uploadId: string; readonly offset: number; readonly bytes: Uint8Array }): Promise<{ received: number }>;
  uploadStatus(orgId: string, actor: OrganisationActor, uploadId: string): Promise<UploadStatus>;
  deleteUpload(orgId: string, actor: OrganisationActor, uploadId: string): Promise<void>;
  inspect(orgId: string, actor: OrganisationActor, uploadIds: readonly string[]): Promise<{ files: InspectedFile[] }>;
  startImport(orgId: string, actor: OrganisationActor, request: StartImportRequest): Promise<{ runId: string }>;
  /** Imports a finished run's kept files again, as it was asked for (a new run; CONFLICT when it kept none). */
  replayImport(orgId: string, actor: OrganisationActor, runId: string): Promise<{ runId: string }>;
  listRuns(orgId: string, actor: OrganisationActor, page: { readonly cursor?: string | undefined; readonly limit?: number | undefined }): Promise<ImportRunPage>;
  readRun(orgId: string, actor: OrganisationActor, runId: string): Promise<ImportRunDetail>;
  /** The refused cells as CSV; checked and audited before the first line is produced. */
  rejectionReport(orgId: string, actor: OrganisationActor, runId: string, meta: { readonly clientAddress: string | null; readonly userAgent: string | null }): Promise<AsyncIterable<string>>;
  listMappings(orgId: string, actor: OrganisationActor): Promise<readonly MappingSummary[]>;
  deleteMapping(orgId: string, actor: OrganisationActor, mappingId: string): Promise<void>;
}

/** How an import was asked for: kept with its run, so a replay asks the same. */
type AskedImport = Pick<StartImportRequest, 'preset' | 'mappings' | 'answers' | 'currency'>;

interface QueuedRun {
  readonly mode: 'complete' | 'delta';
  readonly asked: AskedImport;
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
  readonly job: Pick<QueuedImport, 'uploadIds' | 'replayOf'>;
}

/** A finished run that kept its files and says how it was asked for: what a replay needs. */
async function pastRun(trx: TenantTransaction, orgId: string, runId: string): Promise<{ mode: 'complete' | 'delta'; asked: AskedImport; files: { name: string; bytes: number }[] }> {
  if (!/^[0-9a-f-]{36}$/iu.test(runId)) throw new AppError('NOT_FOUND', 'No such import.');
  const row = await trx.selectFrom('import_run').select(['mode', 'status', 'files', 'request']).where('org_id', '=', orgId).where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw new AppError('NOT_FOUND', 'No such import.');
  const files = (Array.isArray(row.files) ? (row.files as { name: string; bytes: number; objectKey?: string }[]) : []).filter((file) => file.objectKey !== undefined);
  if (row.request === null || files.length === 0 || (row.status !== 'applied' && row.status !== 'refused')) {
    throw new AppError('CONFLICT', 'This import kept no files to replay: it has not run yet, failed before reading its files, or was started from the command line (replay those with kindling import).');
  }
  return { mode: row.mode, asked: row.request as AskedImport, files: files.map((file) => ({ name: file.name, bytes: file.bytes })) };
}

const presetIds = new Set<string>([...importPresets.map((preset) => preset.id), 'custom']);

function atLeastOne(uploadIds: readonly string[]): void {
  if (uploadIds.length === 0) throw new AppError('VALIDATION_FAILED', 'Name at least one upload.', { details: { issues: [{ location: 'body', path: 'uploadIds', message: 'needs at least one upload' }] } });
}

/**
 * Imports through the API: resumable uploads into the organisation's encrypted object store,
 * inspection of their header rows, imports started as jobs, their history and reports. Every
 * call checks the actor's role in the organisation first (another organisation's ids are
 * NOT_FOUND, as if they did not exist).
 */
export function createImportService(deps: ImportServiceDependencies): ImportService {
  const { db } = deps;

  function authorised<T>(orgId: string, actor: OrganisationActor, action: Action, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
    return withActorTenant(db, orgId, actor, async (trx) => {
      await actorRoleIn(trx, orgId, actor, action);
      return work(trx);
    });
  }

  const starter = (actor: OrganisationActor) => {
    const { actorUserId, actorTokenId } = auditActorOf(actor);
    return { userId: actorUserId, tokenId: actorTokenId };
  };

  /** Records a queued run and queues its job, in the caller's transaction; audited as `import.started`. */
  async function queueRun(trx: TenantTransaction, orgId: string, actor: OrganisationActor, run: QueuedRun): Promise<{ runId: string }> {
    const who = starter(actor);
    const row = await trx
      .insertInto('import_run')
      .values({
        org_id: orgId,
        mode: run.mode,
        preset: run.asked.preset,
        status: 'queued',
        started_by_user_id: who.userId,
        started_by_token_id: who.tokenId,
        files: JSON.stringify(run.files.map((file) => ({ name: file.name, bytes: file.bytes, entity: null }))),
        request: JSON.stringify(run.asked),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.queue.importRun(trx, orgId, { runId: row.id, mode: run.mode, ...run.asked, ...run.job });
    const replay = run.job.replayOf === undefined ? {} : { replayOf: run.job.replayOf };
    await appendAuditEvent(trx, { orgId, action: 'import.started', ...auditActorOf(actor), target: { type: 'import_run', id: row.id }, details: { files: run.files.length, mode: run.mode, preset: run.asked.preset, ...replay } });
    return { runId: row.id };
  }

  return {
    chunkBytes: deps.chunkBytes,

    createUpload: (orgId, actor, input) =>
      authorised(orgId, actor, 'data.import', async (trx) => {
        if (input.size > deps.maxUploadBytes) {
          throw new AppError('PAYLOAD_TOO_LARGE', `${input.fileName} is larger than the import size limit of ${String(deps.maxUploadBytes)} bytes (IMPORT_MAX_BYTES).`, {
            details: { limitBytes: deps.maxUploadBytes },
          });
        }
        const upload = await createUpload(trx, orgId, input, starter(actor));
        await deps.queue.uploadPrune(trx, orgId, upload.uploadId, new Date(Date.now() + 24 * 3_600_000));
        return upload;
      }),

    appendChunk: (orgId, actor, chunk) =>
      authorised(orgId, actor, 'data.import', (trx) => appendChunk(trx, deps.objectStore(orgId), orgId, { ...chunk, maxChunkBytes: deps.chunkBytes })),

    uploadStatus: (orgId, actor, uploadId) => authorised(orgId, actor, 'data.import', (trx) => uploadStatus(trx, orgId, uploadId)),

    deleteUpload: (orgId, actor, uploadId) => authorised(orgId, actor, 'data.import', (trx) => deleteUpload(trx, deps.objectStore(orgId), orgId, uploadId)),

    async inspect(orgId, actor, uploadIds) {
      const uploads = await authorised(orgId, actor, 'data.import', (trx) => {
        atLeastOne(uploadIds);
        return finishedUploads(trx, orgId, uploadIds);
      });
      const store = deps.objectStore(orgId);
      const files: InspectedFile[] = [];
      for (const upload of uploads) {
        for (const row of await headerRows(upload.fileName, uploadBytes(store, upload), deps.zipLimits)) {
          files.push(await describeHeaderRow(row, { uploadId: upload.uploadId, orgId, mappings: deps.mappings }));
        }
      }
      return { files };
    },

    async startImport(orgId, actor, request) {
      const who = starter(actor);
      await authorised(orgId, actor, 'data.import', async (trx) => {
        atLeastOne(request.uploadIds);
        if (!presetIds.has(request.preset)) throw new AppError('VALIDATION_FAILED', `There is no preset ${request.preset}.`);
        if (request.preset === 'custom' && (request.mappings ?? []).length === 0) throw new AppError('VALIDATION_FAILED', 'A custom import needs the mapping of each file (mappings).');
        await finishedUploads(trx, orgId, request.uploadIds);
      });
      // Saved first, each in its own transaction (the store audits it): a mapping that does not fit its headers stops the import here.
      if (request.saveMappings === true) {
        for (const { fileName, mapping } of request.mappings ?? []) {
          await deps.mappings.saveMapping(orgId, { name: fileName, entity: mapping.entity, headers: mapping.columns.map((column) => column.header), columns: mapping.columns }, who);
        }
      }
      const asked: AskedImport = { preset: request.preset, mappings: request.mappings, answers: request.answers, currency: request.currency };
      return authorised(orgId, actor, 'data.import', async (trx) => {
        const uploads = await finishedUploads(trx, orgId, request.uploadIds);
        return queueRun(trx, orgId, actor, {
          mode: request.mode,
          asked,
          files: uploads.map((upload) => ({ name: upload.fileName, bytes: upload.size })),
          job: { uploadIds: uploads.map((upload) => upload.uploadId) },
        });
      });
    },

    replayImport: (orgId, actor, runId) =>
      authorised(orgId, actor, 'data.import', async (trx) => {
        const past = await pastRun(trx, orgId, runId);
        return queueRun(trx, orgId, actor, { mode: past.mode, asked: past.asked, files: past.files, job: { uploadIds: [], replayOf: runId } });
      }),

    listRuns: (orgId, actor, page) => authorised(orgId, actor, 'imports.read', (trx) => listImportRuns(trx, orgId, deps.names, page)),

    readRun: (orgId, actor, runId) => authorised(orgId, actor, 'imports.read', (trx) => readImportRun(trx, orgId, runId, deps.names)),

    async rejectionReport(orgId, actor, runId, meta) {
      await authorised(orgId, actor, 'data.import', async (trx) => {
        await assertImportRun(trx, orgId, runId);
        // The report holds values from the files: reading it is a read of personal data.
        await appendAuditEvent(trx, {
          orgId,
          action: 'export.personal_data',
          ...auditActorOf(actor),
          target: { type: 'import_run', id: runId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { report: 'import_rejections' },
        });
      });
      return rejectionReportLines((work) => withActorTenant(db, orgId, actor, work), deps.fields, orgId, runId);
    },

    async listMappings(orgId, actor) {
      await authorised(orgId, actor, 'data.import', () => Promise.resolve());
      const stored = await deps.mappings.listMappings(orgId);
      return stored.map((entry) => ({ id: entry.id, name: entry.name, entity: entry.entity, columns: entry.mapping.columns, createdAt: entry.createdAt, updatedAt: entry.updatedAt }));
    },

    async deleteMapping(orgId, actor, mappingId) {
      await authorised(orgId, actor, 'data.import', () => Promise.resolve());
      if (!/^[0-9a-f-]{36}$/iu.test(mappingId)) throw new AppError('NOT_FOUND', 'No such import mapping.');
      await deps.mappings.deleteMapping(orgId, mappingId, starter(actor));
    },
  };
}
