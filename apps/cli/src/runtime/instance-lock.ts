import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@kindling/errors';

export interface InstanceLock {
  update(details: Record<string, unknown>): Promise<void>;
  release(): Promise<void>;
}

interface LockContent {
  readonly pid: number;
  readonly startedAt: string;
  readonly url?: string;
}

/**
 * One Kindling per home: two servers on one PostgreSQL data folder or object store would corrupt
 * both. The lock file is created exclusively; a lock left by a dead process is taken over.
 */
export async function acquireInstanceLock(home: string): Promise<InstanceLock> {
  const file = path.join(home, 'kindling.lock');
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await fs.writeFile(file, JSON.stringify(content), { flag: 'wx', mode: 0o600 });
      return {
        update: (details) => fs.writeFile(file, JSON.stringify({ ...content, ...details }), { mode: 0o600 }),
        release: () => fs.rm(file, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(file);
      if (holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid)) {
        const where = holder.url === undefined ? '' : `, serving ${holder.url}`;
        throw new AppError(
          'CONFLICT',
          `Kindling is already running from ${home} (pid ${String(holder.pid)}, since ${holder.startedAt}${where}).\n` +
            `Stop it first (Ctrl-C in its terminal, or \`kill ${String(holder.pid)}\`), or set KINDLING_HOME to another folder.`,
        );
      }
      // The holder is gone (killed, crashed, power loss): the lock is stale.
      await fs.rm(file, { force: true });
    }
  }
  throw new AppError('CONFLICT', `Could not take the instance lock ${file}; another process keeps creating it`);
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' && typeof parsed.startedAt === 'string' ? (parsed as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
