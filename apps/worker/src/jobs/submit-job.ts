import { AppError } from '@kindling/errors';
import { requireTenant, type Database, type Kysely } from '@kindling/db';
import { enqueueJob } from '../queue/queue-sql.js';
import type { JobDefinition } from './job-definition.js';

export interface SubmitOptions {
  readonly orgId?: string | null;
  readonly runAfter?: Date;
  readonly singletonKey?: string;
}

/**
 * Queues a job through its definition: the payload is validated now, so a bad request fails
 * where it is made rather than later in a job process, and the definition sets the attempts.
 * Returns null when a singleton job with the same key is already pending.
 */
export async function submitJob<Payload>(
  db: Kysely<Database>,
  definition: JobDefinition<Payload>,
  payload: Payload,
  options: SubmitOptions = {},
): Promise<string | null> {
  const orgId = definition.scope === 'organisation' ? requireTenant(options.orgId) : null;
  if (definition.scope === 'system' && options.orgId !== undefined && options.orgId !== null) {
    throw new AppError('BAD_REQUEST', `job ${definition.id} is a system job and takes no organisation`);
  }
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `invalid payload for job ${definition.id}`, {
      details: { fields: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) },
    });
  }
  return enqueueJob(db, {
    name: definition.id,
    version: definition.version,
    payload: parsed.data,
    maxAttempts: definition.maxAttempts,
    ...options,
    orgId,
  });
}
