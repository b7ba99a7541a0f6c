import { describe, expect, it } from 'vitest';
import { actionFilterGroups, actionLabel, actorLabel, dayRangeToInstants, targetLabel, type NameLookup } from './audit-describe';

const names: NameLookup = {
  people: new Map([
    ['u-ann', 'ann@example.org'],
    ['u-me', 'me@example.org'],
  ]),
  tokens: new Map([['t-crm', 'CRM sync']]),
  selfUserId: 'u-me',
};

const event = (overrides: Partial<Parameters<typeof targetLabel>[0]>) => ({ action: 'user.invited', targetType: null, targetId: null, details: {}, ...overrides });

describe('actionLabel', () => {
  it('says what happened in plain words', () => {
    expect(actionLabel('user.role_changed')).toBe('Changed a role');
    expect(actionLabel('auth.sign_in.failed')).toBe('Failed sign-in attempt');
  });

  it('shows an action it does not know readably instead of hiding it', () => {
    expect(actionLabel('donor.merged_records')).toBe('Donor merged records');
  });
});

describe('actionFilterGroups', () => {
  it('offers every known action once, in groups', () => {
    const groups = actionFilterGroups();
    const values = groups.flatMap((group) => group.items.map((item) => item.value));
    expect(new Set(values).size).toBe(values.length);
    expect(values).toContain('user.removed');
    expect(groups.map((group) => group.group)).toEqual(['Signing in', 'People and access', 'Data', 'Settings and security']);
  });
});

describe('actorLabel', () => {
  it('names members, the reader, tokens and the system', () => {
    expect(actorLabel({ actorUserId: 'u-ann', actorTokenId: null }, names)).toBe('ann@example.org');
    expect(actorLabel({ actorUserId: 'u-me', actorTokenId: null }, names)).toBe('You');
    expect(actorLabel({ actorUserId: null, actorTokenId: 't-crm' }, names)).toBe('API token “CRM sync”');
    expect(actorLabel({ actorUserId: null, actorTokenId: null }, names)).toBe('Kindling');
  });

  it('describes people and tokens that are gone without inventing a name', () => {
    expect(actorLabel({ actorUserId: 'u-gone', actorTokenId: null }, names)).toBe('Someone not currently a member');
    expect(actorLabel({ actorUserId: null, actorTokenId: 't-gone' }, names)).toBe('An API token (since revoked or expired)');
  });
});

describe('targetLabel', () => {
  it('shows a role change as from → to', () => {
    const label = targetLabel(event({ action: 'user.role_changed', targetType: 'user', targetId: 'u-ann', details: { from: 'viewer', to: 'admin' } }), names);
    expect(label).toBe('ann@example.org, Viewer → Administrator');
  });

  it('adds the role to invitations and tokens, and what a removed member was', () => {
    expect(targetLabel(event({ targetType: 'user', targetId: 'u-new', details: { role: 'analyst' } }), names)).toBe('Someone not currently a member, as Analyst');
    expect(targetLabel(event({ action: 'token.created', targetType: 'api_token', targetId: 't-crm', details: { role: 'viewer' } }), names)).toBe(
      'API token “CRM sync”, as Viewer',
    );
    expect(targetLabel(event({ action: 'user.removed', targetType: 'user', targetId: 'u-ann', details: { role: 'admin' } }), names)).toBe(
      'ann@example.org, was Administrator',
    );
  });

  it('explains why sessions ended', () => {
    expect(targetLabel(event({ action: 'session.revoked', targetType: 'user', targetId: 'u-me', details: { reason: 'role_changed', sessions: 2 } }), names)).toBe(
      'You, after a role change',
    );
  });

  it('counts the campaign tags people decided', () => {
    expect(actionLabel('campaign.tags_decided')).toBe('Tagged campaigns');
    expect(targetLabel(event({ action: 'campaign.tags_decided', details: { confirmed: 40, skipped: 2 } }), names)).toBe('40 confirmed, 2 skipped');
    expect(targetLabel(event({ action: 'campaign.tags_decided', details: { confirmed: 0, skipped: 3 } }), names)).toBe('3 skipped');
  });

  it('shows a dash when nothing was targeted', () => {
    expect(targetLabel(event({ action: 'auth.sign_out' }), names)).toBe('—');
  });
});

describe('dayRangeToInstants', () => {
  it('covers whole local days: from the first midnight to the midnight after the last day', () => {
    const { from, to } = dayRangeToInstants('2026-03-01', '2026-03-31');
    expect(from).toBe(new Date(2026, 2, 1).toISOString());
    expect(to).toBe(new Date(2026, 3, 1).toISOString());
  });

  it('leaves out empty or malformed days', () => {
    expect(dayRangeToInstants('', '')).toEqual({});
    expect(dayRangeToInstants('yesterday', '2026-01-05')).toEqual({ to: new Date(2026, 0, 6).toISOString() });
  });
});
