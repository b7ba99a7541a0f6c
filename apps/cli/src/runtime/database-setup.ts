import path from 'node:path';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import {
  createDatabase,
  ensureAppRole,
  migrateToLatest,
  readOrCreateSecretFile,
  sql,
  startEmbeddedPostgres,
  type Database,
  type EmbeddedPostgres,
  type Kysely,
} from '@kindling/db';

export interface DatabaseSetup {
  /** How to describe the database to a person, e.g. "embedded PostgreSQL 18.4 on 127.0.0.1:5433". */
  readonly description: string;
  /** The application-role connection; the owner connection is closed once setup is done. */
  readonly appUrl: string;
  readonly appliedMigrations: readonly string[];
  /** The loopback port of the embedded server; undefined with an external database. */
  readonly embeddedPort: number | undefined;
  stop(): Promise<void>;
}

const minimumServerVersion = 150000;

/**
 * Brings up the database (embedded, or the external one in DATABASE_URL), applies migrations as
 * the owner, and makes sure the application role exists. Only the app role's URL leaves here.
 */
export async function setUpDatabase(config: Config, logger: Logger): Promise<DatabaseSetup> {
  const { embedded, ownerUrl } = await startDatabaseServer(config, logger);
  try {
    const ownerDb = createDatabase({ url: ownerUrl, maxConnections: 1, applicationName: 'kindling-migrate' }) as Kysely<unknown>;
    try {
      const version = await readServerVersion(ownerDb);
      const outcome = await migrateToLatest(ownerDb);
      const appUrl = await resolveAppUrl(config, ownerDb, ownerUrl);
      const where = embedded === undefined ? `external PostgreSQL ${version.text} (${redactUrl(ownerUrl)})` : `embedded PostgreSQL ${version.text} on 127.0.0.1:${String(embedded.port)}, data in ${embedded.dataDirectory}`;
      return { description: where, appUrl, appliedMigrations: outcome.applied, embeddedPort: embedded?.port, stop: async () => embedded?.stop() };
    } finally {
      await ownerDb.destroy();
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** An owner-role connection for admin commands that must see past row-level security. */
export interface OwnerDatabase {
  readonly db: Kysely<Database>;
  /** As in DatabaseSetup, e.g. "external PostgreSQL 17.2 (db.example:5432/kindling)". */
  readonly description: string;
  /** Closes the connection, and stops the embedded server when this call started it. */
  close(): Promise<void>;
}

/**
 * Connects as the owner, the same way `db migrate` does (starting the embedded server if that is
 * the configuration), without migrating or touching roles. For admin commands such as
 * `kindling audit verify`; requests and jobs never use it. With the embedded database the
 * caller holds the instance lock, since the server must not run twice on the same data.
 */
export async function openOwnerDatabase(config: Config, logger: Logger): Promise<OwnerDatabase> {
  const { embedded, ownerUrl } = await startDatabaseServer(config, logger);
  const db = createDatabase({ url: ownerUrl, maxConnections: 1, applicationName: 'kindling-admin' });
  try {
    const version = await readServerVersion(db as Kysely<unknown>);
    const description =
      embedded === undefined
        ? `external PostgreSQL ${version.text} (${redactUrl(ownerUrl)})`
        : `embedded PostgreSQL ${version.text}, data in ${embedded.dataDirectory}`;
    return {
      db,
      description,
      async close() {
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
}

/** Both connections an operator command needs: the owner (past row-level security) and the application role. */
export interface OperatorDatabases {
  readonly ownerDb: Kysely<Database>;
  readonly appDb: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Brings the database up and migrated as `kindling start` does, and keeps both connections open
 * for an operator command (`kindling backup`): the application role for everything the app itself
 * may do, the owner only for what it may not (restoring rows, listing every organisation). With
 * the embedded database the caller holds the instance lock.
 */
export async function openOperatorDatabases(config: Config, logger: Logger): Promise<OperatorDatabases> {
  const { embedded, ownerUrl } = await startDatabaseServer(config, logger);
  const ownerDb = createDatabase({ url: ownerUrl, maxConnections: 2, applicationName: 'kindling-operator' });
  try {
    await readServerVersion(ownerDb as Kysely<unknown>);
    await migrateToLatest(ownerDb as Kysely<unknown>);
    const appUrl = await resolveAppUrl(config, ownerDb as Kysely<unknown>, ownerUrl);
    const appDb = createDatabase({ url: appUrl, maxConnections: 4, applicationName: 'kindling-operator-app' });
    return {
      ownerDb,
      appDb,
      async close() {
        await appDb.destroy();
        await ownerDb.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await ownerDb.destroy();
    await embedded?.stop();
    throw error;
  }
}

async function startDatabaseServer(config: Config, logger: Logger): Promise<{ embedded: EmbeddedPostgres | undefined; ownerUrl: string }> {
  const embedded =
    config.database.mode === 'embedded'
      ? await startEmbeddedPostgres({
          directory: path.join(config.home, 'postgres'),
          port: config.database.port,
          onLog: (line) => {
            logger.debug({ component: 'postgres' }, line);
          },
        })
      : undefined;
  const ownerUrl = embedded?.ownerUrl ?? (config.database.mode === 'external' ? config.database.url : '');
  return { embedded, ownerUrl };
}

async function readServerVersion(db: Kysely<unknown>): Promise<{ number: number; text: string }> {
  let rows: { num: string; text: string }[];
  try {
    ({ rows } = await sql<{ num: string; text: string }>`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text`.execute(db));
  } catch (error) {
    throw new AppError('UNAVAILABLE', `Cannot connect to PostgreSQL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const number = Number(rows[0]?.num ?? 0);
  const text = rows[0]?.text ?? 'unknown';
  if (number < minimumServerVersion) {
    throw new AppError('UNAVAILABLE', `PostgreSQL ${text} is too old: Kindling needs PostgreSQL 15 or newer`);
  }
  return { number, text };
}

/** Where the generated password of the application role is kept (mode 0600). */
export function appPasswordFile(config: Config): string {
  return path.join(config.home, 'secrets', 'app-database-password');
}

async function resolveAppUrl(config: Config, ownerDb: Kysely<unknown>, ownerUrl: string): Promise<string> {
  if (config.database.mode === 'external' && config.database.appUrl !== undefined) return config.database.appUrl;
  const password = await readOrCreateSecretFile(appPasswordFile(config));
  return ensureAppRole(ownerDb, ownerUrl, password);
}

/** For display: host, port and database only, never credentials. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
