import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenOfLink } from '@kindling/identity/testing';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner, type TestBrowser } from '../test-support/identity-test-app.js';

interface Member {
  userId: string;
  email: string;
  role: string;
  status: string;
  mfaEnrolled: boolean;
  joinedAt: string;
}

interface Invitation {
  id: string;
  email: string | null;
  role: string;
}

describe('organisation member routes', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;
  let other: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'members.owner@example.org');
    other = await signUpOwner(testApp, 'other.org.owner@example.org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const membersOf = (orgId: string): string => `/api/v1/organisations/${orgId}/members`;
  const invitationsOf = (orgId: string): string => `/api/v1/organisations/${orgId}/invitations`;

  async function invite(by: TestBrowser, orgId: string, email: string, role: string): Promise<{ id: string; link: string }> {
    const created = await by.post<{ id: string; link?: string }>(invitationsOf(orgId), { email, role });
    expect(created.status).toBe(201);
    return { id: created.body.id, link: created.body.link ?? '' };
  }

  /** Invites `email` into the owner's organisation with `role`, accepts and completes MFA. */
  async function join(email: string, role: string, orgOwner: SignedUpOwner = owner): Promise<{ browser: TestBrowser; userId: string }> {
    const { link } = await invite(orgOwner.browser, orgOwner.organisationId, email, role);
    const browser = testApp.browser();
    expect((await browser.post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: testPassword })).status).toBe(200);
    const enrolment = await browser.post<{ secret: string }>('/api/v1/auth/totp/enrolment');
    expect((await browser.post('/api/v1/auth/totp/enrolment/confirm', { code: await nextTotpCode(testApp, enrolment.body.secret) })).status).toBe(200);
    const members = await orgOwner.browser.get<Member[]>(membersOf(orgOwner.organisationId));
    const userId = members.body.find((member) => member.email === email)?.userId ?? '';
    return { browser, userId };
  }

  async function auditActionsFor(orgId: string, targetId: string): Promise<string[]> {
    const rows = await testApp.harness.database.ownerDb
      .selectFrom('audit_event')
      .select('action')
      .where('org_id', '=', orgId)
      .where('target_id', '=', targetId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => row.action);
  }

  it('lists members with role, status, MFA and joining time for owners and admins only', async () => {
    const admin = await join('members.admin@example.org', 'admin');
    const analyst = await join('members.analyst@example.org', 'analyst');
    const listed = await owner.browser.get<Member[]>(membersOf(owner.organisationId));
    expect(listed.status).toBe(200);
    expect(listed.body.map((member) => [member.email, member.role])).toEqual([
      ['members.owner@example.org', 'owner'],
      ['members.admin@example.org', 'admin'],
      ['members.analyst@example.org', 'analyst'],
    ]);
    expect(listed.body[0]).toMatchObject({ status: 'active', mfaEnrolled: true });
    expect(Number.isNaN(Date.parse(listed.body[0]?.joinedAt ?? ''))).toBe(false);
    expect((await admin.browser.get(membersOf(owner.organisationId))).status).toBe(200);
    expect((await analyst.browser.get(membersOf(owner.organisationId))).status).toBe(403);
    // Not a member of the organisation: it does not exist, as far as they can tell.
    expect((await other.browser.get(membersOf(owner.organisationId))).status).toBe(404);
  });

  it('changes roles under the owner rules, ends the member’s sessions and audits the change', async () => {
    const admin = await join('roles.admin@example.org', 'admin');
    const analyst = await join('roles.analyst@example.org', 'analyst');
    const patch = (by: TestBrowser, userId: string, role: string) => by.request('PATCH', `${membersOf(owner.organisationId)}/${userId}`, { json: { role } });

    expect((await patch(admin.browser, admin.userId, 'owner')).status).toBe(403);
    const ownerId = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body.find((member) => member.role === 'owner')?.userId ?? '';
    expect((await patch(admin.browser, ownerId, 'admin')).status).toBe(403);
    const lastOwner = await patch(owner.browser, ownerId, 'admin');
    expect(lastOwner.status).toBe(409);

    const changed = await patch(admin.browser, analyst.userId, 'viewer');
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ userId: analyst.userId, role: 'viewer' });
    expect((await analyst.browser.get('/api/v1/auth/session')).status).toBe(401);
    expect(await auditActionsFor(owner.organisationId, analyst.userId)).toContain('user.role_changed');

    expect((await patch(owner.browser, analyst.userId, 'boss')).status).toBe(422);
  });

  it('removes members (not the last owner), ends their sessions and audits it', async () => {
    const viewer = await join('remove.viewer@example.org', 'viewer');
    const admin = await join('remove.admin@example.org', 'admin');
    const remove = (by: TestBrowser, userId: string) => by.request('DELETE', `${membersOf(owner.organisationId)}/${userId}`);
    const ownerId = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body.find((member) => member.role === 'owner')?.userId ?? '';

    expect((await remove(admin.browser, ownerId)).status).toBe(403);
    expect((await remove(owner.browser, ownerId)).status).toBe(409);
    expect((await remove(admin.browser, viewer.userId)).status).toBe(204);
    expect((await viewer.browser.get('/api/v1/auth/session')).status).toBe(401);
    const members = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body;
    expect(members.some((member) => member.userId === viewer.userId)).toBe(false);
    expect(await auditActionsFor(owner.organisationId, viewer.userId)).toContain('user.removed');
    expect((await remove(owner.browser, viewer.userId)).status).toBe(404);
  });

  it('resets a member’s two-step verification so they enrol again, under the owner rules, never through a token', async () => {
    const analyst = await join('reset.analyst@example.org', 'analyst');
    const admin = await join('reset.admin@example.org', 'admin');
    const reset = (by: TestBrowser, userId: string) => by.post(`${membersOf(owner.organisationId)}/${userId}/mfa-reset`);
    const ownerId = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body.find((member) => member.role === 'owner')?.userId ?? '';

    expect((await reset(analyst.browser, admin.userId)).status).toBe(403);
    expect((await reset(admin.browser, ownerId)).status).toBe(403);
    expect((await reset(admin.browser, admin.userId)).body).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'self' } } });

    expect((await reset(admin.browser, analyst.userId)).status).toBe(204);
    expect((await analyst.browser.get('/api/v1/auth/session')).status).toBe(401);
    const members = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body;
    expect(members.find((member) => member.userId === analyst.userId)).toMatchObject({ mfaEnrolled: false });
    expect(await auditActionsFor(owner.organisationId, analyst.userId)).toContain('auth.mfa.reset');
    // Their password still works, and leads to enrolling a new authenticator.
    const again = testApp.browser();
    expect((await again.post('/api/v1/auth/sign-in', { email: 'reset.analyst@example.org', password: testPassword })).body).toMatchObject({ next: 'enrol_totp' });

    // A token, even an admin one, may not do it.
    const token = await owner.browser.post<{ token: string }>(`/api/v1/organisations/${owner.organisationId}/api-tokens`, { name: 'reset', role: 'admin', expiresInDays: 1 });
    const machine = testApp.browser({ headers: { authorization: `Bearer ${token.body.token}` } });
    expect((await machine.post(`${membersOf(owner.organisationId)}/${admin.userId}/mfa-reset`)).status).toBe(401);
  });

  it('refuses to reset the second factor of someone who also belongs to another organisation', async () => {
    const shared = await join('shared.person@example.org', 'viewer');
    const { link } = await invite(other.browser, other.organisationId, 'shared.person@example.org', 'viewer');
    expect((await shared.browser.post('/api/v1/invitations/accept', { token: tokenOfLink(link), password: testPassword })).status).toBe(200);
    const refused = await owner.browser.post(`${membersOf(owner.organisationId)}/${shared.userId}/mfa-reset`);
    expect(refused.body).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'member_of_other_organisations' } } });
    const members = (await owner.browser.get<Member[]>(membersOf(owner.organisationId))).body;
    expect(members.find((member) => member.userId === shared.userId)).toMatchObject({ mfaEnrolled: true });
  });

  it('keeps another organisation’s members and invitations out of reach (404, nothing changes)', async () => {
    const foreign = await join('foreign.analyst@example.org', 'analyst', other);
    const foreignInvitation = await invite(other.browser, other.organisationId, 'foreign.invitee@example.org', 'viewer');
    const before = await other.browser.get<Member[]>(membersOf(other.organisationId));

    // Org B's ids in org A's path, and org B's path from a member of A only.
    expect((await owner.browser.request('PATCH', `${membersOf(owner.organisationId)}/${foreign.userId}`, { json: { role: 'viewer' } })).status).toBe(404);
    expect((await owner.browser.request('DELETE', `${membersOf(owner.organisationId)}/${foreign.userId}`)).status).toBe(404);
    expect((await owner.browser.request('PATCH', `${membersOf(other.organisationId)}/${foreign.userId}`, { json: { role: 'viewer' } })).status).toBe(404);
    expect((await owner.browser.request('DELETE', `${membersOf(other.organisationId)}/${foreign.userId}`)).status).toBe(404);
    expect((await owner.browser.request('DELETE', `${invitationsOf(owner.organisationId)}/${foreignInvitation.id}`)).status).toBe(404);
    expect((await owner.browser.request('DELETE', `${invitationsOf(other.organisationId)}/${foreignInvitation.id}`)).status).toBe(404);
    expect((await owner.browser.get(invitationsOf(other.organisationId))).status).toBe(404);

    expect((await other.browser.get<Member[]>(membersOf(other.organisationId))).body).toEqual(before.body);
    expect((await foreign.browser.get('/api/v1/auth/session')).status).toBe(200);
    const pending = await other.browser.get<Invitation[]>(invitationsOf(other.organisationId));
    expect(pending.body.map((invitation) => invitation.id)).toContain(foreignInvitation.id);
  });

  it('lists pending invitations and withdraws one, after which its link is dead', async () => {
    const created = await invite(owner.browser, owner.organisationId, 'pending.person@example.org', 'analyst');
    const pending = await owner.browser.get<Invitation[]>(invitationsOf(owner.organisationId));
    expect(pending.status).toBe(200);
    expect(pending.body.find((invitation) => invitation.id === created.id)).toMatchObject({ email: 'pending.person@example.org', role: 'analyst' });

    const withdrawn = await owner.browser.request('DELETE', `${invitationsOf(owner.organisationId)}/${created.id}`);
    expect(withdrawn.status).toBe(204);
    expect((await owner.browser.get<Invitation[]>(invitationsOf(owner.organisationId))).body.some((invitation) => invitation.id === created.id)).toBe(false);
    expect((await testApp.browser().post('/api/v1/invitations/inspect', { token: tokenOfLink(created.link) })).status).toBe(404);
    expect((await owner.browser.request('DELETE', `${invitationsOf(owner.organisationId)}/${created.id}`)).status).toBe(404);
    expect(await auditActionsFor(owner.organisationId, created.id)).toEqual(['invitation.revoked']);
  });
});
