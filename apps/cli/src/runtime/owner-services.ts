import fs from 'node:fs/promises';
import type { Config } from '@kindling/config';
import { createDataProtection, type DataProtection, type KeyStore } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, type Database, type Kysely } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import type { ObjectStore } from '@kindling/object-store';
import { openOwnerDatabase } from './database-setup.js';
import { acquireInstanceLock } from './instance-lock.js';
import { createObjectBackend, createRootKeyProvider } from './platform-services.js';

/** What the owner-level key commands work with. */
export interface OwnerServices {
  readonly db: Kysely<Database>;
  /** Over the owner connection, so it may also destroy keys; no cache, so it acts on what is stored. */
  readonly keyStore: KeyStore;
  readonly fields: DataProtection;
  readonly objectBackend: ObjectStore;
}

/**
 * Runs an operator command (`keys rotate`, `org delete`) as the database owner, like
 * `kindling audit verify`: with the embedded database it takes the instance lock, so Kindling
 * must be stopped; against DATABASE_URL it can run at any time. The schema must be migrated.
 */
export async function withOwnerServices<T>(config: Config, logger: Logger, work: (services: OwnerServices) => Promise<T>): Promise<T> {
  await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
  const lock = config.database.mode === 'embedded' ? await acquireInstanceLock(config.home) : undefined;
  try {
    const owner = await openOwnerDatabase(config, logger);
    try {
      const { rows } = await sql<{ present: boolean }>`SELECT to_regclass('public.organisation_key') IS NOT NULL AS present`.execute(owner.db);
      if (rows[0]?.present !== true) throw new AppError('CONFLICT', `The database is not set up yet (${owner.description}): run \`kindling db migrate\` first`);
      const keyStore = createPostgresKeyStore({ db: owner.db, rootKeyProvider: await createRootKeyProvider(config), cacheTtlMs: 0 });
      return await work({ db: owner.db, keyStore, fields: createDataProtection({ keyStore }), objectBackend: createObjectBackend(config) });
    } finally {
      await owner.close();
    }
  } finally {
    await lock?.release();
  }
}
