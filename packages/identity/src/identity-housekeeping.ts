import { sql, type Database, type Kysely } from '@kindling/db';
import type { Clock } from './identity-dependencies.js';
import { createAuthThrottle } from './throttle.js';

export interface IdentityHousekeepingOptions {
  /** SESSION_IDLE_MINUTES: a session unused this long can no longer be used. */
  readonly sessionIdleMinutes: number;
  /** How long accepted, withdrawn and expired invitations are kept after they ended. */
  readonly invitationRetentionDays: number;
}

export interface IdentityHousekeepingResult {
  readonly deletedSessions: number;
  readonly deletedThrottleCounters: number;
  readonly deletedInvitations: number;
}

/**
 * Deletes sign-in records that can no longer matter, so tables read on every request stay small:
 * sessions that ended (revoked, past their absolute expiry, or idle too long), throttle counters
 * that are neither locked nor recent, and invitations that ended more than the retention period
 * ago. What happened stays in the audit log, which this never touches. Runs as the application
 * role: sessions and counters are global tables; invitations go through the database function
 * `prune_unusable_invitations`, which can delete only unusable ones in any organisation.
 */
export async function pruneIdentityRecords(db: Kysely<Database>, clock: Clock, options: IdentityHousekeepingOptions): Promise<IdentityHousekeepingResult> {
  const now = clock.now();
  const sessions = await db
    .deleteFrom('user_session')
    .where((eb) =>
      eb.or([
        eb('revoked_at', 'is not', null),
        eb('expires_at', '<=', now),
        eb('last_seen_at', '<=', new Date(now.getTime() - options.sessionIdleMinutes * 60_000)),
      ]),
    )
    .executeTakeFirst();
  const deletedThrottleCounters = await createAuthThrottle({ db, clock }).prune();
  const endedBefore = new Date(now.getTime() - options.invitationRetentionDays * 24 * 3_600_000);
  const invitations = await sql<{ deleted: string }>`SELECT prune_unusable_invitations(${endedBefore}) AS deleted`.execute(db);
  return {
    deletedSessions: Number(sessions.numDeletedRows),
    deletedThrottleCounters,
    deletedInvitations: Number(invitations.rows[0]?.deleted ?? 0),
  };
}
