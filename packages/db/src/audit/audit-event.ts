/**
 * What the audit log records. Actions are a closed list so that a reader (and the permission
 * to read the log) can rely on their names; add one here when a new kind of event appears.
 */
export const auditActions = [
  'auth.sign_in.succeeded',
  'auth.sign_in.failed',
  'auth.sign_out',
  'auth.mfa.enrolled',
  'auth.mfa.reset',
  'auth.mfa.passkey_added',
  'auth.mfa.passkey_removed',
  'auth.mfa.recovery_code_used',
  'auth.password.changed',
  'session.revoked',
  'organisation.created',
  'user.invited',
  'user.joined',
  'user.role_changed',
  'user.removed',
  'invitation.revoked',
  'token.created',
  'token.revoked',
  'import.started',
  'import.applied',
  'import.refused',
  'import.failed',
  'import.mapping_saved',
  'import.mapping_deleted',
  'campaign.tags_decided',
  'pipeline.run',
  'export.personal_data',
  'keys.rotated',
  'keys.rewrapped',
  'keys.destroyed',
  'organisation.deleted',
  'settings.changed',
] as const;

export type AuditAction = (typeof auditActions)[number];

export type AuditDetailValue = string | number | boolean | null;

export interface AuditEventInput {
  /**
   * The organisation the event belongs to, or null for events outside any (e.g. a failed
   * sign-in for an unknown account), which only the owner role can read. An organisation's
   * event must be appended inside withTenant for that organisation; the database refuses others.
   */
  readonly orgId: string | null;
  readonly action: AuditAction;
  readonly actorUserId?: string | null | undefined;
  readonly actorTokenId?: string | null | undefined;
  /** What the action was done to, by identifier: `{ type: 'user', id: '<uuid>' }`. */
  readonly target?: { readonly type: string; readonly id: string } | null | undefined;
  readonly clientAddress?: string | null | undefined;
  readonly userAgent?: string | null | undefined;
  /**
   * Identifiers, counts, codes and reasons only. Never personal data: no names, e-mail
   * addresses or donor attributes. The log cannot be edited, so nothing in it can be erased.
   */
  readonly details?: Readonly<Record<string, AuditDetailValue | readonly AuditDetailValue[]>> | undefined;
}

export interface AppendedAuditEvent {
  readonly seq: number;
  readonly occurredAt: Date;
  /** SHA-256 of the previous row's hash and this row's canonical form. */
  readonly rowHash: Buffer;
}
