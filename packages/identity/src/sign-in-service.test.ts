import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isAppError } from '@kindling/errors';
import { createIdentityTestHarness, enrolOwner, type EnrolledUser, type IdentityTestHarness } from './testing/index.js';

const meta = { clientAddress: null, userAgent: 'kindling-test' };

async function rejection(attempt: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await attempt;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('sign-in', () => {
  let harness: IdentityTestHarness;
  let owner: EnrolledUser;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await enrolOwner(harness, 'jane.owner@example.org');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('issues a password-stage session whose next step is the second factor', async () => {
    const result = await harness.identity.signIn.signIn({ email: ' Jane.Owner@Example.org ', password: owner.password }, meta);
    expect(result.next).toBe('verify_mfa');
    expect(result.session.stage).toBe('password');
    expect(result.session.token).toMatch(/^kdl_s_[A-Za-z0-9_-]{43}$/);
    const session = await harness.identity.sessions.authenticate(result.session.token);
    expect(session).toMatchObject({ userId: owner.userId, stage: 'password', mfaEnrolled: true });
  });

  it('answers an unknown address, a wrong password, an invited and a disabled account identically', async () => {
    const { identity, database } = harness;
    await identity.invitations.bootstrapOrganisation({ name: 'Other charity', ownerEmail: 'not.yet@example.org' });
    const disabled = await enrolOwner(harness, 'disabled@example.org');
    await database.ownerDb.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();

    const answers = await Promise.all([
      rejection(identity.signIn.signIn({ email: 'nobody@example.org', password: owner.password }, meta)),
      rejection(identity.signIn.signIn({ email: owner.email, password: 'not the right password' }, meta)),
      rejection(identity.signIn.signIn({ email: 'not.yet@example.org', password: 'anything at all' }, meta)),
      rejection(identity.signIn.signIn({ email: disabled.email, password: disabled.password }, meta)),
    ]);
    expect(answers[0]).toEqual({ code: 'UNAUTHENTICATED', message: 'The e-mail address or password is not correct.', details: undefined });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('records failures in the audit log with a reason code and no personal data', async () => {
    await rejection(harness.identity.signIn.signIn({ email: 'someone.unknown@example.org', password: 'wrong guess 123' }, meta));
    const events = await harness.database.ownerDb
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id', 'details', 'org_id'])
      .where('action', '=', 'auth.sign_in.failed')
      .execute();
    expect(events).toContainEqual({ action: 'auth.sign_in.failed', actor_user_id: null, org_id: null, details: { stage: 'password', reason: 'unknown_account' } });
    expect(JSON.stringify(events)).not.toContain('example.org');
  });

  it('locks an account long before 100 failures, and then refuses even the right password', async () => {
    const victim = await enrolOwner(harness, 'victim@example.org');
    const { identity, clock } = harness;
    let failures = 0;
    let hardLock = 0;
    for (let attempt = 0; attempt < 100 && hardLock === 0; attempt += 1) {
      const answer = await rejection(identity.signIn.signIn({ email: victim.email, password: `guess number ${String(attempt)}` }, meta));
      if (answer.code === 'UNAUTHENTICATED') {
        failures += 1;
        continue;
      }
      expect(answer.code).toBe('RATE_LIMITED');
      const wait = (answer.details as { retryAfterSeconds: number }).retryAfterSeconds;
      if (wait >= 3600) hardLock = wait;
      else clock.advance(wait * 1000);
    }
    expect(failures).toBe(20);
    expect(hardLock).toBe(3600);

    const rightPassword = await rejection(identity.signIn.signIn({ email: victim.email, password: victim.password }, meta));
    expect(rightPassword.code).toBe('RATE_LIMITED');

    clock.advance(3600 * 1000);
    const afterAnHour = await identity.signIn.signIn({ email: victim.email, password: victim.password }, meta);
    expect(afterAnHour.next).toBe('verify_mfa');
  });

  it('locks an unknown address exactly like a known one, so lockouts reveal nothing', async () => {
    const { identity } = harness;
    const answers: string[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      answers.push((await rejection(identity.signIn.signIn({ email: 'ghost@example.org', password: 'whatever it is' }, meta))).code);
    }
    expect(answers).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });

  it('throttles a client address spraying many accounts', async () => {
    const { identity, clock } = harness;
    const spray = { clientAddress: '203.0.113.99', userAgent: 'spray' };
    const codes: string[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      codes.push((await rejection(identity.signIn.signIn({ email: `target${String(attempt)}@example.org`, password: 'Summer2026!!' }, spray))).code);
    }
    expect(codes.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 'UNAUTHENTICATED'));
    expect(codes[10]).toBe('RATE_LIMITED');
    clock.advance(60_000);
  });
});
