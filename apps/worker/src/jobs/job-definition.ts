import type { z } from 'zod';
import type { Database, Kysely, TenantTransaction } from '@kindling/db';
import type { Logger } from '@kindling/logger';

export interface OrganisationScope {
  readonly id: string;
  /** Runs `work` in a transaction that row-level security limits to this organisation. */
  run<T>(work: (trx: TenantTransaction) => Promise<T>): Promise<T>;
}

export interface JobContext {
  readonly jobId: string;
  /** Present exactly when the definition's scope is 'organisation'. */
  readonly organisation: OrganisationScope | undefined;
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  /** Aborted when the process is asked to stop; long handlers check it between steps. */
  readonly signal: AbortSignal;
}

/**
 * A job is an id, a version, a payload schema and a handler. The version lets a payload shape
 * change without old queued rows being run by a handler that no longer understands them.
 */
export interface JobDefinition<Payload = unknown, Result = unknown> {
  readonly id: string;
  readonly version: number;
  readonly description: string;
  /**
   * 'organisation': the job works on one tenant's data, must be queued with its organisation,
   * and reaches tenant tables only through `context.organisation.run`. 'system': maintenance
   * across tenants (queue housekeeping), queued without an organisation.
   */
  readonly scope: 'organisation' | 'system';
  readonly payload: z.ZodType<Payload>;
  readonly maxAttempts: number;
  handler(payload: Payload, context: JobContext): Promise<Result>;
}

export function defineJob<Payload, Result>(definition: JobDefinition<Payload, Result>): JobDefinition<Payload, Result> {
  const segments = definition.id.split('.');
  if (segments.length < 2 || !segments.every((segment) => /^[a-z][a-z0-9-]*$/.test(segment))) {
    throw new Error(`job id "${definition.id}" must be dotted kebab-case, e.g. "maintenance.prune-job-history"`);
  }
  return definition;
}
