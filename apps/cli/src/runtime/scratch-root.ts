import path from 'node:path';
import type { Config } from '@kindling/config';
import type { Logger } from '@kindling/logger';
import { cleanStaleScratch } from '@kindling/scratch';

/** Where processes of this home keep their encrypted scratch files (`@kindling/scratch`). */
export function scratchRoot(config: Pick<Config, 'home'>): string {
  return path.join(config.home, 'tmp');
}

/**
 * Removes the scratch folders of runs that died without cleaning up (their files were already
 * unreadable: each run's key lived only in its memory). Live processes' folders are kept.
 */
export async function removeStaleScratch(config: Pick<Config, 'home'>, logger: Logger): Promise<void> {
  const removed = await cleanStaleScratch(scratchRoot(config));
  if (removed.length > 0) logger.info({ removed: removed.length }, 'removed scratch files left by runs that ended without cleaning up');
}
