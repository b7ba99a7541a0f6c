import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { knownMigrations, migrateToLatest, pingDatabase, readDatabaseStatus } from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});
afterAll(async () => {
  await db.drop();
});

describe('migrations', () => {
  it('apply every known migration once; a second run applies nothing', async () => {
    const status = await readDatabaseStatus(db.appDb);
    expect(status.migrations.applied).toBe(knownMigrations.length);
    expect(status.migrations.latest).toBe(knownMigrations.at(-1));
    const again = await migrateToLatest(db.ownerDb as Kysely<unknown>);
    expect(again.applied).toEqual([]);
  });

  it('reports the server version and a latency', async () => {
    const status = await readDatabaseStatus(db.appDb);
    expect(Number.parseInt(status.serverVersion, 10)).toBeGreaterThanOrEqual(15);
    expect(status.latencyMs).toBeGreaterThanOrEqual(0);
    await expect(pingDatabase(db.appDb)).resolves.toBeUndefined();
  });
});

describe('the application role', () => {
  it('is not a superuser, cannot bypass row-level security, create roles or databases', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean; user: string }>`
      SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, current_user AS user FROM pg_roles WHERE rolname = current_user`.execute(db.appDb);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, user: 'kindling_app' }]);
  });

  it('owns no table, and every table it can write is owned by someone else', async () => {
    const { rows } = await sql<{ tablename: string; tableowner: string }>`
      SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'`.execute(db.appDb);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(row.tableowner).not.toBe('kindling_app');
  });

  it('owns no object at all and is not a member of any owner, so it can neither lift nor bypass row-level security', async () => {
    const { rows } = await sql<{ kind: string; name: string }>`
      SELECT 'relation' AS kind, c.relname::text AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')
      UNION ALL
      SELECT 'function', p.proname::text FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_has_role(current_user, p.proowner, 'USAGE')
      UNION ALL
      SELECT 'schema', n.nspname::text FROM pg_namespace n
        WHERE n.nspname = 'public' AND pg_has_role(current_user, n.nspowner, 'USAGE')`.execute(db.appDb);
    expect(rows).toEqual([]);
  });

  it('cannot change the schema', async () => {
    await expect(sql`CREATE TABLE intruder (id int)`.execute(db.appDb)).rejects.toThrow(/permission denied/);
    await expect(sql`DROP TABLE job`.execute(db.appDb)).rejects.toThrow(/must be owner/);
    await expect(sql`ALTER TABLE job ADD COLUMN x int`.execute(db.appDb)).rejects.toThrow(/must be owner/);
  });

  it('can read and write job rows', async () => {
    const inserted = await db.appDb
      .insertInto('job')
      .values({ name: 'test.noop', version: 1, payload: JSON.stringify({}) })
      .returning(['id', 'status'])
      .executeTakeFirstOrThrow();
    expect(inserted.status).toBe('queued');
    await db.appDb.deleteFrom('job').where('id', '=', inserted.id).execute();
  });
});
