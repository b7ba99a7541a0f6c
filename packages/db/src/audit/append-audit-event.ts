import { isIP } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { AppError } from '@kindling/errors';
import type { Database } from '../schema.js';
import type { AppendedAuditEvent, AuditEventInput } from './audit-event.js';

const maxUserAgentLength = 1024;

/**
 * Appends one event to the hash-chained audit log through the `audit_append` database function,
 * which locks the chain head, computes `row_hash = SHA-256(prev_hash || canonical(row))` and
 * inserts, all in one statement. The application role cannot write audit_event any other way.
 *
 * Pass the withTenant transaction for an organisation's event, so the event commits or rolls
 * back with the change it records. Appends serialise on the chain head until that transaction
 * ends, so append last and keep the transaction short.
 */
export async function appendAuditEvent(db: Kysely<Database>, event: AuditEventInput): Promise<AppendedAuditEvent> {
  const clientAddress = event.clientAddress ?? null;
  if (clientAddress !== null && isIP(clientAddress) === 0) {
    throw new AppError('BAD_REQUEST', 'The audit event client address is not an IP address');
  }
  const userAgent = event.userAgent === undefined || event.userAgent === null ? null : event.userAgent.slice(0, maxUserAgentLength);
  const details = JSON.stringify(event.details ?? {});
  try {
    const { rows } = await sql<{ appended_seq: number; appended_at: Date; appended_hash: Buffer }>`
      SELECT appended_seq, appended_at, appended_hash FROM audit_append(
        ${event.orgId}::uuid, ${event.actorUserId ?? null}::uuid, ${event.actorTokenId ?? null}::uuid, ${event.action}::text,
        ${event.target?.type ?? null}::text, ${event.target?.id ?? null}::text, ${clientAddress}::inet, ${userAgent}::text,
        ${details}::jsonb)`.execute(db);
    const row = rows[0];
    if (row === undefined) throw new AppError('INTERNAL', 'audit_append returned no row');
    return { seq: row.appended_seq, occurredAt: row.appended_at, rowHash: row.appended_hash };
  } catch (error) {
    if (isInsufficientPrivilege(error)) {
      throw new AppError('FORBIDDEN', "An organisation's audit event must be appended inside that organisation's tenant context", { cause: error });
    }
    throw error;
  }
}

/** The refusal raised by audit_append itself, not a missing privilege of the role. */
function isInsufficientPrivilege(error: unknown): boolean {
  return (
    error instanceof Error && 'code' in error && error.code === '42501' && error.message.includes('inside its tenant context')
  );
}
