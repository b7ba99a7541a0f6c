import { z } from 'zod';
import { sql } from '@kindling/db';
import { defineJob } from './job-definition.js';

/**
 * Finished job rows are kept for a while so failures can be inspected, then removed so the
 * queue table stays small and its indexes fast. Failed jobs are kept longer than successes.
 */
export const pruneJobHistory = defineJob({
  id: 'maintenance.prune-job-history',
  version: 1,
  description: 'Deletes finished jobs older than the retention period (failed jobs are kept three times longer).',
  scope: 'system',
  maxAttempts: 3,
  payload: z.object({ retentionDays: z.number().int().min(1).max(3650) }).strict(),
  async handler({ retentionDays }, { db, logger }) {
    const succeeded = await db
      .deleteFrom('job')
      .where('status', 'in', ['succeeded', 'cancelled'])
      .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${retentionDays})`)
      .executeTakeFirst();
    const failed = await db
      .deleteFrom('job')
      .where('status', '=', 'failed')
      .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${retentionDays * 3})`)
      .executeTakeFirst();
    const result = { deletedSucceeded: Number(succeeded.numDeletedRows), deletedFailed: Number(failed.numDeletedRows) };
    logger.info(result, 'pruned job history');
    return result;
  },
});
