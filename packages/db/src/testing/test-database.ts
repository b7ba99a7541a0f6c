import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { ensureAppRole } from '../app-role.js';
import { createDatabase } from '../connection.js';
import { migrateToLatest } from '../migrator.js';
import type { Database } from '../schema.js';

/** Arbitrary, fixed: the advisory lock key under which test databases set up cluster roles. */
const roleSetupLock = 7_205_118_002;

export interface TestDatabase {
  readonly name: string;
  readonly ownerUrl: string;
  readonly appUrl: string;
  /** Connected as the owner role: for setup and for asserting what the app cannot see. */
  readonly ownerDb: Kysely<Database>;
  /** Connected as the application role, exactly as the API and jobs connect. */
  readonly appDb: Kysely<Database>;
  drop(): Promise<void>;
}

/**
 * A fresh, fully migrated database on the test cluster, so each test file starts from a known
 * state without truncation tricks. `appPassword` is shared by the whole run: the app role is
 * cluster-wide, and changing its password per file would break the others' connections.
 */
export async function createTestDatabase(clusterOwnerUrl: string, appPassword: string): Promise<TestDatabase> {
  const name = `kindling_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(clusterOwnerUrl);
  url.pathname = `/${name}`;
  const ownerUrl = url.toString();
  const ownerDb = createDatabase({ url: ownerUrl, maxConnections: 4, applicationName: 'kindling-test-owner' });
  let appUrl: string;
  const admin = createDatabase({ url: clusterOwnerUrl, maxConnections: 1, applicationName: 'kindling-test-admin' });
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
    // Roles are cluster-wide, and test files set up databases in parallel: two first migrations
    // racing to create kindling_app_access (or to alter kindling_app) collide in pg_authid. The
    // advisory lock, held on the admin connection, takes them one at a time.
    await sql`SELECT pg_advisory_lock(${roleSetupLock})`.execute(admin);
    try {
      await migrateToLatest(ownerDb as Kysely<unknown>);
      appUrl = await ensureAppRole(ownerDb as Kysely<unknown>, ownerUrl, appPassword);
    } finally {
      await sql`SELECT pg_advisory_unlock(${roleSetupLock})`.execute(admin);
    }
  } finally {
    await admin.destroy();
  }
  const appDb = createDatabase({ url: appUrl, maxConnections: 4, applicationName: 'kindling-test-app' });
  return {
    name,
    ownerUrl,
    appUrl,
    ownerDb,
    appDb,
    async drop() {
      await appDb.destroy();
      await ownerDb.destroy();
      const dropper = createDatabase({ url: clusterOwnerUrl, maxConnections: 1, applicationName: 'kindling-test-admin' });
      try {
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(dropper);
      } finally {
        await dropper.destroy();
      }
    },
  };
}
