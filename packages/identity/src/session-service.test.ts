import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@kindling/db';
import { hashToken } from './opaque-token.js';
import { createIdentityTestHarness, enrolOwner, type EnrolledUser, type IdentityTestHarness } from './testing/index.js';

const meta = { clientAddress: '2001:db8::7', userAgent: 'kindling-test' };

describe('sessions', () => {
  let harness: IdentityTestHarness;
  let user: EnrolledUser;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({
      clusterOwnerUrl: inject('clusterOwnerUrl'),
      appRolePassword: inject('appRolePassword'),
      sessionPolicy: { idleMinutes: 30, absoluteHours: 12 },
    });
    user = await enrolOwner(harness, 'sessions@example.org');
  });
  afterAll(async () => {
    await harness.close();
  });

  async function completeSession(): Promise<string> {
    const session = await harness.identity.sessions.issue({ userId: user.userId, stage: 'mfa_complete', orgId: user.organisationId }, meta);
    return session.token;
  }

  it('stores only the SHA-256 of the token', async () => {
    const token = await completeSession();
    const rows = await harness.database.ownerDb.selectFrom('user_session').select(['token_hash', 'client_address', 'user_agent']).execute();
    expect(rows.some((row) => row.token_hash.equals(hashToken(token)))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.some((row) => row.client_address === '2001:db8::7' && row.user_agent === 'kindling-test')).toBe(true);
  });

  it('ends a session left idle for 30 minutes, and keeps one in use alive', async () => {
    const { sessions } = harness.identity;
    const idle = await completeSession();
    const used = await completeSession();
    for (let minute = 0; minute < 40; minute += 5) {
      harness.clock.advance(5 * 60_000);
      expect(await sessions.authenticate(used), `used, after ${String(minute + 5)} minutes`).toBeDefined();
    }
    expect(await sessions.authenticate(idle)).toBeUndefined();
  });

  it('writes last_seen_at at most once a minute', async () => {
    const token = await completeSession();
    const lastSeen = async (): Promise<number> =>
      (await harness.database.ownerDb.selectFrom('user_session').select('last_seen_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).last_seen_at.getTime();
    const issued = await lastSeen();
    harness.clock.advance(30_000);
    await harness.identity.sessions.authenticate(token);
    expect(await lastSeen()).toBe(issued);
    harness.clock.advance(31_000);
    await harness.identity.sessions.authenticate(token);
    expect(await lastSeen()).toBeGreaterThan(issued);
  });

  it('ends every session 12 hours after it was issued, however active', async () => {
    const token = await completeSession();
    for (let hour = 0; hour < 11; hour += 1) {
      harness.clock.advance(20 * 60_000);
      expect(await harness.identity.sessions.authenticate(token)).toBeDefined();
      harness.clock.advance(20 * 60_000);
      expect(await harness.identity.sessions.authenticate(token)).toBeDefined();
      harness.clock.advance(20 * 60_000);
      expect(await harness.identity.sessions.authenticate(token)).toBeDefined();
    }
    harness.clock.advance(61 * 60_000);
    expect(await harness.identity.sessions.authenticate(token)).toBeUndefined();
  });

  it('gives password-stage sessions a short life', async () => {
    const session = await harness.identity.sessions.issue({ userId: user.userId, stage: 'password' }, meta);
    expect(session.lifetimeSeconds).toBe(30 * 60);
  });

  it('revokes all of a user’s sessions but one, and audits it without personal data', async () => {
    const { sessions } = harness.identity;
    const keep = await completeSession();
    const others = [await completeSession(), await completeSession()];
    const kept = await sessions.authenticate(keep);
    expect(kept).toBeDefined();
    const count = await sessions.revokeUserSessions(user.userId, 'password_changed', kept?.sessionId, meta);
    expect(count).toBeGreaterThanOrEqual(2);
    for (const token of others) expect(await sessions.authenticate(token)).toBeUndefined();
    expect(await sessions.authenticate(keep)).toBeDefined();
    const audit = await harness.database.ownerDb
      .selectFrom('audit_event')
      .select(['details', 'client_address'])
      .where('action', '=', 'session.revoked')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ details: { reason: 'password_changed', sessions: count }, client_address: '2001:db8::7' });
  });

  it('lists my sessions, and revokes only my own: another user’s session id is NOT_FOUND', async () => {
    const { sessions } = harness.identity;
    const mine = await sessions.authenticate(await completeSession());
    const other = await enrolOwner(harness, 'someone.else@example.org');
    const theirs = await sessions.authenticate(other.sessionToken);
    if (mine === undefined || theirs === undefined) throw new Error('sessions did not authenticate');
    expect((await sessions.listActive(user.userId)).map((session) => session.id)).toContain(mine.sessionId);
    expect((await sessions.listActive(user.userId)).map((session) => session.id)).not.toContain(theirs.sessionId);

    await expect(sessions.revokeOwnSession(user.userId, theirs.sessionId, meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await sessions.authenticate(other.sessionToken)).toBeDefined();
    await sessions.revokeOwnSession(user.userId, mine.sessionId, meta);
    await expect(sessions.revokeOwnSession(user.userId, mine.sessionId, meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses the session of a disabled user, and tokens that are not ours', async () => {
    const { sessions } = harness.identity;
    const person = await enrolOwner(harness, 'to.disable@example.org');
    expect(await sessions.authenticate(person.sessionToken)).toBeDefined();
    await harness.database.ownerDb.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', person.userId).execute();
    expect(await sessions.authenticate(person.sessionToken)).toBeUndefined();
    expect(await sessions.authenticate('kdl_s_not-a-real-token')).toBeUndefined();
    expect(await sessions.authenticate(`kdl_s_${'A'.repeat(43)}`)).toBeUndefined();
  });

  it('selects an organisation only for a member, and drops it when the membership goes', async () => {
    const { sessions } = harness.identity;
    const person = await enrolOwner(harness, 'picker@example.org');
    const session = await sessions.authenticate(person.sessionToken);
    if (session === undefined) throw new Error('no session');
    await expect(sessions.selectOrganisation(session, user.organisationId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await sessions.selectOrganisation(session, person.organisationId)).toBe('owner');
    await withTenant(harness.database.ownerDb, { orgId: person.organisationId }, (trx) =>
      trx.deleteFrom('membership').where('user_id', '=', person.userId).execute(),
    );
    expect(await sessions.authenticate(person.sessionToken)).toMatchObject({ orgId: null, role: null });
  });
});
