import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface DatabaseStatus {
  readonly serverVersion: string;
  readonly latencyMs: number;
  readonly migrations: { readonly applied: number; readonly latest: string | null };
}

/** Cheapest query that proves a connection can be checked out and the server answers. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

export async function readDatabaseStatus(db: Kysely<Database>): Promise<DatabaseStatus> {
  const started = performance.now();
  const { rows } = await sql<{ version: string }>`SELECT current_setting('server_version') AS version`.execute(db);
  const latencyMs = performance.now() - started;
  const migrations = await db
    .selectFrom('kysely_migration')
    .select((eb) => [eb.fn.countAll<number>().as('applied'), eb.fn.max('name').as('latest')])
    .executeTakeFirstOrThrow();
  return {
    serverVersion: rows[0]?.version ?? 'unknown',
    latencyMs: Math.round(latencyMs * 100) / 100,
    migrations: { applied: migrations.applied, latest: migrations.latest },
  };
}
