import { isCryptoFailure, platformScopeId, type KeyStore } from '@kindling/crypto';
import { appendAuditEvent, withTenant, type Database, type Kysely } from '@kindling/db';
import { AppError } from '@kindling/errors';
import { submitJob, type JobDefinition, type KeyRewrapPayload } from '@kindling/worker';

export interface KeyRotationDependencies {
  /**
   * For one organisation, the application role will do; for all, the owner connection, since
   * "every organisation" must mean every one, past row-level security.
   */
  readonly db: Kysely<Database>;
  readonly keyStore: Pick<KeyStore, 'rotate'>;
  readonly rewrapJobs: { readonly organisation: JobDefinition<KeyRewrapPayload>; readonly platform: JobDefinition<KeyRewrapPayload> };
  /**
   * How long the re-wrap waits: running processes keep writing under the version they cached
   * (`defaultKekCacheTtlMs`), and a re-wrap that finished before they switched would miss that.
   */
  readonly rewrapDelayMs: number;
}

/** One rotated key scope: an organisation, or the platform scope (`orgId` null). */
export interface RotatedScope {
  readonly orgId: string | null;
  /** The new current version; undefined when the organisation's keys were already destroyed. */
  readonly version: number | undefined;
  /** The queued re-wrap job, or null when one was already waiting (it will move to this version). */
  readonly jobId: string | null;
}

const rewrapPayload: KeyRewrapPayload = { batchSize: 500 };

/**
 * Rotates one organisation's key-encryption key, or (no `orgId`) every organisation's and the
 * platform scope's: new writes use the new version at once, old data stays readable under the
 * retired one, and a re-wrap job per scope moves old data forward. Each rotation is audited as
 * done by Kindling itself (no user actor: an operator at the server ran it).
 */
export async function rotateKeys(deps: KeyRotationDependencies, orgId?: string): Promise<RotatedScope[]> {
  if (orgId !== undefined) {
    if (!(await organisationExists(deps.db, orgId))) throw new AppError('NOT_FOUND', `No organisation has the id ${orgId}`);
    return [await rotateOrganisation(deps, orgId)];
  }
  const organisations = await deps.db.selectFrom('organisation').select('id').orderBy('created_at').orderBy('id').execute();
  const rotated: RotatedScope[] = [];
  for (const organisation of organisations) {
    try {
      rotated.push(await rotateOrganisation(deps, organisation.id));
    } catch (error) {
      // Shredded but not yet deleted (an interrupted `org delete`): nothing left to protect.
      if (!isCryptoFailure(error, 'keys_destroyed')) throw error;
      rotated.push({ orgId: organisation.id, version: undefined, jobId: null });
    }
  }
  rotated.push(await rotatePlatform(deps));
  return rotated;
}

async function organisationExists(db: Kysely<Database>, orgId: string): Promise<boolean> {
  const row = await withTenant(db, { orgId }, (trx) => trx.selectFrom('organisation').select('id').where('id', '=', orgId).executeTakeFirst());
  return row !== undefined;
}

async function rotateOrganisation(deps: KeyRotationDependencies, orgId: string): Promise<RotatedScope> {
  const kek = await deps.keyStore.rotate(orgId);
  kek.key.fill(0);
  const jobId = await withTenant(deps.db, { orgId }, async (trx) => {
    await appendAuditEvent(trx, { orgId, action: 'keys.rotated', target: { type: 'organisation', id: orgId }, details: { version: kek.version, via: 'cli' } });
    return submitJob(trx, deps.rewrapJobs.organisation, rewrapPayload, { orgId, singletonKey: `keys.rewrap/${orgId}`, runAfter: rewrapTime(deps) });
  });
  return { orgId, version: kek.version, jobId };
}

async function rotatePlatform(deps: KeyRotationDependencies): Promise<RotatedScope> {
  const kek = await deps.keyStore.rotate(platformScopeId);
  kek.key.fill(0);
  const jobId = await deps.db.transaction().execute(async (trx) => {
    await appendAuditEvent(trx, { orgId: null, action: 'keys.rotated', target: { type: 'key_scope', id: 'platform' }, details: { version: kek.version, via: 'cli' } });
    return submitJob(trx, deps.rewrapJobs.platform, rewrapPayload, { singletonKey: 'keys.rewrap/platform', runAfter: rewrapTime(deps) });
  });
  return { orgId: null, version: kek.version, jobId };
}

function rewrapTime(deps: Pick<KeyRotationDependencies, 'rewrapDelayMs'>): Date {
  return new Date(Date.now() + deps.rewrapDelayMs);
}
