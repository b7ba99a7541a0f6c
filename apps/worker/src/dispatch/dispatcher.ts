import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Database, Job, Kysely } from '@kindling/db';
import type { Logger } from '@kindling/logger';
import type { JobDefinition } from '../jobs/job-definition.js';
import { submitJob } from '../jobs/submit-job.js';
import {
  claimNextJob,
  findJob,
  heartbeatDispatcher,
  lastEnqueuedAt,
  markDispatcherStopped,
  markJobFailed,
  recoverAbandonedJobs,
  registerDispatcher,
  releaseInterruptedJob,
} from '../queue/queue-sql.js';
import type { JobRunner } from './job-runner.js';

/** A dispatcher whose heartbeat is older than this is presumed dead and its jobs are recovered. */
export const dispatcherStaleAfterSeconds = 60;
const heartbeatIntervalMs = 10_000;

export interface PeriodicJob {
  readonly definition: JobDefinition;
  readonly payload: unknown;
  readonly everyHours: number;
}

export interface DispatcherOptions {
  readonly db: Kysely<Database>;
  readonly runner: JobRunner;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  readonly periodicJobs?: readonly PeriodicJob[];
  /** How long running jobs get to finish on stop before they are killed and requeued. */
  readonly stopGraceMs?: number;
}

export interface Dispatcher {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once no job is running and the queue had nothing ready at the last poll. */
  idle(): Promise<void>;
}

/**
 * Claims ready jobs and hands each to the runner, at most `concurrency` at a time. Orchestration
 * only: the SQL lives in queue-sql.ts and the job's own process records its outcome.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const id = `${os.hostname()}:${String(process.pid)}:${randomBytes(4).toString('hex')}`;
  const logger = options.logger.child({ dispatcher: id });
  const active = new Map<string, Promise<void>>();
  let stopping = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  let idleWaiters: (() => void)[] = [];
  let lastPollFoundNothing = false;

  async function pollOnce(): Promise<void> {
    lastPollFoundNothing = false;
    while (!stopping && active.size < options.concurrency) {
      const job = await claimNextJob(options.db, id);
      if (job === undefined) {
        lastPollFoundNothing = true;
        break;
      }
      active.set(job.id, execute(job));
    }
    notifyIfIdle();
  }

  async function execute(job: Job): Promise<void> {
    logger.info({ jobId: job.id, job: job.name, attempt: job.attempts }, 'job started');
    try {
      const exit = await options.runner.run(job);
      if (stopping) {
        await releaseIfStillRunning(job.id);
      } else if (exit.exitCode !== 0) {
        await failIfStillRunning(job.id, `job process exited with ${exit.signal === null ? `code ${String(exit.exitCode)}` : `signal ${exit.signal}`}`);
      }
    } catch (error) {
      logger.error({ err: error, jobId: job.id }, 'could not run job');
      await failIfStillRunning(job.id, 'the job process could not be started');
    } finally {
      active.delete(job.id);
      if (!stopping) schedulePoll(0);
      notifyIfIdle();
    }
  }

  async function failIfStillRunning(jobId: string, message: string): Promise<void> {
    const job = await findJob(options.db, jobId);
    if (job?.status !== 'running') return;
    const outcome = await markJobFailed(options.db, jobId, { code: 'JOB_PROCESS_FAILED', message, retryable: true });
    logger.warn({ jobId, outcome }, message);
  }

  async function releaseIfStillRunning(jobId: string): Promise<void> {
    const job = await findJob(options.db, jobId);
    if (job?.status === 'running') await releaseInterruptedJob(options.db, jobId);
  }

  async function enqueueDuePeriodicJobs(): Promise<void> {
    for (const periodic of options.periodicJobs ?? []) {
      const last = await lastEnqueuedAt(options.db, periodic.definition.id);
      if (last !== null && Date.now() - last.getTime() < periodic.everyHours * 3_600_000) continue;
      await submitJob(options.db, periodic.definition, periodic.payload, { singletonKey: periodic.definition.id });
    }
  }

  function schedulePoll(delayMs: number): void {
    if (stopping) return;
    if (pollTimer !== undefined) clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      polling = polling
        .then(pollOnce)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'job poll failed; will retry');
        })
        .finally(() => {
          if (pollTimer === undefined) schedulePoll(options.pollIntervalMs);
        });
    }, delayMs);
  }

  function notifyIfIdle(): void {
    if (active.size > 0 || !lastPollFoundNothing) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async function beat(): Promise<void> {
    try {
      await heartbeatDispatcher(options.db, id);
      await recoverAbandonedJobs(options.db, dispatcherStaleAfterSeconds);
      await enqueueDuePeriodicJobs();
    } catch (error) {
      logger.error({ err: error }, 'dispatcher heartbeat failed; will retry');
    }
  }

  return {
    id,
    async start() {
      await registerDispatcher(options.db, { id, host: os.hostname(), pid: process.pid });
      const recovered = await recoverAbandonedJobs(options.db, dispatcherStaleAfterSeconds);
      if (recovered > 0) logger.warn({ recovered }, 'recovered jobs abandoned by a stopped dispatcher');
      await enqueueDuePeriodicJobs();
      heartbeatTimer = setInterval(() => void beat(), heartbeatIntervalMs);
      schedulePoll(0);
    },
    async stop() {
      stopping = true;
      if (pollTimer !== undefined) clearTimeout(pollTimer);
      if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
      await polling;
      await options.runner.stopAll(options.stopGraceMs ?? 10_000);
      await Promise.all(active.values());
      await markDispatcherStopped(options.db, id);
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIfIdle();
        if (!stopping) schedulePoll(0);
      });
    },
  };
}
