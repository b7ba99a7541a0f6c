import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@kindling/db';
import { pruneIdentityRecords } from './identity-housekeeping.js';
import { createIdentityTestHarness, enrolOwner, type IdentityTestHarness } from './testing/index.js';

const meta = { clientAddress: '192.0.2.40', userAgent: 'kindling-test' };
const day = 24 * 3_600_000;

describe('identity housekeeping', () => {
  let harness: IdentityTestHarness;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
  });
  afterAll(async () => {
    await harness.close();
  });

  function daysAgo(days: number): Date {
    return new Date(harness.clock.now().getTime() - days * day);
  }

  /** An invitation row in `orgId`'s own tenant context, with the given history. */
  async function invitation(orgId: string, history: { created: number; expires: number; accepted?: number; revoked?: number }): Promise<string> {
    const row = await withTenant(harness.database.ownerDb, { orgId }, (trx) =>
      trx
        .insertInto('invitation')
        .values({
          org_id: orgId,
          email_blind_index: randomBytes(32),
          role: 'viewer',
          token_hash: randomBytes(32),
          invited_by: null,
          created_at: daysAgo(history.created),
          expires_at: daysAgo(history.expires),
          accepted_at: history.accepted === undefined ? null : daysAgo(history.accepted),
          revoked_at: history.revoked === undefined ? null : daysAgo(history.revoked),
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return row.id;
  }

  it('deletes ended sessions, stale throttle counters and long-ended invitations of every organisation, as the application role', async () => {
    const owner = await enrolOwner(harness, 'housekeeping@example.org');
    const other = await harness.identity.invitations.bootstrapOrganisation({ name: 'Second charity', ownerEmail: 'second-owner@example.org' });
    const { ownerDb } = harness.database;

    const issue = () => harness.identity.sessions.issue({ userId: owner.userId, stage: 'mfa_complete' }, meta);
    const active = await issue();
    const revoked = await issue();
    await ownerDb.updateTable('user_session').set({ revoked_at: harness.clock.now(), revoked_reason: 'test' }).where('id', '=', revoked.sessionId).execute();
    const idle = await issue();
    await ownerDb.updateTable('user_session').set({ last_seen_at: new Date(harness.clock.now().getTime() - 31 * 60_000) }).where('id', '=', idle.sessionId).execute();
    const expired = await issue();
    await ownerDb
      .updateTable('user_session')
      .set({ created_at: daysAgo(2), last_seen_at: harness.clock.now(), expires_at: daysAgo(1) })
      .where('id', '=', expired.sessionId)
      .execute();
    // The sign-up itself left a replaced (revoked) password-stage session behind.
    const sessionsBefore = await ownerDb.selectFrom('user_session').select('id').where('user_id', '=', owner.userId).execute();

    await ownerDb
      .insertInto('auth_throttle')
      .values([
        { key: 'address:198.51.100.1', failures: 3, first_failure_at: daysAgo(2), locked_until: null },
        { key: 'address:198.51.100.2', failures: 20, first_failure_at: daysAgo(2), locked_until: new Date(harness.clock.now().getTime() + 3_600_000) },
        { key: 'address:198.51.100.3', failures: 3, first_failure_at: daysAgo(0.1), locked_until: null },
      ])
      .execute();

    const kept = [
      await invitation(owner.organisationId, { created: 12, expires: 5, revoked: 10 }),
      await invitation(owner.organisationId, { created: 1, expires: -6 }),
      // Old but still usable (an unusually long validity): never deleted, whatever its age.
      await invitation(other.organisationId, { created: 60, expires: -1 }),
      other.invitationId,
    ];
    const gone = [
      await invitation(owner.organisationId, { created: 45, expires: 38, accepted: 40 }),
      await invitation(owner.organisationId, { created: 38, expires: 31 }),
      await invitation(other.organisationId, { created: 45, expires: 38, revoked: 40 }),
    ];

    const result = await pruneIdentityRecords(harness.database.appDb, harness.clock, { sessionIdleMinutes: 30, invitationRetentionDays: 30 });

    const sessionsAfter = await ownerDb.selectFrom('user_session').select('id').where('user_id', '=', owner.userId).execute();
    expect(sessionsAfter.map((row) => row.id).sort()).toEqual([active.sessionId, (await harness.identity.sessions.authenticate(owner.sessionToken))?.sessionId].sort());
    // Revoked, idle, expired, and the replaced one from the sign-up.
    expect(sessionsBefore.length - sessionsAfter.length).toBe(4);
    expect(result.deletedSessions).toBe(4);

    const counters = await ownerDb.selectFrom('auth_throttle').select('key').where('key', 'like', 'address:198.51.100.%').orderBy('key').execute();
    expect(counters.map((row) => row.key)).toEqual(['address:198.51.100.2', 'address:198.51.100.3']);
    expect(result.deletedThrottleCounters).toBe(1);

    const remaining = await ownerDb.selectFrom('invitation').select('id').execute();
    const remainingIds = remaining.map((row) => row.id);
    for (const id of kept) expect(remainingIds).toContain(id);
    for (const id of gone) expect(remainingIds).not.toContain(id);
    expect(result.deletedInvitations).toBe(gone.length);
  });

  it('cannot reach other tenants’ invitations directly: the application role deletes nothing without a context', async () => {
    const bootstrapped = await harness.identity.invitations.bootstrapOrganisation({ name: 'Fenced charity', ownerEmail: 'fenced@example.org' });
    const deleted = await harness.database.appDb.deleteFrom('invitation').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(0n);
    const row = await harness.database.ownerDb.selectFrom('invitation').select('id').where('id', '=', bootstrapped.invitationId).executeTakeFirst();
    expect(row?.id).toBe(bootstrapped.invitationId);
  });
});
