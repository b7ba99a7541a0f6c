import { isAppError } from '@kindling/errors';
import { withTenant, type Database, type Kysely } from '@kindling/db';
import type { Logger } from '@kindling/logger';
import type { JobRegistry } from '../jobs/job-registry.js';
import { findJob, markJobFailed, markJobSucceeded, type JobFailure } from '../queue/queue-sql.js';

export interface RunJobDependencies {
  readonly db: Kysely<Database>;
  readonly registry: JobRegistry;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export type RunJobOutcome = 'succeeded' | 'requeued' | 'failed';

/**
 * Runs one claimed job to completion in this process and records the outcome. This is the body
 * of a transient job process (`kindling job run ID` locally, a Batch container in the cloud):
 * the process records its own result, and the dispatcher only steps in if the process dies.
 */
export async function runClaimedJob(jobId: string, deps: RunJobDependencies): Promise<RunJobOutcome> {
  const job = await findJob(deps.db, jobId);
  if (job === undefined) throw new Error(`job ${jobId} does not exist`);
  if (job.status !== 'running') throw new Error(`job ${jobId} is ${job.status}, not running: it was not claimed for this process`);
  const logger = deps.logger.child({ jobId, job: job.name, version: job.version, attempt: job.attempts });

  const definition = deps.registry.find(job.name, job.version);
  if (definition === undefined) {
    return fail(`no handler for job ${job.name} version ${String(job.version)}`, { code: 'JOB_UNKNOWN', retryable: false });
  }
  const parsed = definition.payload.safeParse(job.payload);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
    return fail(`invalid payload: ${fields}`, { code: 'JOB_PAYLOAD_INVALID', retryable: false });
  }

  // Organisation jobs refuse to run without their tenant, rather than run with none or another.
  const orgId = job.org_id;
  if (definition.scope === 'organisation' && orgId === null) {
    return fail(`job ${job.name} needs an organisation and was queued without one`, { code: 'JOB_TENANT_MISSING', retryable: false });
  }
  const organisation =
    definition.scope === 'organisation' && orgId !== null
      ? { id: orgId, run: <T>(work: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, { orgId }, work) }
      : undefined;

  const started = performance.now();
  try {
    const result = await definition.handler(parsed.data, { jobId, organisation, db: deps.db, logger, signal: deps.signal });
    await markJobSucceeded(deps.db, jobId, result);
    logger.info({ durationMs: Math.round(performance.now() - started) }, 'job succeeded');
    return 'succeeded';
  } catch (error) {
    logger.error({ err: error, durationMs: Math.round(performance.now() - started) }, 'job failed');
    // Only our own error messages are written to the row; an arbitrary exception's text may
    // contain data values, so it is reduced to its type.
    const message = isAppError(error) ? error.message : `unexpected ${error instanceof Error ? error.name : typeof error}`;
    return fail(message, { code: isAppError(error) ? error.code : 'JOB_HANDLER_ERROR', retryable: true });
  }

  async function fail(message: string, failure: Omit<JobFailure, 'message'>): Promise<RunJobOutcome> {
    logger.warn({ errorCode: failure.code }, message);
    return markJobFailed(deps.db, jobId, { ...failure, message });
  }
}
