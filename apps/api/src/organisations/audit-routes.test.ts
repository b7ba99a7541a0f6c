import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpOwner, startIdentityTestApp, type IdentityTestApp, type SignedUpOwner } from '../test-support/identity-test-app.js';

interface AuditEvent {
  seq: number;
  occurredAt: string;
  action: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

interface AuditPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

describe('audit log route', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;
  let other: SignedUpOwner;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'audit.owner@example.org');
    other = await signUpOwner(testApp, 'audit.other@example.org');
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const created = await owner.browser.post(`/api/v1/organisations/${owner.organisationId}/api-tokens`, { name, role: 'viewer', expiresInDays: 5 });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await testApp.close();
  });

  const eventsOf = (orgId: string, query = ''): string => `/api/v1/organisations/${orgId}/audit-events${query}`;

  it('pages through the organisation’s events newest first by seq, with filters', async () => {
    const all = await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, '?limit=200'));
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    const seqs = all.body.events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.body.events.map((event) => event.action)).toEqual(expect.arrayContaining(['organisation.created', 'user.joined', 'token.created']));

    const first = await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, '?action=token.created&limit=2'));
    expect(first.body.events).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, `?action=token.created&limit=2&cursor=${first.body.nextCursor ?? ''}`));
    const third = await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, `?action=token.created&limit=2&cursor=${second.body.nextCursor ?? ''}`));
    const paged = [...first.body.events, ...second.body.events, ...third.body.events];
    expect(paged.map((event) => event.action)).toEqual(Array(5).fill('token.created'));
    expect(new Set(paged.map((event) => event.seq)).size).toBe(5);
    expect(third.body.nextCursor).toBeNull();

    const actor = paged[0]?.actorUserId ?? '';
    const byActor = await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, `?actorUserId=${actor}&action=token.created`));
    expect(byActor.body.events).toHaveLength(5);
    const future = new Date(testApp.harness.clock.now().getTime() + 3_600_000).toISOString();
    expect((await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, `?from=${encodeURIComponent(future)}`))).body.events).toEqual([]);
    expect((await owner.browser.get<AuditPage>(eventsOf(owner.organisationId, `?to=${encodeURIComponent(future)}&action=token.created`))).body.events).toHaveLength(5);
  });

  it('shows nothing of another organisation, and validates its query', async () => {
    expect((await other.browser.get(eventsOf(owner.organisationId))).status).toBe(404);
    const own = await other.browser.get<AuditPage>(eventsOf(other.organisationId));
    expect(own.body.events.some((event) => event.action === 'token.created')).toBe(false);
    expect((await owner.browser.get(eventsOf(owner.organisationId, '?limit=0'))).status).toBe(422);
    expect((await owner.browser.get(eventsOf(owner.organisationId, '?cursor=abc'))).status).toBe(422);
    expect((await owner.browser.get(eventsOf(owner.organisationId, '?from=yesterday'))).status).toBe(422);
  });

  it('is for owners and admins: an admin token reads it, a viewer token gets 403', async () => {
    const admin = await owner.browser.post<{ token: string }>(`/api/v1/organisations/${owner.organisationId}/api-tokens`, { name: 'reader', role: 'admin', expiresInDays: 1 });
    const viewer = await owner.browser.post<{ token: string }>(`/api/v1/organisations/${owner.organisationId}/api-tokens`, { name: 'peeker', role: 'viewer', expiresInDays: 1 });
    const read = (token: string) => fetch(`${testApp.server.url}${eventsOf(owner.organisationId)}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(admin.body.token)).status).toBe(200);
    expect((await read(viewer.body.token)).status).toBe(403);
  });
});
