import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenOfLink } from '@kindling/identity/testing';
import { createLambdaHandler } from '../lambda-handler.js';
import { sessionCookieName } from '../http/session-cookie.js';
import { buildHttpApiEvent } from '../test-support/http-api-event.js';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp } from '../test-support/identity-test-app.js';

interface SessionBody {
  user: { id: string; email: string };
  stage: string;
  next: string | null;
  csrfToken: string;
  organisations: { id: string; name: string; role: string }[];
  currentOrganisationId: string | null;
}

describe('invitation to sign-in, over HTTP', () => {
  let testApp: IdentityTestApp;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('invite → accept → enrol TOTP → recovery codes → sign out → sign in → verify', async () => {
    const { harness } = testApp;
    const bootstrapped = await harness.identity.invitations.bootstrapOrganisation({ name: 'Riverside Food Bank', ownerEmail: 'ada@example.org' });
    const token = tokenOfLink(bootstrapped.link);
    const browser = testApp.browser();

    const inspected = await browser.post('/api/v1/invitations/inspect', { token });
    expect(inspected.status).toBe(200);
    expect(inspected.body).toMatchObject({ organisation: { id: bootstrapped.organisationId, name: 'Riverside Food Bank' }, role: 'owner', account: 'new' });

    const accepted = await browser.post('/api/v1/invitations/accept', { token, password: testPassword });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'password', next: 'enrol_totp', organisationId: bootstrapped.organisationId });
    const cookie = accepted.setCookies.find((line) => line.startsWith(`${sessionCookieName}=`)) ?? '';
    expect(cookie).toMatch(/^__Host-kindling_session=kdl_s_[A-Za-z0-9_-]{43}; Max-Age=1800; Path=\/; HttpOnly; Secure; SameSite=Strict$/);

    // Half signed in: the session read-out works, the status page does not.
    const halfway = await browser.get<SessionBody>('/api/v1/auth/session');
    expect(halfway.body).toMatchObject({ user: { email: 'ada@example.org' }, stage: 'password', next: 'enrol_totp', organisations: [], currentOrganisationId: null });
    const blocked = await browser.get<{ error: { code: string; details: unknown } }>('/api/v1/status');
    expect(blocked.status).toBe(401);
    expect(blocked.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { next: 'enrol_totp' } });

    const enrolment = await browser.post<{ secret: string; otpauthUri: string; qrSvg: string }>('/api/v1/auth/totp/enrolment');
    expect(enrolment.status).toBe(200);
    expect(enrolment.body.otpauthUri).toContain(enrolment.body.secret);
    expect(enrolment.body.qrSvg).toMatch(/^<svg/);
    const halfCookie = browser.cookie;
    const confirmed = await browser.post<{ recoveryCodes: string[]; stage: string }>('/api/v1/auth/totp/enrolment/confirm', {
      code: await generate({ secret: enrolment.body.secret, epoch: harness.clock.epochSeconds() }),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.stage).toBe('mfa_complete');
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(browser.cookie).toBeDefined();
    expect(browser.cookie).not.toBe(halfCookie);

    const session = await browser.get<SessionBody>('/api/v1/auth/session');
    expect(session.body).toMatchObject({
      stage: 'mfa_complete',
      next: null,
      organisations: [{ id: bootstrapped.organisationId, name: 'Riverside Food Bank', role: 'owner' }],
      currentOrganisationId: bootstrapped.organisationId,
    });
    expect((await browser.get('/api/v1/status')).status).toBe(200);

    const signedOut = await browser.post('/api/v1/auth/sign-out');
    expect(signedOut.status).toBe(204);
    expect(signedOut.setCookies.join()).toMatch(/__Host-kindling_session=; Max-Age=0/);
    expect(browser.cookie).toBeUndefined();
    expect((await browser.get('/api/v1/status')).status).toBe(401);

    const signedIn = await browser.post('/api/v1/auth/sign-in', { email: 'ada@example.org', password: testPassword });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ stage: 'password', next: 'verify_mfa' });
    expect((await browser.get('/api/v1/status')).status).toBe(401);

    const verified = await browser.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, enrolment.body.secret) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ stage: 'mfa_complete' });
    expect((await browser.get('/api/v1/status')).status).toBe(200);
  });

  it('rejects a replayed TOTP code, and lets exactly one of two concurrent submissions through', async () => {
    const owner = await signUpOwner(testApp, 'replay@example.org');
    const first = testApp.browser();
    const second = testApp.browser();
    for (const browser of [first, second]) {
      expect((await browser.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(200);
    }
    const code = await nextTotpCode(testApp, owner.totpSecret);
    const [a, b] = await Promise.all([first.post('/api/v1/auth/mfa/verify', { code }), second.post('/api/v1/auth/mfa/verify', { code })]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);

    const third = testApp.browser();
    await third.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    expect((await third.post('/api/v1/auth/mfa/verify', { code })).status).toBe(401);
  });

  it('accepts a recovery code once and says how many are left', async () => {
    const owner = await signUpOwner(testApp, 'recover@example.org');
    const recoveryCode = owner.recoveryCodes[3] ?? '';
    const browser = testApp.browser();
    await browser.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    const recovered = await browser.post('/api/v1/auth/mfa/recover', { recoveryCode });
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ stage: 'mfa_complete', remainingRecoveryCodes: 9 });
    expect((await browser.get('/api/v1/status')).status).toBe(200);

    const again = testApp.browser();
    await again.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    expect((await again.post('/api/v1/auth/mfa/recover', { recoveryCode })).status).toBe(401);
  });

  it('answers an unknown address and a wrong password with the same status and body', async () => {
    const owner = await signUpOwner(testApp, 'known@example.org');
    const browser = testApp.browser();
    const unknown = await browser.post<{ error: Record<string, unknown> }>('/api/v1/auth/sign-in', { email: 'unknown@example.org', password: testPassword });
    const wrong = await browser.post<{ error: Record<string, unknown> }>('/api/v1/auth/sign-in', { email: owner.email, password: 'not the password at all' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect({ ...unknown.body.error, requestId: 'ignored' }).toEqual({ ...wrong.body.error, requestId: 'ignored' });
    expect(unknown.setCookies).toEqual([]);
    expect([...unknown.headers.keys()].sort()).toEqual([...wrong.headers.keys()].sort());
  });

  it('answers 429 with Retry-After once an account is locked, even for the right password', async () => {
    const owner = await signUpOwner(testApp, 'locked@example.org');
    const browser = testApp.browser();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await browser.post('/api/v1/auth/sign-in', { email: owner.email, password: `wrong password ${String(attempt)}` })).status).toBe(401);
    }
    const locked = await browser.post<{ error: { code: string; details: { retryAfterSeconds: number } } }>('/api/v1/auth/sign-in', {
      email: owner.email,
      password: testPassword,
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.body.error.details.retryAfterSeconds).toBe(2);
    expect(locked.headers.get('retry-after')).toBe('2');
    testApp.harness.clock.advance(2_000);
    expect((await browser.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(200);
  });

  it('refuses a revoked session and an idle one', async () => {
    const owner = await signUpOwner(testApp, 'idle@example.org');
    const { browser } = owner;
    const other = testApp.browser();
    await other.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    await other.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });
    expect((await other.get('/api/v1/status')).status).toBe(200);

    // Revoked from the first browser's session list.
    const sessions = await browser.get<{ id: string; current: boolean }[]>('/api/v1/account/sessions');
    const others = sessions.body.filter((session) => !session.current);
    expect(others).toHaveLength(1);
    expect((await browser.request('DELETE', `/api/v1/account/sessions/${others[0]?.id ?? ''}`)).status).toBe(204);
    expect((await other.get('/api/v1/status')).status).toBe(401);

    testApp.harness.clock.advance(29 * 60_000);
    expect((await browser.get('/api/v1/status')).status).toBe(200);
    testApp.harness.clock.advance(30 * 60_000 + 1000);
    expect((await browser.get('/api/v1/status')).status).toBe(401);
  });

  it('refuses used and expired invitation links alike', async () => {
    const { harness } = testApp;
    const used = await harness.identity.invitations.bootstrapOrganisation({ name: 'Used', ownerEmail: 'used@example.org' });
    const expired = await harness.identity.invitations.bootstrapOrganisation({ name: 'Expired', ownerEmail: 'expired@example.org' });
    const browser = testApp.browser();
    expect((await browser.post('/api/v1/invitations/accept', { token: tokenOfLink(used.link), password: testPassword })).status).toBe(200);
    harness.clock.advance(8 * 24 * 3_600_000);
    const answers = await Promise.all([
      testApp.browser().post<{ error: { code: string; message: string } }>('/api/v1/invitations/inspect', { token: tokenOfLink(used.link) }),
      testApp.browser().post<{ error: { code: string; message: string } }>('/api/v1/invitations/inspect', { token: tokenOfLink(expired.link) }),
      testApp.browser().post<{ error: { code: string; message: string } }>('/api/v1/invitations/accept', { token: tokenOfLink(expired.link), password: testPassword }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.message).toBe(answers[0].body.error.message);
    }
  });

  it('works the same through the Lambda handler: the cookie arrives in `cookies`, the address from sourceIp', async () => {
    const owner = await signUpOwner(testApp, 'lambda@example.org');
    const lambda = createLambdaHandler(testApp.app);
    const cookie = `${sessionCookieName}=${owner.browser.cookie ?? ''}`;
    const status = await lambda(buildHttpApiEvent({ method: 'GET', path: '/api/v1/status', headers: { cookie } }));
    expect(status.statusCode).toBe(200);

    const signIn = await lambda(
      buildHttpApiEvent({
        method: 'POST',
        path: '/api/v1/auth/sign-in',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: testPassword }),
      }),
    );
    expect(signIn.statusCode).toBe(200);
    const setCookie = [...(signIn.cookies ?? []), ...Object.entries(signIn.headers ?? {}).filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => String(value))];
    expect(setCookie.join()).toContain(`${sessionCookieName}=kdl_s_`);
    const row = await testApp.harness.database.ownerDb
      .selectFrom('user_session')
      .select('client_address')
      .where('stage', '=', 'password')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.client_address).toBe('203.0.113.7');
  });
});
