import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { appendAuditEvent, migrateToLatest, verifyAuditChain, withTenant, type Database } from '../index.js';
import { createPlainOwnerDatabase, seedOrganisation, type PlainOwnerDatabase } from '../testing/index.js';

/**
 * On managed PostgreSQL (RDS, Aurora, Cloud SQL) the owner role that runs migrations is not a
 * superuser, so FORCE ROW LEVEL SECURITY binds it too. The rest of the suite runs with a superuser
 * owner (which bypasses row-level security), so this file migrates a database owned by an
 * ordinary role and checks that the owner-side design still works: the audit function appends
 * and the owner verifies the whole chain, while tenant rows stay fenced even from the owner.
 */

let plainOwner: PlainOwnerDatabase;
let ownerDb: Kysely<Database> | undefined;

beforeAll(async () => {
  plainOwner = await createPlainOwnerDatabase(inject('clusterOwnerUrl'));
  ownerDb = plainOwner.db;
});

afterAll(async () => {
  await plainOwner.drop();
});

describe('migration 0002 with an owner role that is not a superuser', () => {
  it('migrates; the owner appends to and verifies the audit chain, and sees tenant rows only in context', async (context) => {
    if (ownerDb === undefined) {
      context.skip('needs a superuser cluster connection to create an ordinary owner role');
      return;
    }
    const db = ownerDb;
    const { rows } = await sql<{ user: string; rolsuper: boolean }>`
      SELECT current_user AS user, rolsuper FROM pg_roles WHERE rolname = current_user`.execute(db);
    expect(rows).toEqual([{ user: expect.stringMatching(/^kindling_test_owner_/) as unknown, rolsuper: false }]);

    const outcome = await migrateToLatest(db as Kysely<unknown>);
    expect(outcome.applied).toContain('0002-identity');

    const org = await seedOrganisation(db);
    await appendAuditEvent(db, { orgId: null, action: 'auth.sign_in.failed' });
    await withTenant(db, { orgId: org.id }, (trx) => appendAuditEvent(trx, { orgId: org.id, action: 'organisation.created' }));
    await expect(verifyAuditChain(db)).resolves.toMatchObject({ intact: true, events: 2, headSeq: 2 });

    // FORCE binds the owner: it may list organisations (organisation_owner_read, migration 0007,
    // for operator commands) but change none without a context, and no policy lets it edit audit rows.
    expect(await db.selectFrom('organisation').select('id').execute()).toEqual([{ id: org.id }]);
    expect((await sql`UPDATE organisation SET name = 'renamed'`.execute(db)).numAffectedRows).toBe(0n);
    expect(await withTenant(db, { orgId: org.id }, (trx) => trx.selectFrom('organisation').select('id').execute())).toEqual([{ id: org.id }]);
    const edited = await sql`UPDATE audit_event SET details = '{"edited": true}'`.execute(db);
    const deleted = await sql`DELETE FROM audit_event`.execute(db);
    expect([edited.numAffectedRows, deleted.numAffectedRows]).toEqual([0n, 0n]);
    await expect(verifyAuditChain(db)).resolves.toMatchObject({ intact: true, events: 2 });
  });
});

/**
 * prune_unusable_invitations runs as the owner. Elsewhere the suite's owner is a superuser, which
 * bypasses row-level security and would hide a missing policy; here the database belongs to an
 * ordinary role, as on managed PostgreSQL, so the owner-only housekeeping policies must do the work.
 */
describe('migration 0004 with an owner role that is not a superuser', () => {
  it('prunes unusable invitations of every organisation, and only those', async (context) => {
    if (ownerDb === undefined) {
      context.skip('needs a superuser cluster connection to create an ordinary owner role');
      return;
    }
    const db = ownerDb;
    await migrateToLatest(db as Kysely<unknown>);
    const orgs = [await seedOrganisation(db), await seedOrganisation(db)];
    const day = 24 * 3_600_000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const insert = (orgId: string, values: { created_at: Date; expires_at: Date; revoked_at?: Date }) =>
      withTenant(db, { orgId }, (trx) =>
        trx
          .insertInto('invitation')
          .values({ org_id: orgId, email_blind_index: randomBytes(32), role: 'viewer', token_hash: randomBytes(32), invited_by: null, ...values })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    const live = await Promise.all(orgs.map((org) => insert(org.id, { created_at: ago(60), expires_at: ago(-1) })));
    const dead = await Promise.all(orgs.map((org) => insert(org.id, { created_at: ago(60), expires_at: ago(50), revoked_at: ago(55) })));

    // The owner still sees no live invitation without a context: the new policies reach only unusable rows.
    expect(await db.selectFrom('invitation').select('id').execute()).toEqual(expect.arrayContaining(dead));
    expect((await db.selectFrom('invitation').select('id').execute()).map((row) => row.id)).not.toContain(live[0]?.id);

    const { rows } = await sql<{ deleted: string }>`SELECT prune_unusable_invitations(${ago(30)}) AS deleted`.execute(db);
    expect(Number(rows[0]?.deleted)).toBe(2);
    for (const [index, org] of orgs.entries()) {
      const left = await withTenant(db, { orgId: org.id }, (trx) => trx.selectFrom('invitation').select('id').execute());
      expect(left).toEqual([live[index]]);
    }
  });
});
