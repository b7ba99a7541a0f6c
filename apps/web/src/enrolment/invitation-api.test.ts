import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client';
import { isUnusableInvitation, parseInvitation } from './invitation-api';

describe('parseInvitation', () => {
  it('reads the organisation, role, expiry and whether the account exists', () => {
    const body = { organisation: { id: 'o', name: 'Hope Trust' }, role: 'analyst', expiresAt: '2030-01-08T10:00:00Z', account: 'new' };
    expect(parseInvitation(body)).toEqual({ organisationName: 'Hope Trust', role: 'analyst', expiresAt: '2030-01-08T10:00:00Z', account: 'new' });
  });

  it('rejects an unknown account kind', () => {
    const body = { organisation: { id: 'o', name: 'Hope Trust' }, role: 'analyst', expiresAt: 'x', account: 'maybe' };
    expect(() => parseInvitation(body)).toThrow('invitation.account');
  });
});

describe('isUnusableInvitation', () => {
  it('is true for 404 and 410 only', () => {
    expect(isUnusableInvitation(new ApiError('http', 'gone', 404, 'NOT_FOUND'))).toBe(true);
    expect(isUnusableInvitation(new ApiError('http', 'gone', 410, 'GONE'))).toBe(true);
    expect(isUnusableInvitation(new ApiError('http', 'busy', 429, 'RATE_LIMITED'))).toBe(false);
    expect(isUnusableInvitation(new ApiError('unreachable', 'down'))).toBe(false);
  });
});
