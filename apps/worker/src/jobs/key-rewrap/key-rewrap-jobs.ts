import { z } from 'zod';
import { appendAuditEvent, type Database, type Kysely, type Transaction } from '@kindling/db';
import { platformScopeId } from '@kindling/crypto';
import { defineJob, type JobDefinition } from '../job-definition.js';
import { rewrapColumns, type ScopeTransaction } from './rewrap-columns.js';
import { rewrapObjects } from './rewrap-objects.js';
import { currentVersion, type KeyRewrapServices, type RewrapCounts } from './rewrap-scope.js';

const payload = z.object({ batchSize: z.number().int().min(1).max(5000) }).strict();
export type KeyRewrapPayload = z.infer<typeof payload>;

/** Job ids, for queueing with a singleton key and for finding the definitions. */
export const keyRewrapJobIds = { organisation: 'keys.rewrap-organisation', platform: 'keys.rewrap-platform' } as const;

interface ScopePass {
  readonly services: KeyRewrapServices;
  readonly scopeId: string;
  readonly scope: 'organisation' | 'platform';
  readonly db: ScopeTransaction;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

/**
 * Moves everything of one key scope (registered columns, then objects) to its current KEK
 * version. A rotation while this runs raises the version again: the pass then starts over
 * towards the newer one, so nothing is left behind under a version that was current only
 * briefly, even though a second queued re-wrap was refused as a duplicate.
 */
async function rewrapScope(pass: ScopePass): Promise<RewrapCounts> {
  const counts: RewrapCounts = { version: 0, rowsRewrapped: 0, objectsRewrapped: 0, skipped: 0 };
  for (;;) {
    const version = await currentVersion(pass.services.keyStore, pass.scopeId);
    if (version === counts.version) return counts;
    counts.version = version;
    counts.skipped = 0;
    await rewrapColumns({ ...pass, version }, counts);
    await rewrapObjects({ ...pass, version }, counts);
  }
}

function auditDetails(counts: RewrapCounts): Record<string, number> {
  return { version: counts.version, rows: counts.rowsRewrapped, objects: counts.objectsRewrapped, skipped: counts.skipped };
}

/**
 * The two re-wrap jobs that follow a key rotation (`kindling keys rotate`): one per organisation,
 * and one for the platform scope (staff e-mail addresses and second factors, in global tables).
 * They need the platform's data protection and object backend, so they are built by the process
 * that runs jobs rather than listed in builtInJobs.
 */
export function createKeyRewrapJobs(services: KeyRewrapServices): {
  readonly organisation: JobDefinition<KeyRewrapPayload, RewrapCounts>;
  readonly platform: JobDefinition<KeyRewrapPayload, RewrapCounts>;
} {
  const organisation = defineJob<KeyRewrapPayload, RewrapCounts>({
    id: keyRewrapJobIds.organisation,
    version: 1,
    description: "Moves an organisation's encrypted columns and objects to its current key version, without decrypting them.",
    scope: 'organisation',
    maxAttempts: 5,
    payload,
    async handler({ batchSize }, { organisation: tenant, logger, signal }) {
      if (tenant === undefined) throw new Error('an organisation job ran without its organisation');
      const db: ScopeTransaction = (work) => tenant.run(work);
      const counts = await rewrapScope({ services, scopeId: tenant.id, scope: 'organisation', db, batchSize, signal });
      await tenant.run((trx) =>
        appendAuditEvent(trx, { orgId: tenant.id, action: 'keys.rewrapped', target: { type: 'organisation', id: tenant.id }, details: auditDetails(counts) }),
      );
      logger.info(counts, 'organisation data re-wrapped');
      return counts;
    },
  });
  const platform = defineJob<KeyRewrapPayload, RewrapCounts>({
    id: keyRewrapJobIds.platform,
    version: 1,
    description: 'Moves platform-scope encrypted columns (staff e-mail addresses, second factors) and objects to the current key version.',
    scope: 'system',
    maxAttempts: 5,
    payload,
    async handler({ batchSize }, { db: pool, logger, signal }) {
      const db: ScopeTransaction = (work) => transaction(pool, work);
      const counts = await rewrapScope({ services, scopeId: platformScopeId, scope: 'platform', db, batchSize, signal });
      await appendAuditEvent(pool, { orgId: null, action: 'keys.rewrapped', target: { type: 'key_scope', id: 'platform' }, details: auditDetails(counts) });
      logger.info(counts, 'platform data re-wrapped');
      return counts;
    },
  });
  return { organisation, platform };
}

function transaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
