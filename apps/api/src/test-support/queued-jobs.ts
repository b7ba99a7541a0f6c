import type { Database, Kysely } from '@kindling/db';
import type { Logger } from '@kindling/logger';
import { createDispatcher, createJobRegistry, runClaimedJob, type JobDefinition, type JobRunner } from '@kindling/worker';

/**
 * Runs every job that is ready now through the real dispatcher and `runClaimedJob`, in this
 * process instead of a child process (which would need a built CLI), then stops.
 */
export async function runReadyJobs(db: Kysely<Database>, logger: Logger, definitions: readonly JobDefinition[]): Promise<void> {
  const registry = createJobRegistry(definitions);
  const controller = new AbortController();
  const runner: JobRunner = {
    kind: 'in-process (tests)',
    async run(job) {
      await runClaimedJob(job.id, { db, registry, logger, signal: controller.signal });
      return { exitCode: 0, signal: null };
    },
    stopAll() {
      controller.abort();
      return Promise.resolve();
    },
  };
  const dispatcher = createDispatcher({ db, runner, logger, concurrency: 1, pollIntervalMs: 50 });
  await dispatcher.start();
  try {
    await dispatcher.idle();
  } finally {
    await dispatcher.stop();
  }
}
