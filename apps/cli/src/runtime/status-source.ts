import type { StatusReport, StatusSource } from '@kindling/api';
import { readDatabaseStatus, type Database, type Kysely } from '@kindling/db';
import { dispatcherStaleAfterSeconds, readQueueStatus } from '@kindling/worker';

/** The API's status report, read from PostgreSQL as the application role. */
export function createStatusSource(db: Kysely<Database>, version: string): StatusSource {
  const startedAt = Date.now();
  return {
    async report(): Promise<StatusReport> {
      const base = { version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), time: new Date().toISOString() };
      try {
        const [database, queue] = await Promise.all([readDatabaseStatus(db), readQueueStatus(db, dispatcherStaleAfterSeconds)]);
        return {
          ...base,
          database: { reachable: true, serverVersion: database.serverVersion, latencyMs: database.latencyMs, migrations: database.migrations },
          jobs: {
            dispatcher: { running: queue.dispatcher.running, lastHeartbeatAt: queue.dispatcher.lastHeartbeatAt?.toISOString() ?? null },
            queued: queue.queued,
            running: queue.running,
            failedLast24h: queue.failedLast24h,
          },
        };
      } catch {
        // The status page must still answer when the database does not: it is how people find out.
        return {
          ...base,
          database: { reachable: false, serverVersion: null, latencyMs: null, migrations: { applied: 0, latest: null } },
          jobs: { dispatcher: { running: false, lastHeartbeatAt: null }, queued: 0, running: 0, failedLast24h: 0 },
        };
      }
    },
  };
}
