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
