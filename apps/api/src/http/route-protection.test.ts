import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchApiDocument, type DocumentedRoute } from '../test-support/documented-routes.js';
import { signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type TestBrowser } from '../test-support/identity-test-app.js';

/** Routes anyone may call: probes, the API description, and the steps before a session exists. */
const publicRoutes = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/invitations/inspect',
  'POST /api/v1/invitations/accept',
]);

/** Routes a session that has passed only the password step may use. */
const passwordStageRoutes = new Set([
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/sign-out',
  'POST /api/v1/auth/totp/enrolment',
  'POST /api/v1/auth/totp/enrolment/confirm',
  'POST /api/v1/auth/mfa/verify',
  'POST /api/v1/auth/mfa/recover',
  'GET /api/v1/auth/mfa/factors',
  'POST /api/v1/auth/passkey/options',
  'POST /api/v1/auth/passkey/verify',
]);

/** A concrete URL for a documented path: any well-formed id will do, since the request must be refused first. */
function concretePath(path: string): string {
  return path.replaceAll(/\{[^}]+\}/g, '3f1c9a52-7d4e-4b8a-9c61-2e5f0a7b8d93');
}

describe('every documented route needs the session it declares', () => {
  let testApp: IdentityTestApp;
  let routes: readonly DocumentedRoute[];
  let passwordStage: TestBrowser;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    routes = (await fetchApiDocument(testApp.server.url)).routes;
    const owner = await signUpOwner(testApp, 'protected@example.org');
    passwordStage = testApp.browser();
    const signedIn = await passwordStage.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    expect(signedIn.body).toMatchObject({ stage: 'password' });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('documents public routes as needing nothing, and every other one as needing the session cookie', () => {
    expect(routes.length).toBeGreaterThan(publicRoutes.size + passwordStageRoutes.size);
    for (const { method, path, operation } of routes) {
      const key = `${method} ${path}`;
      if (publicRoutes.has(key)) {
        expect(operation.security ?? [], key).toEqual([]);
        continue;
      }
      expect(operation.security?.some((requirement) => 'sessionCookie' in requirement), key).toBe(true);
      // The cookie always with the CSRF header on state changes; an API token (Authorization
      // header, no cookie) needs none, and only organisation routes accept one.
      const cookieRequirements = operation.security?.filter((requirement) => 'sessionCookie' in requirement) ?? [];
      if (method !== 'GET') expect(cookieRequirements.every((requirement) => 'csrfToken' in requirement), key).toBe(true);
      if (operation.security?.some((requirement) => 'apiToken' in requirement)) expect(path, key).toMatch(/^\/api\/v1\/organisations\/\{orgId\}\//);
      expect(operation['x-session-stage'], key).toBe(passwordStageRoutes.has(key) ? 'password' : 'mfa_complete');
    }
  });

  it('answers 401 without a session, on every route that is not public', async () => {
    const guarded = routes.filter(({ method, path }) => !publicRoutes.has(`${method} ${path}`));
    for (const { method, path } of guarded) {
      const response = await fetch(`${testApp.server.url}${concretePath(path)}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 401 to an unknown API token, on every route that is not public', async () => {
    const guarded = routes.filter(({ method, path }) => !publicRoutes.has(`${method} ${path}`));
    for (const { method, path } of guarded) {
      const response = await fetch(`${testApp.server.url}${concretePath(path)}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer kdl_t_${'x'.repeat(43)}` },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it('answers 401 naming the next step to a password-stage session, on every route past the second factor', async () => {
    const guarded = routes.filter(({ method, path }) => !publicRoutes.has(`${method} ${path}`) && !passwordStageRoutes.has(`${method} ${path}`));
    expect(guarded.map(({ method, path }) => `${method} ${path}`)).toContain('GET /api/v1/status');
    for (const { method, path } of guarded) {
      const response = await passwordStage.request<{ error: { code: string; details?: { next?: string } } }>(method, concretePath(path), {
        ...(method === 'GET' ? {} : { json: {} }),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.error.details?.next).toBe('verify_mfa');
    }
  });
});
