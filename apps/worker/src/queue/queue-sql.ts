import { sql, type Database, type Job, type Kysely } from '@kindling/db';

/**
 * Queue SQL, kept apart from the dispatcher's orchestration (as in pg-boss). Every statement
 * goes through Kysely, so values are always bound parameters.
 */

export interface EnqueueRequest {
  readonly name: string;
  readonly version: number;
  readonly payload: unknown;
  readonly orgId?: string | null;
  readonly maxAttempts?: number;
  readonly runAfter?: Date;
  readonly singletonKey?: string;
}

/** Returns the new job's id, or null when a singleton job with the same key is already pending. */
export async function enqueueJob(db: Kysely<Database>, request: EnqueueRequest): Promise<string | null> {
  const row = await db
    .insertInto('job')
    .values({
      name: request.name,
      version: request.version,
      payload: JSON.stringify(request.payload),
      org_id: request.orgId ?? null,
      max_attempts: request.maxAttempts ?? 3,
      run_after: request.runAfter ?? new Date(),
      singleton_key: request.singletonKey ?? null,
    })
    .onConflict((oc) => oc.column('singleton_key').where('singleton_key', 'is not', null).where('status', 'in', ['queued', 'running']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Claims the oldest ready job. `FOR UPDATE SKIP LOCKED` lets any number of dispatchers claim
 * concurrently without blocking each other or taking the same row twice.
 */
export async function claimNextJob(db: Kysely<Database>, dispatcherId: string): Promise<Job | undefined> {
  return db
    .updateTable('job')
    .set({
      status: 'running',
      attempts: sql<number>`attempts + 1`,
      claimed_by: dispatcherId,
      started_at: sql<Date>`now()`,
      finished_at: null,
    })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('job')
        .select('id')
        .where('status', '=', 'queued')
        .where('run_after', '<=', sql<Date>`now()`)
        .orderBy('run_after')
        .orderBy('created_at')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function findJob(db: Kysely<Database>, id: string): Promise<Job | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markJobSucceeded(db: Kysely<Database>, id: string, result: unknown): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'succeeded', finished_at: sql<Date>`now()`, result: JSON.stringify(result ?? null), error_code: null, error_message: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export interface JobFailure {
  readonly code: string;
  /** Shown to operators; must not contain personal data. */
  readonly message: string;
  /** False for failures a retry cannot fix (unknown job, invalid payload). */
  readonly retryable: boolean;
}

/**
 * Records a failure: retryable failures with attempts left go back to the queue with exponential
 * backoff (30 s, 60 s, 120 s …, at most an hour); the rest end as failed.
 */
export async function markJobFailed(db: Kysely<Database>, id: string, failure: JobFailure): Promise<'requeued' | 'failed'> {
  const row = await db
    .updateTable('job')
    .set((eb) => ({
      status: failure.retryable
        ? sql<'queued' | 'failed'>`CASE WHEN ${eb.ref('attempts')} < ${eb.ref('max_attempts')} THEN 'queued' ELSE 'failed' END`
        : 'failed',
      run_after: sql<Date>`now() + least(interval '1 hour', interval '30 seconds' * power(2, greatest(${eb.ref('attempts')} - 1, 0)))`,
      finished_at: failure.retryable ? sql<Date | null>`CASE WHEN ${eb.ref('attempts')} < ${eb.ref('max_attempts')} THEN NULL ELSE now() END` : sql<Date>`now()`,
      claimed_by: null,
      error_code: failure.code,
      error_message: failure.message.slice(0, 2000),
    }))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returning('status')
    .executeTakeFirst();
  return row?.status === 'queued' ? 'requeued' : 'failed';
}

/** Puts a job that was interrupted by an orderly shutdown back in the queue without using up an attempt. */
export async function releaseInterruptedJob(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'queued', attempts: sql<number>`greatest(attempts - 1, 0)`, claimed_by: null, started_at: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function registerDispatcher(db: Kysely<Database>, dispatcher: { id: string; host: string; pid: number }): Promise<void> {
  await db.insertInto('dispatcher').values(dispatcher).execute();
}

export async function heartbeatDispatcher(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('dispatcher').set({ heartbeat_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export async function markDispatcherStopped(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('dispatcher').set({ stopped_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * Jobs left `running` by a dispatcher that stopped or stopped heart-beating (crash, kill -9)
 * count as failed attempts and are retried or failed like any other failure.
 */
export async function recoverAbandonedJobs(db: Kysely<Database>, staleAfterSeconds: number): Promise<number> {
  const rows = await db
    .updateTable('job')
    .set((eb) => ({
      status: sql<'queued' | 'failed'>`CASE WHEN ${eb.ref('attempts')} < ${eb.ref('max_attempts')} THEN 'queued' ELSE 'failed' END`,
      finished_at: sql<Date | null>`CASE WHEN ${eb.ref('attempts')} < ${eb.ref('max_attempts')} THEN NULL ELSE now() END`,
      claimed_by: null,
      error_code: 'JOB_ABANDONED',
      error_message: 'the dispatcher running this job stopped before it finished',
    }))
    .where('status', '=', 'running')
    .where((eb) =>
      eb.or([
        eb('claimed_by', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('dispatcher')
              .select('dispatcher.id')
              .whereRef('dispatcher.id', '=', 'job.claimed_by')
              .where('dispatcher.stopped_at', 'is', null)
              .where('dispatcher.heartbeat_at', '>', sql<Date>`now() - make_interval(secs => ${staleAfterSeconds})`),
          ),
        ),
      ]),
    )
    .returning('id')
    .execute();
  return rows.length;
}

export async function lastEnqueuedAt(db: Kysely<Database>, name: string): Promise<Date | null> {
  const row = await db.selectFrom('job').select((eb) => eb.fn.max('created_at').as('last')).where('name', '=', name).executeTakeFirst();
  return row?.last ?? null;
}

export interface QueueStatus {
  readonly dispatcher: { readonly running: boolean; readonly lastHeartbeatAt: Date | null };
  readonly queued: number;
  readonly running: number;
  readonly failedLast24h: number;
}

export async function readQueueStatus(db: Kysely<Database>, staleAfterSeconds: number): Promise<QueueStatus> {
  const counts = await db
    .selectFrom('job')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('status', '=', 'queued').as('queued'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'running').as('running'),
      eb.fn
        .countAll<number>()
        .filterWhere((w) => w.and([w('status', '=', 'failed'), w('finished_at', '>', sql<Date>`now() - interval '24 hours'`)]))
        .as('failed'),
    ])
    .executeTakeFirstOrThrow();
  const latest = await db
    .selectFrom('dispatcher')
    .select(['heartbeat_at', 'stopped_at'])
    .orderBy('heartbeat_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fresh = latest?.stopped_at === null && Date.now() - latest.heartbeat_at.getTime() < staleAfterSeconds * 1000;
  return {
    dispatcher: { running: fresh, lastHeartbeatAt: latest?.heartbeat_at ?? null },
    queued: counts.queued,
    running: counts.running,
    failedLast24h: counts.failed,
  };
}
