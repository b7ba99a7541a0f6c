import type { Config } from '@kindling/config';
import { createDatabase } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { builtInJobs, createJobRegistry, createKeyRewrapJobs, runClaimedJob, type JobRegistry } from '@kindling/worker';
import { createConfiguredImportJobs } from '../runtime/import-services.js';
import { createPlatformServices } from '../runtime/platform-services.js';
import { removeStaleScratch } from '../runtime/scratch-root.js';

/**
 * `kindling job run ID`: the body of one transient job process, started by the dispatcher with
 * the application-role URL in JOB_DATABASE_URL. Exit code 0 whatever the job's outcome, since the
 * outcome is recorded in the database; non-zero only when it could not be recorded.
 */
export async function jobRunCommand(jobId: string, config: Config, logger: Logger): Promise<void> {
  if (config.jobs.databaseUrl === undefined) {
    throw new AppError('CONFIG_INVALID', 'JOB_DATABASE_URL is not set: `kindling job run` is started by the job dispatcher, not by hand');
  }
  if (!/^[0-9a-f-]{36}$/i.test(jobId)) throw new AppError('BAD_REQUEST', `"${jobId}" is not a job id (a UUID)`);
  // Each job process cleans up after crashed predecessors (a job killed mid-spill); in the cloud,
  // where every job has a fresh container, there is nothing to find.
  await removeStaleScratch(config, logger);
  const db = createDatabase({ url: config.jobs.databaseUrl, maxConnections: 2, applicationName: 'kindling-job' });
  const controller = new AbortController();
  const onTerm = (): void => {
    controller.abort();
  };
  process.once('SIGTERM', onTerm);
  try {
    await runClaimedJob(jobId, { db, registry: await jobRegistry(config, db, logger), logger, signal: controller.signal });
  } finally {
    process.off('SIGTERM', onTerm);
    await db.destroy();
  }
}

/** builtInJobs plus the jobs that need the platform's services (encryption, object store). */
async function jobRegistry(config: Config, db: Parameters<typeof createPlatformServices>[1], logger: Logger): Promise<JobRegistry> {
  const platform = await createPlatformServices(config, db, logger);
  const rewrap = createKeyRewrapJobs(platform);
  const imports = createConfiguredImportJobs(config, platform);
  return createJobRegistry([...builtInJobs.list(), rewrap.organisation, rewrap.platform, imports.run, imports.pruneUpload]);
}
