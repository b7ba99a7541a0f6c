import type { Job } from '@kindling/db';

export interface JobExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/**
 * Where a claimed job runs. Locally each job is its own child process; in AWS the runner submits
 * an AWS Batch job. Either way the job records its own outcome in the database.
 */
export interface JobRunner {
  readonly kind: string;
  run(job: Job): Promise<JobExit>;
  /** Asks every running job to stop and waits, at most `graceMs`, before forcing it. */
  stopAll(graceMs: number): Promise<void>;
}
