import { roleLabel } from '../account/role-labels';
import type { AuditEvent } from './organisation-admin-api';

/*
 * Turns audit events into sentences for fundraising staff. The log stores identifiers only (it
 * cannot be edited, so it holds no personal data); names come from the member and token lists
 * the screen already has, and anyone no longer in them is described without a name.
 */

interface ActionText {
  label: string;
  group: string;
}

const ACTIONS: Record<string, ActionText> = {
  'auth.sign_in.succeeded': { label: 'Signed in', group: 'Signing in' },
  'auth.sign_in.failed': { label: 'Failed sign-in attempt', group: 'Signing in' },
  'auth.sign_out': { label: 'Signed out', group: 'Signing in' },
  'auth.mfa.enrolled': { label: 'Set up two-step verification', group: 'Signing in' },
  'auth.mfa.reset': { label: 'Two-step verification reset', group: 'Signing in' },
  'auth.mfa.recovery_code_used': { label: 'Used a recovery code', group: 'Signing in' },
  'auth.password.changed': { label: 'Changed password', group: 'Signing in' },
  'auth.mfa.passkey_added': { label: 'Added a passkey', group: 'Signing in' },
  'auth.mfa.passkey_removed': { label: 'Removed a passkey', group: 'Signing in' },
  'session.revoked': { label: 'Signed out a session', group: 'Signing in' },
  'organisation.created': { label: 'Created the organisation', group: 'People and access' },
  'user.invited': { label: 'Invited someone', group: 'People and access' },
  'user.joined': { label: 'Accepted an invitation', group: 'People and access' },
  'user.role_changed': { label: 'Changed a role', group: 'People and access' },
  'user.removed': { label: 'Removed a member', group: 'People and access' },
  'invitation.revoked': { label: 'Withdrew an invitation', group: 'People and access' },
  'token.created': { label: 'Created an API token', group: 'People and access' },
  'token.revoked': { label: 'Revoked an API token', group: 'People and access' },
  'import.started': { label: 'Started an import', group: 'Data' },
  'import.applied': { label: 'Imported data', group: 'Data' },
  'import.refused': { label: 'An import was refused (nothing changed)', group: 'Data' },
  'import.failed': { label: 'An import failed (nothing changed)', group: 'Data' },
  'import.mapping_saved': { label: 'Saved an import mapping', group: 'Data' },
  'import.mapping_deleted': { label: 'Deleted an import mapping', group: 'Data' },
  'campaign.tags_decided': { label: 'Tagged campaigns', group: 'Data' },
  'pipeline.run': { label: 'Ran the models', group: 'Data' },
  'export.personal_data': { label: 'Exported personal data', group: 'Data' },
  'keys.rotated': { label: 'Rotated the encryption keys', group: 'Settings and security' },
  'keys.destroyed': { label: 'Destroyed encryption keys', group: 'Settings and security' },
  'organisation.deleted': { label: 'Deleted the organisation', group: 'Settings and security' },
  'keys.rewrapped': { label: 'Moved stored data to the new encryption key', group: 'Settings and security' },
  'settings.changed': { label: 'Changed settings', group: 'Settings and security' },
};

/** The action in plain words; an action this version does not know is shown readably rather than hidden. */
export function actionLabel(action: string): string {
  const known = ACTIONS[action]?.label;
  if (known) return known;
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The filter choices, grouped as a select's option groups. */
export function actionFilterGroups(): { group: string; items: { value: string; label: string }[] }[] {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const [value, { label, group }] of Object.entries(ACTIONS)) {
    const items = groups.get(group) ?? [];
    items.push({ value, label });
    groups.set(group, items);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}

export interface NameLookup {
  /** Member e-mail addresses by user id. */
  people: ReadonlyMap<string, string>;
  /** API token names by token id. */
  tokens: ReadonlyMap<string, string>;
  selfUserId: string;
}

export function actorLabel(event: Pick<AuditEvent, 'actorUserId' | 'actorTokenId'>, names: NameLookup): string {
  if (event.actorUserId !== null) {
    if (event.actorUserId === names.selfUserId) return 'You';
    return names.people.get(event.actorUserId) ?? 'Someone not currently a member';
  }
  if (event.actorTokenId !== null) {
    const name = names.tokens.get(event.actorTokenId);
    return name ? `API token “${name}”` : 'An API token (since revoked or expired)';
  }
  return 'Kindling';
}

function text(details: Record<string, unknown>, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' ? value : null;
}

function subjectOf(targetType: string | null, targetId: string | null, names: NameLookup): string {
  if (targetId === null || targetType === null) return '';
  switch (targetType) {
    case 'user':
      return targetId === names.selfUserId ? 'You' : (names.people.get(targetId) ?? 'Someone not currently a member');
    case 'api_token': {
      const name = names.tokens.get(targetId);
      return name ? `API token “${name}”` : 'An API token';
    }
    case 'invitation':
      return 'An invitation';
    case 'session':
      return 'A session';
    case 'organisation':
      return 'The organisation';
    default:
      return targetType.replace(/_/g, ' ');
  }
}

/** What the action was done to, with the role change or reason when the event records one. */
export function targetLabel(event: Pick<AuditEvent, 'action' | 'targetType' | 'targetId' | 'details'>, names: NameLookup): string {
  return [subjectOf(event.targetType, event.targetId, names), detailText(event.action, event.details)].filter(Boolean).join(', ') || '—';
}

const ROLE_NOTED = new Set(['user.invited', 'user.joined', 'invitation.revoked', 'token.created', 'token.revoked']);
const REVOKE_REASONS: Record<string, string> = {
  role_changed: 'after a role change',
  removed_from_organisation: 'after being removed',
  revoked_by_user: 'by the person themselves',
};

function tagCounts(details: Record<string, unknown>): string {
  const count = (key: string): number => (typeof details[key] === 'number' ? details[key] : 0);
  const parts = [count('confirmed') > 0 ? `${String(count('confirmed'))} confirmed` : '', count('skipped') > 0 ? `${String(count('skipped'))} skipped` : ''];
  return parts.filter(Boolean).join(', ');
}

function detailText(action: string, details: Record<string, unknown>): string {
  const role = text(details, 'role');
  const from = text(details, 'from');
  const to = text(details, 'to');
  if (action === 'user.role_changed' && from && to) return `${roleLabel(from)} → ${roleLabel(to)}`;
  if (action === 'user.removed' && role) return `was ${roleLabel(role)}`;
  if (ROLE_NOTED.has(action) && role) return `as ${roleLabel(role)}`;
  if (action === 'campaign.tags_decided') return tagCounts(details);
  if (action === 'session.revoked') {
    const reason = text(details, 'reason');
    return (reason && REVOKE_REASONS[reason]) ?? '';
  }
  return '';
}

/**
 * A date range picked as calendar days (yyyy-mm-dd, in the person's own time zone) as the API's
 * instants: `from` at the start of its day, `to` at the start of the day after, so the last day
 * counts in full. Empty strings mean no limit; a malformed day is ignored.
 */
export function dayRangeToInstants(fromDay: string, toDay: string): { from?: string; to?: string } {
  const start = localMidnight(fromDay, 0);
  const end = localMidnight(toDay, 1);
  return { ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
}

function localMidnight(day: string, addDays: number): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
