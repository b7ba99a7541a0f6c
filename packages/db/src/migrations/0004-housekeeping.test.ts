import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, withTenant, type Database } from '../index.js';
import { createPlainOwnerDatabase, seedOrganisation, type PlainOwnerDatabase } from '../testing/index.js';

/**
 * prune_unusable_invitations runs as the owner. Elsewhere the suite's owner is a superuser, which
 * bypasses row-level security and would hide a missing policy; here the database belongs to an
 * ordinary role, as on managed PostgreSQL, so the owner-only housekeeping policies must do the work.
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
