import { spawn, type ChildProcess } from 'node:child_process';
import type { Job } from '@kindling/db';
import type { JobExit, JobRunner } from './job-runner.js';

export interface LocalProcessRunnerOptions {
  /** The program and arguments that run one job; the job id is appended. */
  readonly command: readonly [string, ...string[]];
  /**
   * The complete environment of a job process. Deliberately not inherited: a job gets the
   * application-role database URL and nothing else of the parent's secrets.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly onOutput?: (line: string) => void;
}

/** Runs each job as a transient child process, so a crash or leak in one job cannot take down the server. */
export function createLocalProcessRunner(options: LocalProcessRunnerOptions): JobRunner {
  const children = new Set<ChildProcess>();
  const [program, ...args] = options.command;
  return {
    kind: 'local-process',
    run(job: Job): Promise<JobExit> {
      return new Promise((resolve, reject) => {
        // Detached into its own process group so a terminal Ctrl-C reaches only the dispatcher, which
        // then stops jobs in order (SIGTERM, grace period, requeue) rather than all at once.
        const child = spawn(program, [...args, job.id], { env: { ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        children.add(child);
        const forward = (chunk: Buffer): void => {
          for (const line of chunk.toString('utf8').split('\n')) if (line !== '') options.onOutput?.(line);
        };
        child.stdout.on('data', forward);
        child.stderr.on('data', forward);
        child.on('error', (error) => {
          children.delete(child);
          reject(error);
        });
        child.on('close', (exitCode, signal) => {
          children.delete(child);
          resolve({ exitCode, signal });
        });
      });
    },
    async stopAll(graceMs: number): Promise<void> {
      const running = [...children];
      const closed = running.map((child) => new Promise<void>((resolve) => child.once('close', () => {
        resolve();
      })));
      for (const child of running) child.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const child of running) child.kill('SIGKILL');
      }, graceMs);
      await Promise.all(closed);
      clearTimeout(force);
    },
  };
}
