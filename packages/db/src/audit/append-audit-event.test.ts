import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { appendAuditEvent, createDatabase, verifyAuditChain, withTenant } from '../index.js';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  orgA = (await seedOrganisation(db.appDb, 'Org A')).id;
  orgB = (await seedOrganisation(db.appDb, 'Org B')).id;
});
afterAll(async () => {
  await db.drop();
});

describe('appendAuditEvent', () => {
  it("chains events, shows an organisation only its own, and org-less events to nobody but the owner", async () => {
    const first = await appendAuditEvent(db.appDb, {
      orgId: null,
      action: 'auth.sign_in.failed',
      clientAddress: '203.0.113.9',
      userAgent: 'x'.repeat(5000),
      details: { reason: 'unknown_account' },
    });
    const second = await withTenant(db.appDb, { orgId: orgA }, (trx) =>
      appendAuditEvent(trx, { orgId: orgA, action: 'user.role_changed', target: { type: 'user', id: 'u-1' }, details: { from: 'viewer', to: 'analyst' } }),
    );
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.rowHash).toHaveLength(32);

    const stored = await db.ownerDb.selectFrom('audit_event').selectAll().where('seq', 'in', [first.seq, second.seq]).orderBy('seq').execute();
    expect(stored.map((e) => e.action)).toEqual(['auth.sign_in.failed', 'user.role_changed']);
    expect(first.seq).toBe(1);
    expect(stored[0]?.prev_hash.equals(Buffer.alloc(32))).toBe(true);
    expect(stored[1]?.prev_hash.equals(first.rowHash)).toBe(true);
    expect(stored[0]?.user_agent).toHaveLength(1024);
    expect(stored[0]?.client_address).toBe('203.0.113.9');
    expect(stored[1]?.details).toEqual({ from: 'viewer', to: 'analyst' });

    const seenByA = await withTenant(db.appDb, { orgId: orgA }, (trx) => trx.selectFrom('audit_event').select('seq').execute());
    expect(seenByA.map((e) => e.seq)).toEqual([second.seq]);
    const seenByB = await withTenant(db.appDb, { orgId: orgB }, (trx) => trx.selectFrom('audit_event').select('seq').execute());
    expect(seenByB).toEqual([]);
    expect(await db.appDb.selectFrom('audit_event').select('seq').execute()).toEqual([]);
  });

  it("refuses an organisation's event outside its tenant context", async () => {
    await expect(appendAuditEvent(db.appDb, { orgId: orgA, action: 'settings.changed' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const wrongTenant = withTenant(db.appDb, { orgId: orgB }, (trx) => appendAuditEvent(trx, { orgId: orgA, action: 'settings.changed' }));
    await expect(wrongTenant).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(appendAuditEvent(db.appDb, { orgId: null, action: 'settings.changed', clientAddress: 'not-an-ip' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('never forks the chain: 50 concurrent appends from 20 connections form one line', async () => {
    const wide = createDatabase({ url: db.appUrl, maxConnections: 20, applicationName: 'kindling-test-audit' });
    try {
      const before = await db.ownerDb.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const orgId = [orgA, orgB, null][i % 3] ?? null;
          return orgId === null
            ? appendAuditEvent(wide, { orgId, action: 'auth.sign_in.failed', details: { i } })
            : withTenant(wide, { orgId }, (trx) => appendAuditEvent(trx, { orgId, action: 'pipeline.run', details: { i } }));
        }),
      );
      expect(new Set(appended.map((a) => a.seq)).size).toBe(50);

      const { rows } = await sql<{ n: number; links: number }>`
        SELECT count(*)::int AS n, count(DISTINCT prev_hash)::int AS links FROM audit_event`.execute(db.ownerDb);
      expect(rows[0]).toEqual({ n: before.n + 50, links: before.n + 50 });
      await expect(verifyAuditChain(db.ownerDb)).resolves.toMatchObject({ intact: true, events: before.n + 50 });
    } finally {
      await wide.destroy();
    }
  });

  it('keeps the chain whole when an append rolls back (seq skips a number, the chain does not)', async () => {
    const rollback = new Error('rollback');
    await expect(
      withTenant(db.appDb, { orgId: orgA }, async (trx) => {
        await appendAuditEvent(trx, { orgId: orgA, action: 'import.started' });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const after = await appendAuditEvent(db.appDb, { orgId: null, action: 'auth.sign_in.failed' });
    const previous = await db.ownerDb.selectFrom('audit_event').select('seq').where('seq', '<', after.seq).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(after.seq).toBeGreaterThan(previous.seq + 1);
    await expect(verifyAuditChain(db.ownerDb)).resolves.toMatchObject({ intact: true });
  });

  it('makes a REPEATABLE READ caller that raced another append fail rather than fork the chain', async () => {
    const racer = createDatabase({ url: db.appUrl, maxConnections: 2, applicationName: 'kindling-test-audit-race' });
    try {
      const attempt = racer
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          await sql`SELECT 1`.execute(trx); // takes the snapshot
          await appendAuditEvent(racer, { orgId: null, action: 'auth.sign_in.failed' }); // commits a newer head
          return appendAuditEvent(trx, { orgId: null, action: 'auth.sign_in.failed' });
        });
      await expect(attempt).rejects.toThrow(/could not serialize access/);
      await expect(verifyAuditChain(db.ownerDb)).resolves.toMatchObject({ intact: true });
    } finally {
      await racer.destroy();
    }
  });
});

describe('the application role on the audit log', () => {
  it('may not update, delete, truncate or insert audit events, nor touch the chain head or the sequence', async () => {
    await appendAuditEvent(db.appDb, { orgId: null, action: 'auth.sign_in.failed' });
    const attempts = [
      sql`UPDATE audit_event SET details = '{"edited": true}'`,
      sql`DELETE FROM audit_event`,
      sql`TRUNCATE audit_event`,
      sql`INSERT INTO audit_event (action, prev_hash, row_hash) VALUES ('auth.sign_in.failed', decode('00', 'hex'), decode('00', 'hex'))`,
      sql`SELECT * FROM audit_chain_head`,
      sql`UPDATE audit_chain_head SET last_seq = 0`,
      sql`SELECT nextval('audit_event_seq_seq')`,
      sql`SELECT audit_event_canonical(1, NULL, now(), NULL, NULL, 'a.b', NULL, NULL, NULL, NULL, '{}')`,
    ];
    for (const statement of attempts) {
      await expect(withTenant(db.appDb, { orgId: orgA }, (trx) => statement.execute(trx))).rejects.toThrow(/permission denied/);
    }
    await expect(verifyAuditChain(db.ownerDb)).resolves.toMatchObject({ intact: true });
  });
});
