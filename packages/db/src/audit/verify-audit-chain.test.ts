import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { appendAuditEvent, verifyAuditChain, withTenant, type Database } from '../index.js';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '../testing/index.js';

/**
 * Tampering is done as the owner, the only role that can change audit rows at all: it lifts
 * FORCE ROW LEVEL SECURITY for the moment (as a real intruder with the owner's rights could), so
 * the tests hold whether or not the test cluster's owner is a superuser.
 */
async function tamper(db: TestDatabase, ...statements: RawBuilder<unknown>[]): Promise<void> {
  await db.ownerDb.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_event NO FORCE ROW LEVEL SECURITY`.execute(trx);
    for (const statement of statements) await statement.execute(trx);
    await sql`ALTER TABLE audit_event FORCE ROW LEVEL SECURITY`.execute(trx);
  });
}

/** A forged row with a correctly computed hash, as someone who knows the algorithm would make it. */
function forge(seq: number, prevSeq: number): RawBuilder<unknown> {
  return sql`
    INSERT INTO audit_event (seq, org_id, occurred_at, action, details, prev_hash, row_hash)
    SELECT f.seq, NULL, f.at, 'auth.sign_in.succeeded', '{}', p.row_hash,
      sha256(p.row_hash || audit_event_canonical(f.seq, NULL, f.at, NULL, NULL, 'auth.sign_in.succeeded', NULL, NULL, NULL, NULL, '{}'))
    FROM audit_event p, (SELECT ${seq}::bigint AS seq, now() AS at) f
    WHERE p.seq = ${prevSeq}`;
}

let db: TestDatabase;
/** Seqs of the seeded events: 1, 2, 4, 5, 6 (3 was rolled back, leaving a gap a forger could use). */
let seqs: number[];

async function seedChain(appDb: Kysely<Database>): Promise<number[]> {
  const orgId = (await seedOrganisation(appDb)).id;
  const appended: number[] = [];
  appended.push((await appendAuditEvent(appDb, { orgId: null, action: 'auth.sign_in.failed', details: { reason: 'bad_password' } })).seq);
  await withTenant(appDb, { orgId }, async (trx) => {
    appended.push((await appendAuditEvent(trx, { orgId, action: 'user.invited', target: { type: 'invitation', id: 'i-1' } })).seq);
  });
  await withTenant(appDb, { orgId }, async (trx) => {
    await appendAuditEvent(trx, { orgId, action: 'import.started' });
    throw new Error('rolled back');
  }).catch(() => undefined);
  for (const action of ['pipeline.run', 'export.personal_data', 'keys.rotated'] as const) {
    await withTenant(appDb, { orgId }, async (trx) => {
      appended.push((await appendAuditEvent(trx, { orgId, action, details: { rows: 10 } })).seq);
    });
  }
  return appended;
}

beforeEach(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  seqs = await seedChain(db.appDb);
});
afterEach(async () => {
  await db.drop();
});

describe('verifyAuditChain', () => {
  it('reports an intact chain with its length and head', async () => {
    expect(seqs).toEqual([1, 2, 4, 5, 6]);
    const result = await verifyAuditChain(db.ownerDb);
    const last = await db.ownerDb.selectFrom('audit_event').select('row_hash').where('seq', '=', 6).executeTakeFirstOrThrow();
    expect(result).toEqual({ intact: true, events: 5, headSeq: 6, headHash: last.row_hash });
  });

  it('finds an edited row (a details field changed)', async () => {
    await tamper(db, sql`UPDATE audit_event SET details = '{"rows": 11}' WHERE seq = 5`);
    expect(await verifyAuditChain(db.ownerDb)).toEqual({
      intact: false,
      events: 3,
      fault: { seq: 5, problem: 'hash_mismatch', message: 'event 5 does not match its hash: it was changed after it was written' },
    });
  });

  it('finds a deleted row in the middle, through the broken link of the next one', async () => {
    await tamper(db, sql`DELETE FROM audit_event WHERE seq = 4`);
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({
      intact: false,
      events: 2,
      fault: { seq: 5, problem: 'broken_link', message: 'event 5 does not follow event 2: an event was deleted, inserted or moved here' },
    });
  });

  it('finds a forged row with a correct hash inserted into a gap in seq', async () => {
    await tamper(db, forge(3, 2));
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({ intact: false, events: 3, fault: { seq: 4, problem: 'broken_link' } });
  });

  it('finds a forged row with made-up hashes', async () => {
    await tamper(
      db,
      sql`INSERT INTO audit_event (seq, action, prev_hash, row_hash) VALUES (3, 'auth.sign_in.succeeded', sha256('x'), sha256('y'))`,
    );
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({ intact: false, events: 2, fault: { seq: 3, problem: 'broken_link' } });
  });

  it('finds a forged row appended at the end, through the chain head', async () => {
    await tamper(db, forge(7, 6));
    expect(await verifyAuditChain(db.ownerDb)).toEqual({
      intact: false,
      events: 6,
      fault: {
        seq: 7,
        problem: 'head_mismatch',
        message: 'the last event is event 7 but the chain head records event 6: events were removed from the end, or added without audit_append',
      },
    });
  });

  it('finds rows removed from the end, through the chain head', async () => {
    await tamper(db, sql`DELETE FROM audit_event WHERE seq >= 5`);
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({ intact: false, events: 3, fault: { seq: 4, problem: 'head_mismatch' } });
  });

  it('finds two rows whose whole contents were swapped (reordering)', async () => {
    const columns = sql`org_id, occurred_at, actor_user_id, actor_token_id, action, target_type, target_id, client_address, user_agent, details, prev_hash, row_hash`;
    await tamper(
      db,
      sql`CREATE TEMP TABLE swap ON COMMIT DROP AS SELECT * FROM audit_event WHERE seq IN (2, 5)`,
      sql`UPDATE audit_event e SET (${columns}) = (SELECT ${columns} FROM swap s WHERE s.seq = CASE e.seq WHEN 2 THEN 5 ELSE 2 END) WHERE e.seq IN (2, 5)`,
    );
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({ intact: false, events: 1, fault: { seq: 2, problem: 'broken_link' } });
  });

  it('finds two rows whose contents were swapped while their hashes stayed put', async () => {
    const columns = sql`org_id, occurred_at, action, target_type, target_id, details`;
    await tamper(
      db,
      sql`CREATE TEMP TABLE swap ON COMMIT DROP AS SELECT * FROM audit_event WHERE seq IN (2, 5)`,
      sql`UPDATE audit_event e SET (${columns}) = (SELECT ${columns} FROM swap s WHERE s.seq = CASE e.seq WHEN 2 THEN 5 ELSE 2 END) WHERE e.seq IN (2, 5)`,
    );
    expect(await verifyAuditChain(db.ownerDb)).toMatchObject({ intact: false, events: 1, fault: { seq: 2, problem: 'hash_mismatch' } });
  });

  it('reports an empty log as intact', async () => {
    const fresh = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
    try {
      expect(await verifyAuditChain(fresh.ownerDb)).toEqual({ intact: true, events: 0, headSeq: null, headHash: Buffer.alloc(32) });
    } finally {
      await fresh.drop();
    }
  });
});
