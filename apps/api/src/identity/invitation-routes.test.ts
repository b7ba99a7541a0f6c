import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenOfLink } from '@kindling/identity/testing';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner, type TestBrowser } from '../test-support/identity-test-app.js';

interface Created {
  id: string;
  expiresAt: string;
  link?: string;
}

describe('invitation routes', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'inviting.owner@example.org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const invitationsOf = (orgId: string): string => `/api/v1/organisations/${orgId}/invitations`;

  /** Accepts a link as a new person and completes their second factor; returns their browser. */
  async function join(link: string): Promise<TestBrowser> {
    const browser = testApp.browser();
    expect((await browser.post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: testPassword })).status).toBe(200);
    const enrolment = await browser.post<{ secret: string }>('/api/v1/auth/totp/enrolment');
    expect((await browser.post('/api/v1/auth/totp/enrolment/confirm', { code: await nextTotpCode(testApp, enrolment.body.secret) })).status).toBe(200);
    return browser;
  }

  it('lets an owner invite; with no mailer, the link comes back for the owner to pass on', async () => {
    const created = await owner.browser.post<Created>(invitationsOf(owner.organisationId), { email: 'new.admin@example.org', role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body.link).toMatch(/^http:\/\/localhost:8080\/enrol#token=kdl_i_/);
    expect(new Date(created.body.expiresAt).getTime()).toBeGreaterThan(testApp.harness.clock.now().getTime() + 6 * 24 * 3_600_000);
    const mail = testApp.harness.mail.find((line) => line.fields['invitationId'] === created.body.id);
    expect(mail?.message).toBe('invitation link');
    expect(JSON.stringify(testApp.harness.mail)).not.toContain('new.admin');
  });

  it('lets an admin invite analysts but not owners, and refuses analysts and outsiders', async () => {
    const adminLink = (await owner.browser.post<Created>(invitationsOf(owner.organisationId), { email: 'admin2@example.org', role: 'admin' })).body.link ?? '';
    const admin = await join(adminLink);
    expect((await admin.post(invitationsOf(owner.organisationId), { email: 'analyst@example.org', role: 'analyst' })).status).toBe(201);
    const ownerAttempt = await admin.post<{ error: { code: string } }>(invitationsOf(owner.organisationId), { email: 'owner2@example.org', role: 'owner' });
    expect(ownerAttempt.status).toBe(403);

    const analystLink = (await owner.browser.post<Created>(invitationsOf(owner.organisationId), { email: 'analyst2@example.org', role: 'analyst' })).body.link ?? '';
    const analyst = await join(analystLink);
    expect((await analyst.post(invitationsOf(owner.organisationId), { email: 'friend@example.org', role: 'viewer' })).status).toBe(403);

    const outsider = await signUpOwner(testApp, 'outsider@example.org');
    expect((await outsider.browser.post(invitationsOf(owner.organisationId), { email: 'x@example.org', role: 'viewer' })).status).toBe(404);
  });

  it('refuses to invite a member again', async () => {
    const response = await owner.browser.post(invitationsOf(owner.organisationId), { email: owner.email, role: 'viewer' });
    expect(response.status).toBe(409);
  });

  it('validates the request without echoing the address', async () => {
    const response = await owner.browser.post<{ error: { code: string } }>(invitationsOf(owner.organisationId), { email: 'not-an-address', role: 'boss' });
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body)).not.toContain('not-an-address');
  });

  it('joins an existing account to another organisation with its own password', async () => {
    const other = await signUpOwner(testApp, 'second.org.owner@example.org');
    const link = (await other.browser.post<Created>(invitationsOf(other.organisationId), { email: owner.email, role: 'viewer' })).body.link ?? '';
    const browser = testApp.browser();
    expect((await browser.post('/api/v1/invitations/inspect', { token: tokenOfLink(link) })).body).toMatchObject({ account: 'existing', role: 'viewer' });
    expect((await browser.post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: 'a guessed password here' })).status).toBe(401);
    const accepted = await browser.post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: testPassword });
    expect(accepted.body).toMatchObject({ next: 'verify_mfa', organisationId: other.organisationId });
    await browser.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });
    const session = await browser.get<{ organisations: { id: string; role: string }[]; currentOrganisationId: string }>('/api/v1/auth/session');
    expect(session.body.organisations.map((organisation) => organisation.role).sort()).toEqual(['owner', 'viewer']);
    expect(session.body.currentOrganisationId).toBe(other.organisationId);

    const switched = await browser.post('/api/v1/auth/organisation', { organisationId: owner.organisationId });
    expect(switched.body).toEqual({ currentOrganisationId: owner.organisationId, role: 'owner' });
    const stranger = await signUpOwner(testApp, 'stranger@example.org');
    expect((await browser.post('/api/v1/auth/organisation', { organisationId: stranger.organisationId })).status).toBe(404);
  });
});
