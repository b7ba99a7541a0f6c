import fs from 'node:fs/promises';
import { backupIdPattern, createBackupService, type BackupManifest, type BackupService } from '@kindling/backup';
import type { Config } from '@kindling/config';
import { requireTenant, type Database, type Kysely } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { openOperatorDatabases, type OperatorDatabases } from '../runtime/database-setup.js';
import { acquireInstanceLock } from '../runtime/instance-lock.js';
import { createPlatformServices } from '../runtime/platform-services.js';

type Print = (line: string) => void;

interface BackupContext {
  readonly backups: BackupService;
  readonly databases: OperatorDatabases;
  readonly objectStoreHas: (orgId: string, key: string) => Promise<boolean>;
}

/**
 * Runs a backup command with the database up, the platform services built over the
 * application role, and (embedded database) the instance lock held: backups are taken and
 * restored while Kindling is stopped, so a restore never races a running import.
 */
async function withBackups<T>(config: Config, logger: Logger, work: (context: BackupContext) => Promise<T>): Promise<T> {
  await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
  const lock = config.database.mode === 'embedded' ? await acquireInstanceLock(config.home) : undefined;
  try {
    const databases = await openOperatorDatabases(config, logger);
    try {
      const platform = await createPlatformServices(config, databases.appDb, logger);
      const backups = createBackupService({ db: databases.appDb, objectStore: platform.objectStore });
      return await work({ backups, databases, objectStoreHas: (orgId, key) => platform.objectStore(orgId).exists(key) });
    } finally {
      await databases.close();
    }
  } finally {
    await lock?.release();
  }
}

/** The organisations a command acts on: the one given, or every organisation not deleted. */
async function organisations(ownerDb: Kysely<Database>, org: string | undefined): Promise<string[]> {
  if (org !== undefined) return [requireTenant(org)];
  const rows = await ownerDb.selectFrom('organisation').select('id').where('deleted_at', 'is', null).orderBy('created_at').execute();
  return rows.map((row) => row.id);
}

function describeRows(manifest: Pick<BackupManifest, 'tables'>): string {
  return manifest.tables.map((table) => `${table.name} ${String(table.rows)}`).join(', ');
}

/** `kindling backup create [--org ID]`: one backup per organisation (all of them without --org). */
export async function backupCreateCommand(options: { org?: string }, config: Config, logger: Logger, print: Print): Promise<void> {
  await withBackups(config, logger, async ({ backups, databases }) => {
    const orgIds = await organisations(databases.ownerDb, options.org);
    if (orgIds.length === 0) print('No organisations to back up.');
    for (const orgId of orgIds) {
      const manifest = await backups.createBackup(orgId);
      print(`backup ${manifest.id} of organisation ${orgId}: ${describeRows(manifest)} (schema ${manifest.schemaVersion})`);
    }
  });
}

/** `kindling backup list [--org ID]`. */
export async function backupListCommand(options: { org?: string }, config: Config, logger: Logger, print: Print): Promise<void> {
  await withBackups(config, logger, async ({ backups, databases }) => {
    for (const orgId of await organisations(databases.ownerDb, options.org)) {
      const list = await backups.listBackups(orgId);
      print(`organisation ${orgId}: ${list.length === 0 ? 'no backups' : `${String(list.length)} backup(s)`}`);
      for (const backup of list) {
        const rows = Object.entries(backup.rows).map(([table, count]) => `${table} ${String(count)}`).join(', ');
        print(`  ${backup.id}  ${backup.createdAt}  schema ${backup.schemaVersion}  ${rows}`);
      }
    }
  });
}

/**
 * `kindling backup restore ID [--org ID]`: replaces the organisation's rows with the backup's in
 * one transaction. Without --org, the organisation is the one that holds a backup with that id.
 */
export async function backupRestoreCommand(backupId: string, options: { org?: string }, config: Config, logger: Logger, print: Print): Promise<void> {
  await withBackups(config, logger, async ({ backups, databases, objectStoreHas }) => {
    if (!backupIdPattern.test(backupId)) throw new AppError('BAD_REQUEST', `"${backupId}" is not a backup id (see \`kindling backup list\`)`);
    let orgId = options.org === undefined ? undefined : requireTenant(options.org);
    if (orgId === undefined) {
      for (const candidate of await organisations(databases.ownerDb, undefined)) {
        if (await objectStoreHas(candidate, `backups/${backupId}/manifest.json`)) orgId = candidate;
      }
    }
    if (orgId === undefined) throw new AppError('NOT_FOUND', `No organisation has a backup ${backupId}; name the organisation with --org`);
    const manifest = await backups.restoreBackup(orgId, backupId, databases.ownerDb);
    print(`restored backup ${manifest.id} into organisation ${orgId}: ${describeRows(manifest)}`);
  });
}
