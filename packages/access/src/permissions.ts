/** The roles a member of an organisation can hold, from most to least powerful. */
export const roles = ['owner', 'admin', 'analyst', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Everything a role may or may not do. Checked by the API and by jobs before they act. */
export const actions = [
  'users.manage',
  'roles.manage',
  'keys.manage',
  'settings.manage',
  'tokens.manage',
  'audit.read',
  'data.import',
  'imports.read',
  'campaigns.tag',
  'pipeline.run',
  'data.export',
  'personal_data.read',
  'dashboards.read',
  'scores.read',
] as const;
export type Action = (typeof actions)[number];

/**
 * THE permission table: for each action, the roles that may perform it. docs/permissions.md
 * shows the same table for people, and a test holds the two equal. Change both together.
 * Viewers see aggregates and scores only: no personal data, and never an export.
 */
const allowedRoles: Readonly<Record<Action, readonly Role[]>> = {
  'users.manage': ['owner', 'admin'],
  'roles.manage': ['owner', 'admin'],
  'keys.manage': ['owner'],
  'settings.manage': ['owner', 'admin'],
  'tokens.manage': ['owner', 'admin'],
  'audit.read': ['owner', 'admin'],
  'data.import': ['owner', 'admin', 'analyst'],
  'imports.read': ['owner', 'admin', 'analyst', 'viewer'],
  'campaigns.tag': ['owner', 'admin', 'analyst'],
  'pipeline.run': ['owner', 'admin', 'analyst'],
  'data.export': ['owner', 'admin', 'analyst'],
  'personal_data.read': ['owner', 'admin', 'analyst'],
  'dashboards.read': ['owner', 'admin', 'analyst', 'viewer'],
  'scores.read': ['owner', 'admin', 'analyst', 'viewer'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (actions as readonly string[]).includes(value);
}

/**
 * Whether `role` may perform `action`. Denies anything it does not know, so a role or action
 * that arrives unchecked from outside (a database row, a token) fails closed.
 */
export function can(role: Role, action: Action): boolean {
  if (!isRole(role) || !isAction(action)) return false;
  return allowedRoles[action].includes(role);
}

/**
 * Whether `actor` may change someone's membership from `current` to `next` (null: not a
 * member). Adding and removing members needs `users.manage`, changing a role `roles.manage`;
 * and only an owner may make, unmake or remove an owner, so an admin cannot promote themselves
 * or push an owner out. (Keeping at least one owner is the caller's check: it needs the data.)
 */
export function canChangeMembership(actor: Role, current: Role | null, next: Role | null): boolean {
  if (current === next) return false;
  const needed: Action = current === null || next === null ? 'users.manage' : 'roles.manage';
  if (!can(actor, needed)) return false;
  if (current === 'owner' || next === 'owner') return actor === 'owner';
  return true;
}
