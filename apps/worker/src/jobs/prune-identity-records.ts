import { z } from 'zod';
import { pruneIdentityRecords, systemClock } from '@kindling/identity';
import { defineJob } from './job-definition.js';

/**
 * Sessions are looked up on every request and throttle counters on every sign-in: rows that can
 * no longer matter are removed so both stay small. Ended invitations are kept a while (an admin
 * may still wonder why a link stopped working), then removed; the audit log keeps the history.
 */
export const pruneIdentityRecordsJob = defineJob({
  id: 'maintenance.prune-identity-records',
  version: 1,
  description: 'Deletes ended sessions, stale sign-in throttle counters, and invitations that ended before the retention period.',
  scope: 'system',
  maxAttempts: 3,
  payload: z
    .object({
      /** SESSION_IDLE_MINUTES of the installation that queued the job. */
      sessionIdleMinutes: z.number().int().min(1).max(7 * 24 * 60),
      invitationRetentionDays: z.number().int().min(1).max(3650),
    })
    .strict(),
  async handler(payload, { db, logger }) {
    const result = await pruneIdentityRecords(db, systemClock, payload);
    logger.info(result, 'pruned identity records');
    return result;
  },
});
