import { Migrator, type Kysely, type MigrationResult } from 'kysely';
import { AppError } from '@kindling/errors';
import { migrations } from './migrations/migration-list.js';

export interface MigrationOutcome {
  readonly applied: readonly string[];
  readonly latest: string | null;
}

/**
 * Applies every pending migration as the owner role. Kysely takes a lock so concurrent starts
 * serialise, and refuses to run when the database holds a migration this build does not know
 * (a newer version ran against it): that is reported instead of guessed around.
 */
export async function migrateToLatest(ownerDb: Kysely<unknown>): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db: ownerDb,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error !== undefined) {
    const which = failed === undefined ? '' : ` (${failed.migrationName})`;
    throw new AppError('UNAVAILABLE', `Database migration failed${which}: ${describe(error)}`, { cause: error });
  }
  const names = Object.keys(migrations);
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    latest: names.at(-1) ?? null,
  };
}

export const knownMigrations: readonly string[] = Object.keys(migrations);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
