import { platformScopeId, type DataProtection, type FieldContext } from '@kindling/crypto';
import type { AppendedAuditEvent, AuditEventInput, Database, Kysely } from '@kindling/db';

export type { FieldContext };

/** Where the services read the time; tests inject one they can move. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What identity needs from @kindling/crypto: field encryption (bound to table, column and row)
 * and blind indexes. Narrowed so tests and callers see exactly which operations are used.
 */
export type FieldProtection = Pick<DataProtection, 'encryptField' | 'decryptField' | 'blindIndex'>;

/** `appendAuditEvent` of @kindling/db, or anything with its contract. */
export type AuditAppender = (db: Kysely<Database>, event: AuditEventInput) => Promise<AppendedAuditEvent>;

/** Where a request came from; stored with sessions and audit events. Never personal data beyond these two. */
export interface RequestMeta {
  /** The client address as resolved by the trusted-proxy policy; null when unknown. */
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
}

/**
 * Accounts are global (one person, several organisations), but @kindling/crypto keys
 * everything by organisation. Platform-level personal data (a user's e-mail address, TOTP
 * secret) therefore uses crypto's platform scope, the nil UUID, as its "organisation": its own
 * key lineage, with no organisation row, so shredding a tenant never touches accounts and no
 * tenant's key protects them. Real organisation ids are random v4 UUIDs, never the nil UUID.
 */
export { platformScopeId };

/** The blind-index purpose of account e-mail addresses (app_user and invitation rows share it). */
export const userEmailIndexPurpose = 'user_email';

/** Audit and session columns hold at most this much of a User-Agent header. */
export const maxUserAgentLength = 1024;

export function truncatedUserAgent(userAgent: string | null): string | null {
  return userAgent === null ? null : userAgent.slice(0, maxUserAgentLength);
}
