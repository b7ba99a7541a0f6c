import { z } from 'zod';
import type { SavedMapping, ZipLimits } from '@kindling/crm-import';
import type { Database, Kysely } from '@kindling/db';
import type { ObjectStore } from '@kindling/object-store';
import { pruneUpload, runQueuedImport, type ImportDependencies, type ImportQueue, type QueuedImport } from '@kindling/reference-store';
import { defineJob, type JobDefinition } from '../job-definition.js';
import { submitJob } from '../submit-job.js';

/** What the import jobs need from the platform: field encryption, the object store, the import limits. */
export interface ImportJobServices {
  readonly fields: ImportDependencies['fields'];
  readonly objectStore: (orgId: string) => ObjectStore;
  readonly maxRejectedShare: number;
  readonly zipLimits: ZipLimits;
}

export const importJobIds = { run: 'import.run', pruneUpload: 'import.prune-upload' } as const;

const formatAnswer = z.enum(['dmy', 'mdy', '.', ',']);

/** Ids, preset, mode and answers only: file names are the uploads' own, and no value of a file is here. */
const importRunPayload = z
  .object({
    runId: z.uuid(),
    uploadIds: z.array(z.uuid()).max(100),
    replayOf: z.uuid().optional(),
    preset: z.string().min(1).max(50),
    // Checked field by field when the preset is made of them (presetFromMappings).
    mappings: z
      .array(z.object({ fileName: z.string().min(1).max(1000), mapping: z.custom<SavedMapping>((value) => typeof value === 'object' && value !== null) }).strict())
      .max(100)
      .optional(),
    mode: z.enum(['complete', 'delta']),
    answers: z.record(z.string().max(1000), z.union([formatAnswer, z.array(formatAnswer).min(1).max(2)])).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/u),
  })
  .strict()
  .refine((payload) => (payload.uploadIds.length > 0) !== (payload.replayOf !== undefined), { error: 'names either uploads or the run to replay' });

const pruneUploadPayload = z.object({ uploadId: z.uuid() }).strict();
type PruneUploadPayload = z.infer<typeof pruneUploadPayload>;

export interface ImportJobs {
  /** Imports uploads, or replays an earlier run's kept files. */
  readonly run: JobDefinition<QueuedImport>;
  readonly pruneUpload: JobDefinition<PruneUploadPayload>;
  /** Queues the jobs for the import service of the API, in its transaction. */
  readonly queue: ImportQueue;
}

/**
 * The jobs behind imports through the API: `import.run` runs an import the API queued (all or
 * nothing, progress written to the run), and `import.prune-upload` removes an upload once it has
 * outlived its lifetime (a day unfinished, a week finished; queued when the upload is created,
 * and again while it is still in use). Built with the platform's services, like the re-wrap jobs.
 */
export function createImportJobs(services: ImportJobServices): ImportJobs {
  const run = defineJob<QueuedImport, unknown>({
    id: importJobIds.run,
    version: 1,
    description: "Runs an import started through the API from the organisation's uploads, writing its progress to the run.",
    scope: 'organisation',
    // A killed process requeues the job without an attempt; a failure has recorded the run as failed already.
    maxAttempts: 1,
    payload: importRunPayload,
    async handler(payload, { organisation, db, logger }) {
      if (organisation === undefined) throw new Error('an organisation job ran without its organisation');
      const outcome = await runQueuedImport({ db, ...services }, organisation.id, payload);
      const result = outcome === null ? { runId: payload.runId, status: 'not run' } : { runId: outcome.runId, status: outcome.status, read: outcome.read, rejected: outcome.rejected };
      logger.info(result, 'import job finished');
      return result;
    },
  });
  const prune = defineJob<PruneUploadPayload, unknown>({
    id: importJobIds.pruneUpload,
    version: 1,
    description: 'Removes an upload (its row and encrypted chunks) once it has outlived its lifetime; looks again later while it is in use.',
    scope: 'organisation',
    maxAttempts: 3,
    payload: pruneUploadPayload,
    async handler({ uploadId }, { organisation, db }) {
      if (organisation === undefined) throw new Error('an organisation job ran without its organisation');
      const store = services.objectStore(organisation.id);
      const outcome = await organisation.run((trx) => pruneUpload(trx, store, organisation.id, uploadId, new Date()));
      if (outcome.recheckAt !== null) await queuePrune(db, organisation.id, uploadId, outcome.recheckAt);
      return { pruned: outcome.pruned, recheckAt: outcome.recheckAt?.toISOString() ?? null };
    },
  });
  const queuePrune = (db: Kysely<Database>, orgId: string, uploadId: string, at: Date) => submitJob(db, prune, { uploadId }, { orgId, runAfter: at }).then(() => undefined);
  return {
    run,
    pruneUpload: prune,
    queue: {
      importRun: (db, orgId, payload) => submitJob(db, run, payload, { orgId }).then(() => undefined),
      uploadPrune: queuePrune,
    },
  };
}
