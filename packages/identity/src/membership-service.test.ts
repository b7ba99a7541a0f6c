import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isAppError } from '@kindling/errors';
import { createIdentityTestHarness, enrolOwner, tokenOfLink, type EnrolledUser, type IdentityTestHarness } from './testing/index.js';

const meta = { clientAddress: '192.0.2.40', userAgent: 'kindling-test' };

async function failure(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('memberships, API tokens and the audit log', () => {
  let harness: IdentityTestHarness;
  let owner: EnrolledUser;
  let other: EnrolledUser;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await enrolOwner(harness, 'service.owner@example.org');
    other = await enrolOwner(harness, 'service.other@example.org');
  });
  afterAll(async () => {
    await harness.close();
  });

  async function join(email: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> {
    const created = await harness.identity.invitations.createInvitation(
      { orgId: owner.organisationId, email, role, invitedBy: { userId: owner.userId, role: 'owner' } },
      meta,
    );
    const accepted = await harness.identity.invitations.acceptInvitation({ token: tokenOfLink(created.link), password: 'a long and unguessable passphrase' }, meta);
    return accepted.userId;
  }

  it('keeps the last owner, lets only owners touch owners, and revokes sessions on a role change', async () => {
    const { memberships, sessions } = harness.identity;
    const adminId = await join('service.admin@example.org', 'admin');
    const ownerActor = { userId: owner.userId };
    expect(await failure(memberships.changeRole({ orgId: owner.organisationId, userId: owner.userId, role: 'admin' }, ownerActor, meta))).toBe('CONFLICT');
    expect(await failure(memberships.removeMember({ orgId: owner.organisationId, userId: owner.userId }, ownerActor, meta))).toBe('CONFLICT');
    expect(await failure(memberships.changeRole({ orgId: owner.organisationId, userId: adminId, role: 'owner' }, { userId: adminId }, meta))).toBe('FORBIDDEN');

    expect(await memberships.changeRole({ orgId: owner.organisationId, userId: adminId, role: 'owner' }, ownerActor, meta)).toBe('owner');
    // Two owners now: one may step down.
    const ownerSession = await sessions.authenticate(owner.sessionToken);
    expect(ownerSession).toBeDefined();
    expect(await memberships.changeRole({ orgId: owner.organisationId, userId: owner.userId, role: 'admin' }, ownerActor, meta)).toBe('admin');
    expect(await sessions.authenticate(owner.sessionToken)).toBeUndefined();
    await memberships.changeRole({ orgId: owner.organisationId, userId: owner.userId, role: 'owner' }, { userId: adminId }, meta);
  });

  it('refuses outsiders with NOT_FOUND', async () => {
    expect(await failure(harness.identity.memberships.listMembers(owner.organisationId, { userId: other.userId }))).toBe('NOT_FOUND');
    expect(await failure(harness.identity.auditLog.list(owner.organisationId, { userId: other.userId }, {}))).toBe('NOT_FOUND');
  });

  it('authenticates API tokens and writes last_used_at at most once a minute', async () => {
    const { apiTokens } = harness.identity;
    const created = await apiTokens.create({ orgId: owner.organisationId, name: 'robot', role: 'analyst', expiresInDays: 2 }, { userId: owner.userId }, meta);
    expect(await apiTokens.authenticate(created.token)).toEqual({ tokenId: created.id, orgId: owner.organisationId, role: 'analyst' });
    const lastUsed = async () =>
      (await harness.database.ownerDb.selectFrom('api_token').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow()).last_used_at?.getTime();
    const first = await lastUsed();
    harness.clock.advance(30_000);
    await apiTokens.authenticate(created.token);
    expect(await lastUsed()).toBe(first);
    harness.clock.advance(31_000);
    await apiTokens.authenticate(created.token);
    expect(await lastUsed()).toBeGreaterThan(first ?? 0);

    const tokenActor = { kind: 'token' as const, tokenId: created.id, orgId: owner.organisationId, role: 'analyst' as const };
    expect(await failure(harness.identity.memberships.listMembers(owner.organisationId, tokenActor))).toBe('FORBIDDEN');
    expect(await failure(harness.identity.memberships.listMembers(other.organisationId, tokenActor))).toBe('NOT_FOUND');
    expect(await failure(apiTokens.create({ orgId: owner.organisationId, name: 'x', role: 'owner' as 'admin', expiresInDays: 1 }, { userId: owner.userId }, meta))).toBe('FORBIDDEN');

    await apiTokens.revoke({ orgId: owner.organisationId, tokenId: created.id }, { userId: owner.userId }, meta);
    expect(await apiTokens.authenticate(created.token)).toBeUndefined();
    const page = await harness.identity.auditLog.list(owner.organisationId, { userId: owner.userId }, { action: 'token.revoked' });
    expect(page.events.map((event) => event.targetId)).toEqual([created.id]);
  });
});
