export { createDatabase, type DatabaseOptions } from './connection.js';
export { migrateToLatest, knownMigrations, type MigrationOutcome } from './migrator.js';
export { ensureAppRole, appRoleName } from './app-role.js';
export { pingDatabase, readDatabaseStatus, type DatabaseStatus } from './database-status.js';
export { readOrCreateSecretFile } from './secret-file.js';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded/embedded-postgres-server.js';
export { jobStatuses } from './schema.js';
export type { Database, Job, NewJob, JobStatus, JobTable, Dispatcher } from './schema.js';
export { sql, type Kysely, type Transaction } from 'kysely';
