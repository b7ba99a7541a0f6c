import { describe, expect, it } from 'vitest';
import { auditQuery, parseAuditPage, parseCreatedApiToken, parseCreatedInvitation, parseMembers } from './organisation-admin-api';

const member = { userId: 'u1', email: 'a@example.org', role: 'admin', status: 'active', mfaEnrolled: true, joinedAt: '2026-01-01T00:00:00.000Z' };

describe('parsers', () => {
  it('accept the documented member shape and name a wrong field', () => {
    expect(parseMembers([member])).toEqual([member]);
    expect(() => parseMembers([{ ...member, status: 'gone' }])).toThrow('members[0].status');
  });

  it('read the invitation link only when the server gives one', () => {
    expect(parseCreatedInvitation({ id: 'i', expiresAt: 'x' }).link).toBeNull();
    expect(parseCreatedInvitation({ id: 'i', expiresAt: 'x', link: 'https://k.example.org/enrol#token=abc' }).link).toBe('https://k.example.org/enrol#token=abc');
  });

  it('keep the one-time token secret of a created API token', () => {
    const created = { id: 't', name: 'CRM', role: 'viewer', createdBy: null, createdAt: 'c', expiresAt: null, lastUsedAt: null, token: 'kdl_secret' };
    expect(parseCreatedApiToken(created)).toEqual(created);
    expect(() => parseCreatedApiToken({ ...created, token: undefined })).toThrow('apiToken.token');
  });

  it('read an audit page and its cursor', () => {
    const body = {
      events: [{ seq: 7, occurredAt: 'o', action: 'user.invited', actorUserId: null, actorTokenId: null, targetType: 'user', targetId: 'u', clientAddress: null, userAgent: null, details: { role: 'viewer' } }],
      nextCursor: '7',
    };
    expect(parseAuditPage(body)).toMatchObject({ nextCursor: '7', events: [{ seq: 7, details: { role: 'viewer' } }] });
    expect(() => parseAuditPage({ events: [], nextCursor: 7 })).toThrow('auditPage.nextCursor');
  });
});

describe('auditQuery', () => {
  it('sends only the filters that are set, and the cursor', () => {
    expect(auditQuery({}, null)).toBe('');
    expect(auditQuery({ action: 'user.removed', from: '2026-01-01T00:00:00.000Z' }, '42')).toBe(
      '?action=user.removed&from=2026-01-01T00%3A00%3A00.000Z&cursor=42',
    );
  });
});
