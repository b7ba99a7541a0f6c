import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createIdentityTestHarness, enrolOwner, SoftwareAuthenticator, tokenOfLink, type IdentityTestHarness } from './testing/index.js';
import type { ActiveSession } from './session-service.js';

const meta = { clientAddress: '192.0.2.20', userAgent: 'kindling-test' };

describe('second factor', () => {
  let harness: IdentityTestHarness;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
  });
  afterAll(async () => {
    await harness.close();
  });

  async function authenticated(token: string): Promise<ActiveSession> {
    const session = await harness.identity.sessions.authenticate(token);
    if (session === undefined) throw new Error('session did not authenticate');
    return session;
  }

  async function passwordStage(email: string, password: string): Promise<ActiveSession> {
    const result = await harness.identity.signIn.signIn({ email, password }, meta);
    return authenticated(result.session.token);
  }

  /** A code for a time step after every one used so far. */
  async function nextCode(secret: string): Promise<string> {
    harness.clock.advance(30_000);
    return generate({ secret, epoch: harness.clock.epochSeconds() });
  }

  it('enrols TOTP: the secret is stored encrypted, ten recovery codes hashed, and a complete session replaces the old one', async () => {
    const { identity, database } = harness;
    const bootstrapped = await identity.invitations.bootstrapOrganisation({ name: 'Enrolment charity', ownerEmail: 'enrol@example.org' });
    const accepted = await identity.invitations.acceptInvitation({ token: tokenOfLink(bootstrapped.link), password: 'a long and unguessable passphrase' }, meta);
    expect(accepted.next).toBe('enrol_totp');
    const session = await authenticated(accepted.session.token);

    // A session that has not enrolled cannot skip to verification.
    await expect(identity.mfa.verifyTotp(session, '123456', meta)).rejects.toMatchObject({ code: 'CONFLICT', details: { next: 'enrol_totp' } });

    const offer = await identity.mfa.beginTotpEnrolment(session);
    expect(offer.otpauthUri).toContain(`secret=${offer.secret}`);
    expect(offer.qrSvg).toMatch(/^<svg/);
    const stored = await database.ownerDb.selectFrom('mfa_totp').selectAll().where('user_id', '=', session.userId).executeTakeFirstOrThrow();
    expect(stored.secret_ciphertext.includes(Buffer.from(offer.secret))).toBe(false);
    expect(stored.confirmed_at).toBeNull();

    await expect(identity.mfa.confirmTotpEnrolment(session, '000000', meta)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const code = await generate({ secret: offer.secret, epoch: harness.clock.epochSeconds() });
    const confirmed = await identity.mfa.confirmTotpEnrolment(session, code, meta);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(confirmed.session.stage).toBe('mfa_complete');
    expect(confirmed.session.token).not.toBe(accepted.session.token);
    expect(await identity.sessions.authenticate(accepted.session.token)).toBeUndefined();
    expect(await authenticated(confirmed.session.token)).toMatchObject({ stage: 'mfa_complete', orgId: bootstrapped.organisationId, role: 'owner' });

    const codes = await database.ownerDb.selectFrom('mfa_recovery_code').select('code_hash').where('user_id', '=', session.userId).execute();
    expect(codes).toHaveLength(10);
    for (const { code_hash } of codes) expect(code_hash).toHaveLength(32);
    const plain = JSON.stringify(codes.map((row) => row.code_hash.toString('latin1')));
    for (const recoveryCode of confirmed.recoveryCodes) expect(plain).not.toContain(recoveryCode);

    // Enrolled now: starting over is refused.
    await expect(identity.mfa.beginTotpEnrolment(await authenticated(confirmed.session.token))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('accepts a TOTP code once: a replay of the same code is refused', async () => {
    const user = await enrolOwner(harness, 'replay@example.org');
    const code = await nextCode(user.totpSecret);
    const first = await harness.identity.mfa.verifyTotp(await passwordStage(user.email, user.password), code, meta);
    expect(first.stage).toBe('mfa_complete');
    await expect(harness.identity.mfa.verifyTotp(await passwordStage(user.email, user.password), code, meta)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('lets exactly one of many concurrent submissions of the same code through', async () => {
    const user = await enrolOwner(harness, 'race@example.org');
    // Four: within the free failures of the account, so every loser fails on the code, not the throttle.
    const sessions: ActiveSession[] = [];
    for (let index = 0; index < 4; index += 1) sessions.push(await passwordStage(user.email, user.password));
    const code = await nextCode(user.totpSecret);
    const outcomes = await Promise.allSettled(sessions.map((session) => harness.identity.mfa.verifyTotp(session, code, meta)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses a code from an earlier time step than the last one used', async () => {
    const user = await enrolOwner(harness, 'earlier@example.org');
    harness.clock.advance(60_000);
    const earlier = await generate({ secret: user.totpSecret, epoch: harness.clock.epochSeconds() - 30 });
    const current = await generate({ secret: user.totpSecret, epoch: harness.clock.epochSeconds() });
    await harness.identity.mfa.verifyTotp(await passwordStage(user.email, user.password), current, meta);
    await expect(harness.identity.mfa.verifyTotp(await passwordStage(user.email, user.password), earlier, meta)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('accepts each recovery code once, in any spelling, and counts what is left', async () => {
    const user = await enrolOwner(harness, 'recovery@example.org');
    const [first = '', second = ''] = user.recoveryCodes;
    const result = await harness.identity.mfa.verifyRecoveryCode(await passwordStage(user.email, user.password), first.toLowerCase().replaceAll('-', ' '), meta);
    expect(result.remainingRecoveryCodes).toBe(9);
    expect(result.session.stage).toBe('mfa_complete');
    await expect(harness.identity.mfa.verifyRecoveryCode(await passwordStage(user.email, user.password), first, meta)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const concurrent = await Promise.allSettled(
      [1, 2, 3].map(async () => harness.identity.mfa.verifyRecoveryCode(await passwordStage(user.email, user.password), second, meta)),
    );
    expect(concurrent.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('audits each use of a recovery code with how many are left', async () => {
    const user = await enrolOwner(harness, 'recovery-audit@example.org');
    const [first = ''] = user.recoveryCodes;
    await harness.identity.mfa.verifyRecoveryCode(await passwordStage(user.email, user.password), first, meta);
    const events = await harness.database.ownerDb
      .selectFrom('audit_event')
      .select(['action', 'org_id', 'target_id', 'details', 'client_address'])
      .where('actor_user_id', '=', user.userId)
      .where('action', '=', 'auth.mfa.recovery_code_used')
      .execute();
    expect(events).toEqual([{ action: 'auth.mfa.recovery_code_used', org_id: null, target_id: user.userId, details: { remainingRecoveryCodes: 9 }, client_address: meta.clientAddress }]);
  });

  it('counts second-factor failures against the account, so a known password buys at most 20 guesses', async () => {
    const user = await enrolOwner(harness, 'guessing@example.org');
    let guesses = 0;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      let session: ActiveSession;
      try {
        session = await passwordStage(user.email, user.password);
        await harness.identity.mfa.verifyTotp(session, '000000', meta);
        throw new Error('a wrong code was accepted');
      } catch (error) {
        const { code, details } = error as { code: string; details?: { retryAfterSeconds: number } };
        if (code === 'UNAUTHENTICATED') {
          guesses += 1;
          continue;
        }
        expect(code).toBe('RATE_LIMITED');
        const wait = details?.retryAfterSeconds ?? 0;
        if (wait >= 3600) break;
        harness.clock.advance(wait * 1000);
      }
    }
    expect(guesses).toBeLessThanOrEqual(20);
    await expect(passwordStage(user.email, user.password)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('resets MFA: factors removed, every session revoked, enrolment needed again', async () => {
    const user = await enrolOwner(harness, 'reset@example.org');
    const session = await authenticated(user.sessionToken);
    const options = await harness.identity.passkeys.beginRegistration(session);
    await harness.identity.passkeys.finishRegistration(session, new SoftwareAuthenticator(harness.publicUrl).register(options), 'Phone', meta);
    await harness.identity.mfa.resetMfa(user.userId, { userId: null, orgId: user.organisationId }, meta);
    expect(await harness.identity.sessions.authenticate(user.sessionToken)).toBeUndefined();
    expect(await harness.identity.passkeys.hasPasskeys(user.userId)).toBe(false);
    const result = await harness.identity.signIn.signIn({ email: user.email, password: user.password }, meta);
    expect(result.next).toBe('enrol_totp');
    const audit = await harness.database.ownerDb.selectFrom('audit_event').select(['org_id', 'action']).where('action', '=', 'auth.mfa.reset').execute();
    expect(audit).toEqual([{ org_id: user.organisationId, action: 'auth.mfa.reset' }]);
  });
});
