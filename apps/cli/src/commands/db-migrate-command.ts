import fs from 'node:fs/promises';
import type { Config } from '@kindling/config';
import type { Logger } from '@kindling/logger';
import { setUpDatabase } from '../runtime/database-setup.js';
import { acquireInstanceLock } from '../runtime/instance-lock.js';

/**
 * `kindling db migrate`: applies pending migrations and exits. With the embedded database it takes
 * the same instance lock as `start`, since it must not run beside a server on the same data.
 */
export async function dbMigrateCommand(config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
  const lock = config.database.mode === 'embedded' ? await acquireInstanceLock(config.home) : undefined;
  try {
    const database = await setUpDatabase(config, logger);
    await database.stop();
    print(
      database.appliedMigrations.length === 0
        ? `Database is up to date (${database.description}).`
        : `Applied ${String(database.appliedMigrations.length)} migration(s): ${database.appliedMigrations.join(', ')}`,
    );
  } finally {
    await lock?.release();
  }
}
