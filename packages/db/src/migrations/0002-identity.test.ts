import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { appendAuditEvent, createDatabase, migrateToLatest, verifyAuditChain, withTenant, type Database } from '../index.js';
import { seedOrganisation } from '../testing/index.js';

/**
 * On managed PostgreSQL (RDS, Aurora, Cloud SQL) the owner role that runs migrations is not a
 * superuser, so FORCE ROW LEVEL SECURITY binds it too. The rest of the suite runs with a superuser
 * owner (which bypasses row-level security), so this file migrates a database owned by an
 * ordinary role and checks that the owner-side design still works: the audit function appends
 * and the owner verifies the whole chain, while tenant rows stay fenced even from the owner.
 */

const suffix = randomBytes(6).toString('hex');
const ownerRole = `kindling_test_owner_${suffix}`;
const databaseName = `kindling_test_${suffix}`;
let admin: Kysely<Database>;
let ownerDb: Kysely<Database> | undefined;
let superuser = false;

beforeAll(async () => {
  admin = createDatabase({ url: inject('clusterOwnerUrl'), maxConnections: 1, applicationName: 'kindling-test-admin' });
  const { rows } = await sql<{ rolsuper: boolean }>`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`.execute(admin);
  superuser = rows[0]?.rolsuper === true;
  if (!superuser) return;
  await sql`CREATE ROLE ${sql.id(ownerRole)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`.execute(admin);
  await sql`CREATE DATABASE ${sql.id(databaseName)} OWNER ${sql.id(ownerRole)}`.execute(admin);
  // Cluster-wide, normally made by the first migration run; an ordinary owner could not create it.
  // (Another test file may be creating it at this moment: losing that race is fine.)
  await sql`
    DO $$ BEGIN
      CREATE ROLE kindling_app_access NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`.execute(admin);
  const url = new URL(inject('clusterOwnerUrl'));
  url.pathname = `/${databaseName}`;
  // One connection, switched for the session to the ordinary owner role.
  ownerDb = createDatabase({ url: url.toString(), maxConnections: 1, applicationName: 'kindling-test-plain-owner' });
  await sql`SET ROLE ${sql.id(ownerRole)}`.execute(ownerDb);
});

afterAll(async () => {
  await ownerDb?.destroy();
  if (superuser) {
    await sql`DROP DATABASE IF EXISTS ${sql.id(databaseName)} WITH (FORCE)`.execute(admin);
    await sql`DROP ROLE IF EXISTS ${sql.id(ownerRole)}`.execute(admin);
  }
  await admin.destroy();
});

describe('migration 0002 with an owner role that is not a superuser', () => {
  it('migrates; the owner appends to and verifies the audit chain, and sees tenant rows only in context', async (context) => {
    if (!superuser || ownerDb === undefined) {
      context.skip('needs a superuser cluster connection to create an ordinary owner role');
      return;
    }
    const db = ownerDb;
    const { rows } = await sql<{ user: string; rolsuper: boolean }>`
      SELECT current_user AS user, rolsuper FROM pg_roles WHERE rolname = current_user`.execute(db);
    expect(rows).toEqual([{ user: ownerRole, rolsuper: false }]);

    const outcome = await migrateToLatest(db as Kysely<unknown>);
    expect(outcome.applied).toContain('0002-identity');

    const org = await seedOrganisation(db);
    await appendAuditEvent(db, { orgId: null, action: 'auth.sign_in.failed' });
    await withTenant(db, { orgId: org.id }, (trx) => appendAuditEvent(trx, { orgId: org.id, action: 'organisation.created' }));
    await expect(verifyAuditChain(db)).resolves.toMatchObject({ intact: true, events: 2, headSeq: 2 });

    // FORCE binds the owner: no tenant rows without a context, and no policy lets it edit audit rows.
    expect(await db.selectFrom('organisation').select('id').execute()).toEqual([]);
    expect(await withTenant(db, { orgId: org.id }, (trx) => trx.selectFrom('organisation').select('id').execute())).toEqual([{ id: org.id }]);
    const edited = await sql`UPDATE audit_event SET details = '{"edited": true}'`.execute(db);
    const deleted = await sql`DELETE FROM audit_event`.execute(db);
    expect([edited.numAffectedRows, deleted.numAffectedRows]).toEqual([0n, 0n]);
    await expect(verifyAuditChain(db)).resolves.toMatchObject({ intact: true, events: 2 });
  });
});
