import { createRoute, z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenOfLink } from '@kindling/identity/testing';
import { authErrorResponses, commonErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner } from '../test-support/identity-test-app.js';
import { authOf } from './session-auth.js';

const auditPath = '/api/v1/test/audit-log';

describe('requireAuth with a permission', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    // A stand-in for a future route that needs `audit.read` (owners and admins).
    testApp.app.openapi(
      createRoute({
        method: 'get',
        path: auditPath,
        ...sessionRequired({ stateChanging: false, permission: 'audit.read' }),
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: z.object({ orgId: z.string(), role: z.string() }) } } },
          ...authErrorResponses,
          ...commonErrorResponses,
        },
      }),
      (c) => {
        const auth = authOf(c);
        return c.json({ orgId: auth.orgId ?? '', role: auth.role ?? '' }, 200);
      },
    );
    owner = await signUpOwner(testApp, 'permission.owner@example.org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lets a role with the permission in the current organisation through', async () => {
    const response = await owner.browser.get(auditPath);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ orgId: owner.organisationId, role: 'owner' });
  });

  it('refuses a role without it, and a session with no organisation chosen', async () => {
    const created = await owner.browser.post<{ link: string }>(`/api/v1/organisations/${owner.organisationId}/invitations`, {
      email: 'permission.viewer@example.org',
      role: 'viewer',
    });
    const viewer = testApp.browser();
    await viewer.post('/api/v1/invitations/accept', { token: tokenOfLink(created.body.link), password: testPassword });
    const enrolment = await viewer.post<{ secret: string }>('/api/v1/auth/totp/enrolment');
    await viewer.post('/api/v1/auth/totp/enrolment/confirm', { code: await nextTotpCode(testApp, enrolment.body.secret) });
    const refused = await viewer.get<{ error: { code: string } }>(auditPath);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    // A second organisation: with two, none is chosen automatically after sign-in.
    const other = await signUpOwner(testApp, 'permission.other@example.org');
    const link = (await other.browser.post<{ link: string }>(`/api/v1/organisations/${other.organisationId}/invitations`, { email: owner.email, role: 'admin' })).body.link;
    await testApp.browser().post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: testPassword });
    const fresh = testApp.browser();
    await fresh.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    await fresh.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });
    const unchosen = await fresh.get<{ error: { details?: { reason?: string } } }>(auditPath);
    expect(unchosen.status).toBe(403);
    expect(unchosen.body.error.details?.reason).toBe('no_organisation');
    await fresh.post('/api/v1/auth/organisation', { organisationId: other.organisationId });
    expect((await fresh.get(auditPath)).body).toEqual({ orgId: other.organisationId, role: 'admin' });
  });
});
