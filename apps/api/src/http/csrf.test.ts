import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner } from '../test-support/identity-test-app.js';
import { csrfTokenFor } from './csrf.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

describe('CSRF protection', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'csrf@example.org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const selectOrganisation = (headers: Record<string, string> = {}, csrf = true) =>
    owner.browser.post<ErrorBody>('/api/v1/auth/organisation', { organisationId: owner.organisationId }, { headers, csrf });

  it('accepts a state change carrying the session’s token', async () => {
    expect((await selectOrganisation()).status).toBe(200);
    expect((await selectOrganisation({ 'Sec-Fetch-Site': 'same-origin', Origin: new URL(testApp.server.url).origin })).status).toBe(200);
  });

  it('refuses a state change without the X-CSRF-Token header', async () => {
    const response = await selectOrganisation({}, false);
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'csrf_token' } });
    expect(response.body.error.message).toContain('X-CSRF-Token');
  });

  it('refuses a wrong token, including the token of another session', async () => {
    expect((await selectOrganisation({ 'X-CSRF-Token': 'not-the-token' })).status).toBe(403);
    const otherSessionsToken = csrfTokenFor(testApp.deps.sessionSecret, '00000000-0000-4000-8000-000000000000');
    expect((await selectOrganisation({ 'X-CSRF-Token': otherSessionsToken })).status).toBe(403);
  });

  it('requires the token for DELETE and for sign-out too', async () => {
    const sessions = await owner.browser.get<{ id: string; current: boolean }[]>('/api/v1/account/sessions');
    const current = sessions.body.find((session) => session.current)?.id ?? '';
    expect((await owner.browser.request('DELETE', `/api/v1/account/sessions/${current}`, { csrf: false })).status).toBe(403);
    expect((await owner.browser.post('/api/v1/auth/sign-out', undefined, { csrf: false })).status).toBe(403);
    expect((await owner.browser.get('/api/v1/status')).status).toBe(200);
  });

  it('refuses a request the browser marks cross-site, even with the right token', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const response = await selectOrganisation({ 'Sec-Fetch-Site': site });
      expect(response.status, site).toBe(403);
      expect(response.body.error.details?.reason).toBe('cross_site');
    }
  });

  it('refuses a foreign Origin, even with the right token', async () => {
    const response = await selectOrganisation({ Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(response.body.error.details?.reason).toBe('cross_origin');
    expect((await selectOrganisation({ Origin: 'null' })).status).toBe(403);
  });

  it('checks sign-in and invitation links for cross-site use, though they need no token', async () => {
    const browser = testApp.browser();
    const signIn = (headers: Record<string, string>) => browser.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword }, { headers });
    expect((await signIn({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await signIn({ Origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.post('/api/v1/invitations/inspect', { token: 'kdl_i_x' }, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await signIn({ Origin: testApp.deps.publicUrl, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('gives each session its own token: the one sign-in returned', async () => {
    const fresh = testApp.browser();
    const signedIn = await fresh.post<{ csrfToken: string }>('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    const session = await fresh.get<{ csrfToken: string }>('/api/v1/auth/session');
    expect(session.body.csrfToken).toBe(signedIn.body.csrfToken);
    expect(session.body.csrfToken).not.toBe(owner.browser.csrfToken);
  });
});
