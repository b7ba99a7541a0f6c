import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp } from '../test-support/identity-test-app.js';

interface Session {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  clientAddress: string | null;
  userAgent: string | null;
}

describe('my sessions, behind one trusted proxy', () => {
  let testApp: IdentityTestApp;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword'), trustedProxyHops: 1 });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lists my active sessions with the address the proxy saw, marking the current one', async () => {
    const owner = await signUpOwner(testApp, 'lister@example.org', { headers: { 'X-Forwarded-For': '10.9.9.9, 203.0.113.50', 'User-Agent': 'Browser One' } });
    const laptop = testApp.browser({ headers: { 'X-Forwarded-For': '2001:db8::42', 'User-Agent': 'Browser Two' } });
    await laptop.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    await laptop.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });

    const listed = await owner.browser.get<Session[]>('/api/v1/account/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(2);
    expect(listed.body.find((session) => session.current)).toMatchObject({ clientAddress: '203.0.113.50', userAgent: 'Browser One' });
    expect(listed.body.find((session) => !session.current)).toMatchObject({ clientAddress: '2001:db8::42', userAgent: 'Browser Two' });
  });

  it('ends only my own sessions: another user’s session id is 404 and stays valid', async () => {
    const me = await signUpOwner(testApp, 'me@example.org');
    const them = await signUpOwner(testApp, 'them@example.org');
    const theirs = (await them.browser.get<Session[]>('/api/v1/account/sessions')).body[0]?.id ?? '';
    const attempt = await me.browser.request('DELETE', `/api/v1/account/sessions/${theirs}`);
    expect(attempt.status).toBe(404);
    expect((await them.browser.get('/api/v1/status')).status).toBe(200);

    const mine = (await me.browser.get<Session[]>('/api/v1/account/sessions')).body[0]?.id ?? '';
    const ended = await me.browser.request('DELETE', `/api/v1/account/sessions/${mine}`);
    expect(ended.status).toBe(204);
    expect(ended.setCookies.join()).toContain('Max-Age=0');
    expect((await me.browser.get('/api/v1/status')).status).toBe(401);
  });
});

describe('changing my password', () => {
  let testApp: IdentityTestApp;
  const newPassword = 'another long and unguessable passphrase';

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
  });
  afterAll(async () => {
    await testApp.close();
  });

  async function userIdOf(email: string): Promise<string> {
    const account = await testApp.harness.identity.directory.findByEmailBlindIndex(await testApp.harness.identity.directory.emailBlindIndex(email));
    if (account === undefined) throw new Error('no such account');
    return account.id;
  }

  it('changes it: my other sessions end, this one continues with a new token, the old password stops working', async () => {
    const owner = await signUpOwner(testApp, 'changer@example.org');
    const laptop = testApp.browser();
    await laptop.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    await laptop.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });
    expect((await laptop.get('/api/v1/status')).status).toBe(200);
    const oldCookie = owner.browser.cookie;
    const oldCsrf = owner.browser.csrfToken;

    const changed = await owner.browser.post<{ stage: string; csrfToken: string; otherSessionsRevoked: number }>('/api/v1/account/password', {
      currentPassword: testPassword,
      newPassword,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ stage: 'mfa_complete', otherSessionsRevoked: 1 });
    expect(owner.browser.cookie).toBeDefined();
    expect(owner.browser.cookie).not.toBe(oldCookie);
    expect(changed.body.csrfToken).not.toBe(oldCsrf);

    const mine = await owner.browser.get<Session[]>('/api/v1/account/sessions');
    expect(mine.status).toBe(200);
    expect(mine.body.map((session) => session.current)).toEqual([true]);
    expect((await laptop.get('/api/v1/status')).status).toBe(401);
    const stale = testApp.browser();
    stale.cookie = oldCookie;
    expect((await stale.get('/api/v1/status')).status).toBe(401);

    expect((await testApp.browser().post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(401);
    expect((await testApp.browser().post('/api/v1/auth/sign-in', { email: owner.email, password: newPassword })).status).toBe(200);

    const userId = await userIdOf(owner.email);
    const events = await testApp.harness.database.ownerDb
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('actor_user_id', '=', userId)
      .where('action', 'in', ['auth.password.changed', 'session.revoked'])
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'session.revoked', details: { reason: 'password_changed', sessions: 1 } },
      { action: 'auth.password.changed', details: { otherSessionsRevoked: 1 } },
    ]);
  });

  it('refuses a wrong current password (422 on currentPassword), counts it like a failed sign-in, and changes nothing', async () => {
    const owner = await signUpOwner(testApp, 'forgetful@example.org');
    const refused = await owner.browser.post<{ error: { code: string; message: string; details: { issues: { path: string; problem: string }[] } } }>(
      '/api/v1/account/password',
      { currentPassword: 'not my password at all', newPassword },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ path: 'currentPassword', problem: 'incorrect' })]);
    expect(JSON.stringify(refused.body)).not.toContain('not my password');
    expect(JSON.stringify(refused.body)).not.toContain(newPassword);
    expect((await owner.browser.get('/api/v1/status')).status).toBe(200);
    expect((await testApp.browser().post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(200);
    const failed = await testApp.harness.database.ownerDb
      .selectFrom('audit_event')
      .select('details')
      .where('actor_user_id', '=', await userIdOf(owner.email))
      .where('action', '=', 'auth.sign_in.failed')
      .execute();
    expect(failed).toEqual([{ details: { stage: 'password_change', reason: 'wrong_password' } }]);
  });

  it('locks out guessing through a signed-in session, like sign-in does', async () => {
    const owner = await signUpOwner(testApp, 'guesser@example.org');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await owner.browser.post('/api/v1/account/password', { currentPassword: `guess number ${String(attempt)}`, newPassword })).status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422]);
    // Locked now, even for the right password.
    const locked = await owner.browser.post('/api/v1/account/password', { currentPassword: testPassword, newPassword });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a weak or common new password with 422 naming the problem, without echoing it', async () => {
    const owner = await signUpOwner(testApp, 'weak@example.org');
    for (const [weak, problem] of [
      ['Tiny7!', 'too_short'],
      ['qwerty123456', 'common'],
      ['weak@example.org and more words', 'contains_email'],
    ] as const) {
      const refused = await owner.browser.post<{ error: { message: string; details: { issues: { path: string; problem: string }[] } } }>('/api/v1/account/password', {
        currentPassword: testPassword,
        newPassword: weak,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.issues).toContainEqual(expect.objectContaining({ path: 'newPassword', problem }));
      expect(JSON.stringify(refused.body)).not.toContain(weak);
    }
    const same = await owner.browser.post<{ error: { details: { issues: { problem: string }[] } } }>('/api/v1/account/password', { currentPassword: testPassword, newPassword: testPassword });
    expect(same.status).toBe(422);
    expect(same.body.error.details.issues).toEqual([expect.objectContaining({ problem: 'unchanged' })]);
    expect((await testApp.browser().post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(200);
  });

  it('needs a complete session and the CSRF token', async () => {
    const owner = await signUpOwner(testApp, 'csrf-change@example.org');
    const forged = await owner.browser.post('/api/v1/account/password', { currentPassword: testPassword, newPassword }, { csrf: false });
    expect(forged.status).toBe(403);
    const halfway = testApp.browser();
    await halfway.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    expect((await halfway.post('/api/v1/account/password', { currentPassword: testPassword, newPassword })).status).toBe(401);
    expect((await testApp.browser().post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword })).status).toBe(200);
  });
});
