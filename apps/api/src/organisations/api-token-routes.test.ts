import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpOwner, startIdentityTestApp, type IdentityTestApp, type SignedUpOwner } from '../test-support/identity-test-app.js';

interface CreatedToken {
  id: string;
  name: string;
  role: string;
  token: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

describe('API token routes and bearer authentication', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;
  let other: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'tokens.owner@example.org');
    other = await signUpOwner(testApp, 'tokens.other@example.org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const tokensOf = (orgId: string): string => `/api/v1/organisations/${orgId}/api-tokens`;
  const membersOf = (orgId: string): string => `/api/v1/organisations/${orgId}/members`;

  async function create(by: SignedUpOwner, role: string, expiresInDays = 30): Promise<CreatedToken> {
    const created = await by.browser.post<CreatedToken>(tokensOf(by.organisationId), { name: `${role} robot`, role, expiresInDays });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function callWith(token: string, method: string, path: string, json?: unknown): Promise<number> {
    const response = await fetch(`${testApp.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    await response.text();
    return response.status;
  }

  it('creates a token shown once, lists it without the secret, and stores only its hash', async () => {
    const created = await create(owner, 'analyst');
    expect(created.token).toMatch(/^kdl_t_[A-Za-z0-9_-]{43}$/);
    const listed = await owner.browser.get<Record<string, unknown>[]>(tokensOf(owner.organisationId));
    expect(listed.status).toBe(200);
    expect(listed.body.find((token) => token['id'] === created.id)).toMatchObject({ name: 'analyst robot', role: 'analyst' });
    expect(JSON.stringify(listed.body)).not.toContain(created.token);
    const stored = await testApp.harness.database.ownerDb.selectFrom('api_token').select('token_hash').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.token_hash.toString('hex')).not.toContain(Buffer.from(created.token).toString('hex'));
    const audit = await testApp.harness.database.ownerDb.selectFrom('audit_event').select('action').where('target_id', '=', created.id).execute();
    expect(audit.map((row) => row.action)).toEqual(['token.created']);
  });

  it('refuses owner tokens and out-of-range lifetimes', async () => {
    const post = (body: unknown) => owner.browser.post(tokensOf(owner.organisationId), body);
    expect((await post({ name: 'x', role: 'owner', expiresInDays: 30 })).status).toBe(422);
    expect((await post({ name: 'x', role: 'viewer', expiresInDays: 0 })).status).toBe(422);
    expect((await post({ name: 'x', role: 'viewer', expiresInDays: 366 })).status).toBe(422);
  });

  it('authenticates bearer tokens by their role: a viewer cannot manage users, an admin can', async () => {
    const viewer = await create(owner, 'viewer');
    const admin = await create(owner, 'admin');
    expect(await callWith(viewer.token, 'GET', membersOf(owner.organisationId))).toBe(403);
    expect(await callWith(admin.token, 'GET', membersOf(owner.organisationId))).toBe(200);
    const used = await owner.browser.get<CreatedToken[]>(tokensOf(owner.organisationId));
    expect(used.body.find((token) => token.id === admin.id)?.lastUsedAt).not.toBeNull();
    // No CSRF for tokens: a state change with the bearer header alone reaches the route.
    expect(await callWith(admin.token, 'DELETE', `${membersOf(owner.organisationId)}/00000000-0000-4000-8000-000000000000`)).toBe(404);
  });

  it('keeps tokens away from identity, account and token routes', async () => {
    const admin = await create(owner, 'admin');
    expect(await callWith(admin.token, 'GET', '/api/v1/account/sessions')).toBe(401);
    expect(await callWith(admin.token, 'GET', '/api/v1/auth/session')).toBe(401);
    expect(await callWith(admin.token, 'GET', tokensOf(owner.organisationId))).toBe(401);
    expect(await callWith(admin.token, 'POST', tokensOf(owner.organisationId), { name: 'x', role: 'viewer', expiresInDays: 1 })).toBe(401);
    expect(await callWith(admin.token, 'POST', `/api/v1/organisations/${owner.organisationId}/invitations`, { email: 'x@example.org', role: 'viewer' })).toBe(401);
  });

  it("gives a token of one organisation 404 on another organisation's routes", async () => {
    const foreign = await create(other, 'admin');
    expect(await callWith(foreign.token, 'GET', membersOf(owner.organisationId))).toBe(404);
    expect(await callWith(foreign.token, 'GET', `/api/v1/organisations/${owner.organisationId}/invitations`)).toBe(404);
    expect((await owner.browser.request('DELETE', `${tokensOf(owner.organisationId)}/${foreign.id}`)).status).toBe(404);
    expect(await callWith(foreign.token, 'GET', membersOf(other.organisationId))).toBe(200);
  });
  // Last: it moves the clock past every session's lifetime.
  it('rejects revoked, expired and unknown tokens with 401', async () => {
    const revoked = await create(owner, 'admin');
    expect((await owner.browser.request('DELETE', `${tokensOf(owner.organisationId)}/${revoked.id}`)).status).toBe(204);
    expect(await callWith(revoked.token, 'GET', membersOf(owner.organisationId))).toBe(401);
    expect((await owner.browser.request('DELETE', `${tokensOf(owner.organisationId)}/${revoked.id}`)).status).toBe(404);
    const audit = await testApp.harness.database.ownerDb.selectFrom('audit_event').select('action').where('target_id', '=', revoked.id).orderBy('seq').execute();
    expect(audit.map((row) => row.action)).toEqual(['token.created', 'token.revoked']);

    const expiring = await create(owner, 'admin', 1);
    expect(await callWith(expiring.token, 'GET', membersOf(owner.organisationId))).toBe(200);
    testApp.harness.clock.advance(24 * 3_600_000 + 1_000);
    expect(await callWith(expiring.token, 'GET', membersOf(owner.organisationId))).toBe(401);
    expect(await callWith(`kdl_t_${'A'.repeat(43)}`, 'GET', membersOf(owner.organisationId))).toBe(401);
    expect(await callWith('nonsense', 'GET', membersOf(owner.organisationId))).toBe(401);
  });

});
