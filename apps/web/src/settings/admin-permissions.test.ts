import { describe, expect, it } from 'vitest';
import { navItemsFor } from '../layout/navigation';
import { currentRole, invitableRoles, memberChoices, sectionsFor } from './admin-permissions';

const SELF = 'self-id';
const member = (userId: string, role: string) => ({ userId, role });

describe('who sees the settings screens', () => {
  it('shows owners and admins every section, and analysts and viewers none', () => {
    expect(sectionsFor('owner').map((section) => section.path)).toEqual(['/settings/users', '/settings/api-tokens', '/settings/audit-log']);
    expect(sectionsFor('admin')).toHaveLength(3);
    expect(sectionsFor('analyst')).toEqual([]);
    expect(sectionsFor('viewer')).toEqual([]);
    expect(sectionsFor(null)).toEqual([]);
  });

  it('leaves Settings out of the navigation for roles that cannot use it, and for unknown roles', () => {
    const labels = (role: string | null) => navItemsFor(role).map((item) => item.label);
    expect(labels('admin')).toContain('Settings');
    expect(labels('viewer')).not.toContain('Settings');
    expect(labels('analyst')).not.toContain('Settings');
    expect(labels('superuser')).not.toContain('Settings');
    expect(labels(null)).toContain('Overview');
  });

  it('reads the role of the current organisation, not of another one', () => {
    const organisations = [
      { id: 'a', role: 'viewer' },
      { id: 'b', role: 'owner' },
    ];
    expect(currentRole({ organisations, currentOrganisationId: 'a' })).toBe('viewer');
    expect(currentRole({ organisations, currentOrganisationId: 'b' })).toBe('owner');
    expect(currentRole({ organisations, currentOrganisationId: null })).toBeNull();
    expect(currentRole({ organisations: [{ id: 'a', role: 'toString' }], currentOrganisationId: 'a' })).toBeNull();
  });
});

describe('invitableRoles', () => {
  it('lets only owners invite owners', () => {
    expect(invitableRoles('owner')).toEqual(['owner', 'admin', 'analyst', 'viewer']);
    expect(invitableRoles('admin')).toEqual(['admin', 'analyst', 'viewer']);
    expect(invitableRoles('viewer')).toEqual([]);
  });
});

describe('memberChoices', () => {
  const team = [member(SELF, 'owner'), member('other-owner', 'owner'), member('ann', 'analyst')];

  it('offers an owner every role for another member, and removal', () => {
    expect(memberChoices('owner', SELF, member('ann', 'analyst'), team)).toEqual({
      roles: ['owner', 'admin', 'analyst', 'viewer'],
      canChangeRole: true,
      canRemove: true,
      canResetMfa: false,
      lockedBecause: null,
    });
  });

  it('offers resetting two-step verification of enrolled others only, and an owner’s only to owners', () => {
    const enrolled = (userId: string, role: string) => ({ userId, role, mfaEnrolled: true });
    expect(memberChoices('admin', SELF, enrolled('ann', 'analyst'), team).canResetMfa).toBe(true);
    expect(memberChoices('admin', SELF, enrolled('other-owner', 'owner'), team).canResetMfa).toBe(false);
    expect(memberChoices('owner', SELF, enrolled('other-owner', 'owner'), team).canResetMfa).toBe(true);
    expect(memberChoices('owner', SELF, enrolled(SELF, 'owner'), team).canResetMfa).toBe(false);
    expect(memberChoices('owner', SELF, { userId: 'ann', role: 'analyst', mfaEnrolled: false }, team).canResetMfa).toBe(false);
    expect(memberChoices('analyst', SELF, enrolled('ann', 'viewer'), team).canResetMfa).toBe(false);
  });

  it('keeps admins away from the owner role, in both directions', () => {
    const forAnalyst = memberChoices('admin', SELF, member('ann', 'analyst'), team);
    expect(forAnalyst.roles).toEqual(['admin', 'analyst', 'viewer']);
    const forOwner = memberChoices('admin', SELF, member('other-owner', 'owner'), team);
    expect(forOwner).toMatchObject({ roles: ['owner'], canChangeRole: false, canRemove: false });
    expect(forOwner.lockedBecause).toMatch(/Only an owner/);
  });

  it('never lets the last owner be demoted or removed, and says why', () => {
    const alone = [member(SELF, 'admin'), member('only-owner', 'owner')];
    const choices = memberChoices('owner', 'someone-else', member('only-owner', 'owner'), alone);
    expect(choices).toMatchObject({ roles: ['owner'], canChangeRole: false, canRemove: false });
    expect(choices.lockedBecause).toMatch(/at least one owner/);
  });

  it('lets one of two owners be demoted by the other', () => {
    expect(memberChoices('owner', SELF, member('other-owner', 'owner'), team)).toMatchObject({ canChangeRole: true, canRemove: true });
  });

  it('leaves a person’s own role to someone else', () => {
    const choices = memberChoices('owner', SELF, member(SELF, 'owner'), team);
    expect(choices).toMatchObject({ canChangeRole: false, canRemove: false });
    expect(choices.lockedBecause).toMatch(/This is you/);
  });

  it('locks a role this version does not know instead of guessing', () => {
    expect(memberChoices('owner', SELF, member('x', 'superuser'), team)).toMatchObject({ roles: [], canChangeRole: false, canRemove: false });
  });

  it('gives analysts and viewers nothing to change', () => {
    expect(memberChoices('viewer', SELF, member('ann', 'analyst'), team)).toMatchObject({ roles: ['analyst'], canChangeRole: false, canRemove: false });
  });
});
