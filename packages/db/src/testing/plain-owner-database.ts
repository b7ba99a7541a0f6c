import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../connection.js';
import type { Database } from '../schema.js';

export interface PlainOwnerDatabase {
  /** Undefined when the cluster connection is no superuser and cannot create the role: skip the test. */
  readonly db: Kysely<Database> | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh, unmigrated database owned by an ordinary role, as on managed PostgreSQL (RDS, Aurora,
 * Cloud SQL), where the owner that runs migrations is no superuser and FORCE ROW LEVEL SECURITY
 * binds it too. The rest of the suite runs with a superuser owner, which bypasses row-level
 * security and would hide a missing owner-side policy. One connection, switched to that role.
 */
export async function createPlainOwnerDatabase(clusterOwnerUrl: string): Promise<PlainOwnerDatabase> {
  const suffix = randomBytes(6).toString('hex');
  const ownerRole = `kindling_test_owner_${suffix}`;
  const databaseName = `kindling_test_${suffix}`;
  const admin = createDatabase({ url: clusterOwnerUrl, maxConnections: 1, applicationName: 'kindling-test-admin' });
  const { rows } = await sql<{ rolsuper: boolean }>`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`.execute(admin);
  if (rows[0]?.rolsuper !== true) {
    await admin.destroy();
    return { db: undefined, drop: () => Promise.resolve() };
  }
  await sql`CREATE ROLE ${sql.id(ownerRole)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`.execute(admin);
  await sql`CREATE DATABASE ${sql.id(databaseName)} OWNER ${sql.id(ownerRole)}`.execute(admin);
  // Cluster-wide, normally made by the first migration run; an ordinary owner could not create it.
  // (Another test file may be creating it at this moment: losing that race is fine.)
  await sql`
    DO $$ BEGIN
      CREATE ROLE kindling_app_access NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`.execute(admin);
  const url = new URL(clusterOwnerUrl);
  url.pathname = `/${databaseName}`;
  const db = createDatabase({ url: url.toString(), maxConnections: 1, applicationName: 'kindling-test-plain-owner' });
  await sql`SET ROLE ${sql.id(ownerRole)}`.execute(db);
  return {
    db,
    async drop() {
      await db.destroy();
      await sql`DROP DATABASE IF EXISTS ${sql.id(databaseName)} WITH (FORCE)`.execute(admin);
      await sql`DROP ROLE IF EXISTS ${sql.id(ownerRole)}`.execute(admin);
      await admin.destroy();
    },
  };
}
