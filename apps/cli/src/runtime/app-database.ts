import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@kindling/config';
import { createDatabase, readOrCreateSecretFile, type Database, type Kysely } from '@kindling/db';
import { AppError, isAppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { appPasswordFile, setUpDatabase } from './database-setup.js';
import { acquireInstanceLock } from './instance-lock.js';

/**
 * Runs an admin command's work over an application-role connection. With the embedded database
 * there are two cases: Kindling is running (its lock names the server's port, so we connect to
 * that server) or it is not (we take the lock and start the server for the duration).
 */
export async function withAppDatabase<T>(config: Config, logger: Logger, work: (db: Kysely<Database>, config: Config) => Promise<T>): Promise<T> {
  await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
  if (config.database.mode === 'embedded') {
    const running = await runningServer(config);
    if (running !== undefined) {
      const password = await readOrCreateSecretFile(appPasswordFile(config));
      // Links must point where the running server is reached, not where this shell's PORT says.
      const effective: Config = { ...config, http: { ...config.http, publicUrl: running.publicUrl ?? config.http.publicUrl } };
      return withConnection(`postgres://kindling_app:${encodeURIComponent(password)}@127.0.0.1:${String(running.postgresPort)}/postgres`, (db) => work(db, effective));
    }
  }
  const lock = config.database.mode === 'embedded' ? await acquireInstanceLock(config.home) : undefined;
  try {
    const database = await setUpDatabase(config, logger);
    try {
      return await withConnection(database.appUrl, (db) => work(db, config));
    } finally {
      await database.stop();
    }
  } finally {
    await lock?.release();
  }
}

async function withConnection<T>(url: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = createDatabase({ url, maxConnections: 2, applicationName: 'kindling-admin' });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** The embedded PostgreSQL port and public URL of a live `kindling start` on this home, if there is one. */
async function runningServer(config: Config): Promise<{ postgresPort: number; publicUrl: string | undefined } | undefined> {
  try {
    await acquireInstanceLock(config.home).then((lock) => lock.release());
    return undefined;
  } catch (error) {
    if (!isAppError(error) || error.code !== 'CONFLICT') throw error;
  }
  const lock = JSON.parse(await fs.readFile(path.join(config.home, 'kindling.lock'), 'utf8')) as { postgresPort?: unknown; publicUrl?: unknown };
  if (typeof lock.postgresPort !== 'number') {
    throw new AppError('CONFLICT', 'Kindling is starting up on this home; try again in a few seconds');
  }
  return { postgresPort: lock.postgresPort, publicUrl: typeof lock.publicUrl === 'string' ? lock.publicUrl : undefined };
}
