import { can, canChangeMembership, isRole, roles, type Action, type Role } from '@kindling/access';

/*
 * What the settings screens offer to whom. The API enforces every rule again; these decide only
 * what the screens show, so nobody is offered a button the server would refuse.
 */

/** The organisation-administration screens under Settings, each behind the permission it needs. */
export interface SettingsSection {
  path: string;
  title: string;
  summary: string;
  requires: Action;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  {
    path: '/settings/users',
    title: 'Users and invitations',
    summary: 'Who can sign in to Kindling for your organisation, what each person can do, and invitations waiting to be accepted.',
    requires: 'users.manage',
  },
  {
    path: '/settings/api-tokens',
    title: 'API tokens',
    summary: 'Keys that let other systems, such as your CRM or reporting tools, connect to Kindling without a person signing in.',
    requires: 'tokens.manage',
  },
  {
    path: '/settings/audit-log',
    title: 'Audit log',
    summary: 'A permanent record of who signed in and who changed what, for checks and investigations.',
    requires: 'audit.read',
  },
];

/** The role held in the current organisation, or null when there is none (or one this app does not know). */
export function currentRole(session: { organisations: readonly { id: string; role: string }[]; currentOrganisationId: string | null }): Role | null {
  const role = session.organisations.find((organisation) => organisation.id === session.currentOrganisationId)?.role;
  return isRole(role) ? role : null;
}

/** Whether `role` may use a screen that needs `action`; unknown roles see nothing. */
export function allows(role: Role | null, action: Action): boolean {
  return role !== null && can(role, action);
}

export function sectionsFor(role: Role | null): SettingsSection[] {
  return SETTINGS_SECTIONS.filter((section) => allows(role, section.requires));
}

/** The roles `actor` may give someone new. */
export function invitableRoles(actor: Role): Role[] {
  return roles.filter((role) => canChangeMembership(actor, null, role));
}

export interface MemberLike {
  userId: string;
  role: string;
  /** Whether they have a second factor to reset; the members list always says. */
  mfaEnrolled?: boolean;
}

/** What the person signed in may do to one member's membership, and why not when they may not. */
export interface MemberChoices {
  /** The roles to offer, the current one included; just the current one when nothing can change. */
  roles: Role[];
  canChangeRole: boolean;
  canRemove: boolean;
  /** Reset their two-step verification (a lost phone): never one's own, an owner's only by an owner. */
  canResetMfa: boolean;
  /** Why the role or removal is locked, in words for the person looking at it; null when nothing is locked. */
  lockedBecause: string | null;
}

export function memberChoices(actor: Role, selfUserId: string, member: MemberLike, members: readonly MemberLike[]): MemberChoices {
  const current = isRole(member.role) ? member.role : null;
  const canResetMfa =
    current !== null && member.userId !== selfUserId && member.mfaEnrolled === true && allows(actor, 'users.manage') && (current !== 'owner' || actor === 'owner');
  const locked = (reason: string): MemberChoices => ({ roles: current ? [current] : [], canChangeRole: false, canRemove: false, canResetMfa, lockedBecause: reason });

  if (current === null) return locked('This member has a role this version of Kindling does not know.');
  // Changing one's own role ends one's own sessions and can lock one out: leave it to someone else.
  if (member.userId === selfUserId) return locked('This is you. Another owner or administrator can change your role.');
  if (current === 'owner') {
    if (actor !== 'owner') return locked('Only an owner can change or remove another owner.');
    const owners = members.filter((candidate) => candidate.role === 'owner').length;
    if (owners <= 1) return locked('An organisation needs at least one owner. Make someone else an owner first.');
  }
  const offered = roles.filter((role) => role === current || canChangeMembership(actor, current, role));
  const canRemove = canChangeMembership(actor, current, null);
  return {
    roles: offered,
    canChangeRole: offered.length > 1,
    canRemove,
    canResetMfa,
    lockedBecause: offered.length > 1 || canRemove ? null : 'Your role does not allow changing this member.',
  };
}

/** Roles an API token may hold: never owner, so a leaked token cannot take over the organisation. */
export const TOKEN_ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export const TOKEN_LIFETIMES: readonly { days: number; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 180, label: '6 months' },
  { days: 365, label: '1 year (the longest allowed)' },
];
