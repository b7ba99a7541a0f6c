import type { KeyStore } from '@kindling/crypto';
import { appendAuditEvent, sql, withTenant, type Database, type Kysely } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { ObjectStore } from '@kindling/object-store';

export interface OrganisationDeletionDependencies {
  /** The owner connection: the application role may neither delete organisations nor destroy keys. */
  readonly db: Kysely<Database>;
  readonly keyStore: Pick<KeyStore, 'destroy'>;
  /** The object store's backend: the organisation's objects are everything under `org/<id>/`. */
  readonly objectBackend: Pick<ObjectStore, 'list' | 'delete'>;
}

export interface OrganisationDeletion {
  readonly orgId: string;
  /** Typed by the operator: the organisation's exact name, so a mistyped id deletes nothing. */
  readonly confirmName: string;
}

export interface DeletedOrganisation {
  readonly objectsDeleted: number;
  readonly sessionsRevoked: number;
  readonly jobsCancelled: number;
}

/**
 * Deletes an organisation for good. The keys go first (crypto-shredding): from that moment every
 * ciphertext of the organisation — rows, objects, and the copies in backups that no deletion can
 * reach — is unreadable, whatever happens next. Then its objects, then its rows (one transaction:
 * sessions that had it selected are revoked, its queued jobs cancelled, the organisation deleted
 * with everything that cascades from it). Each step is idempotent, so an interrupted deletion is
 * finished by running it again. The audit log keeps the organisation's events and gains
 * `keys.destroyed` and `organisation.deleted`: audit rows have no foreign keys and are never
 * changed, so the hash chain stays intact.
 */
export async function deleteOrganisation(deps: OrganisationDeletionDependencies, request: OrganisationDeletion): Promise<DeletedOrganisation> {
  const { db } = deps;
  const orgId = request.orgId.toLowerCase();
  const organisation = await withTenant(db, { orgId }, (trx) => trx.selectFrom('organisation').select('name').where('id', '=', orgId).executeTakeFirst());
  if (organisation === undefined) throw new AppError('NOT_FOUND', `No organisation has the id ${orgId}`);
  if (organisation.name !== request.confirmName) {
    throw new AppError('VALIDATION_FAILED', "--confirm must be the organisation's exact name; nothing was deleted");
  }

  await deps.keyStore.destroy(orgId);
  await withTenant(db, { orgId }, (trx) =>
    appendAuditEvent(trx, { orgId, action: 'keys.destroyed', target: { type: 'organisation', id: orgId }, details: { via: 'cli' } }),
  );

  let objectsDeleted = 0;
  for (const object of await deps.objectBackend.list(`org/${orgId}/`)) {
    await deps.objectBackend.delete(object.key);
    objectsDeleted += 1;
  }

  return withTenant(db, { orgId }, async (trx) => {
    const sessions = await trx
      .updateTable('user_session')
      .set({ revoked_at: sql`now()`, revoked_reason: 'organisation deleted' })
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const jobs = await trx
      .updateTable('job')
      .set({ status: 'cancelled', finished_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    await trx.deleteFrom('organisation').where('id', '=', orgId).execute();
    const deleted = { objectsDeleted, sessionsRevoked: Number(sessions.numUpdatedRows), jobsCancelled: Number(jobs.numUpdatedRows) };
    await appendAuditEvent(trx, { orgId, action: 'organisation.deleted', target: { type: 'organisation', id: orgId }, details: { ...deleted, via: 'cli' } });
    return deleted;
  });
}
