import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { isCryptoFailure } from '@kindling/crypto';
import { requireTenant, sql, withTenant, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { AppError, isAppError } from '@kindling/errors';
import type { ObjectStore } from '@kindling/object-store';
import { backupFormat, backupIdPattern, backupManifestSchema, type BackupManifest } from './backup-manifest.js';
import { backupTables, type BackupTable } from './backup-tables.js';

export interface BackupServiceDependencies {
  /** The application-role pool: backups are read through row-level security, as any job reads. */
  readonly db: Kysely<Database>;
  /** An organisation's encrypted object store (keys relative, objects bound to the organisation). */
  readonly objectStore: (orgId: string) => ObjectStore;
}

export interface BackupSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly schemaVersion: string;
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Logical, per-organisation backups of the organisation's tenant rows (see docs/data-protection.md,
 * "Backups"). Encrypted columns stay ciphertext, and the whole backup is encrypted again by the
 * object store under the organisation's key; no key material is ever part of a backup.
 */
export interface BackupService {
  createBackup(orgId: string): Promise<BackupManifest>;
  /** Finished backups (those with a manifest), oldest first. */
  listBackups(orgId: string): Promise<BackupSummary[]>;
  /**
   * Replaces the organisation's rows with the backup's, in one transaction that commits only if
   * every row arrived and every checksum matched. Needs a connection that may delete the
   * organisation's rows (the owner role: restoring is an operator task, like crypto-shredding).
   */
  restoreBackup(orgId: string, backupId: string, ownerDb: Kysely<Database>): Promise<BackupManifest>;
}

const pageSize = 500;
const dataKey = (id: string): string => `backups/${id}/data.jsonl`;
const manifestKey = (id: string): string => `backups/${id}/manifest.json`;
const linePattern = /^\{"table":"([a-z_]+)","row":(.*)\}$/;

function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** The last applied migration, which fixes the shape of every table. */
async function schemaVersion(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('kysely_migration').select((eb) => eb.fn.max<string | null>('name').as('latest')).executeTakeFirst();
  if (row?.latest === undefined || row.latest === null) throw new AppError('CONFLICT', 'The database is not migrated');
  return row.latest;
}

/** The organisation's rows of one table as JSON lines, read in pages by key inside one snapshot. */
async function* tableLines(trx: TenantTransaction, table: BackupTable, orgId: string): AsyncGenerator<string> {
  let after: string | null = null;
  for (;;) {
    const key = sql.ref(`t.${table.key}`);
    const { rows }: { rows: { line: string; k: string }[] } = await sql<{ line: string; k: string }>`
      SELECT row_to_json(t)::text AS line, ${key}::text AS k
      FROM ${sql.table(table.name)} t
      WHERE ${sql.ref(`t.${table.tenantColumn}`)} = ${orgId} AND (${after}::uuid IS NULL OR ${key} > ${after}::uuid)
      ORDER BY ${key}
      LIMIT ${pageSize}`.execute(trx);
    for (const row of rows) yield `{"table":"${table.name}","row":${row.line}}\n`;
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return;
    after = last.k;
  }
}

function keysDestroyedForBackups(cause: unknown): AppError {
  return new AppError('NOT_FOUND', "This organisation's encryption keys were destroyed: its backups can no longer be read by anyone", {
    details: { reason: 'keys_destroyed' },
    cause,
  });
}

/** Rethrows a crypto failure of a shredded organisation as the backup-specific message. */
function explainCryptoFailure(error: unknown): never {
  if (isCryptoFailure(error, 'keys_destroyed')) throw keysDestroyedForBackups(error);
  throw error;
}

export function createBackupService(deps: BackupServiceDependencies): BackupService {
  async function readManifest(store: ObjectStore, backupId: string): Promise<BackupManifest> {
    if (!backupIdPattern.test(backupId)) throw new AppError('BAD_REQUEST', 'A backup id looks like 20261129-083100-1a2b3c4d');
    let raw: string;
    try {
      raw = await text(store.get(manifestKey(backupId)));
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND' && !isCryptoFailure(error)) {
        throw new AppError('NOT_FOUND', `There is no backup ${backupId} of this organisation`, { cause: error });
      }
      explainCryptoFailure(error);
    }
    const parsed = backupManifestSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new AppError('INTERNAL', `The manifest of backup ${backupId} is not valid`, { cause: parsed.error });
    return parsed.data;
  }

  return {
    async createBackup(orgId) {
      const org = requireTenant(orgId);
      const store = deps.objectStore(org);
      const id = newBackupId(new Date());
      const version = await schemaVersion(deps.db);
      const dataHash = createHash('sha256');
      let bytes = 0;
      const tables: BackupManifest['tables'] = [];

      await withTenant(
        deps.db,
        { orgId: org },
        async (trx) => {
          async function* lines(): AsyncGenerator<Buffer> {
            for (const table of backupTables) {
              const tableHash = createHash('sha256');
              let rows = 0;
              for await (const line of tableLines(trx, table, org)) {
                const chunk = Buffer.from(line, 'utf8');
                tableHash.update(chunk);
                dataHash.update(chunk);
                bytes += chunk.length;
                rows += 1;
                yield chunk;
              }
              tables.push({ name: table.name, rows, sha256: tableHash.digest('hex') });
            }
          }
          await store.put(dataKey(id), Readable.from(lines()));
        },
        { snapshot: true },
      ).catch(explainCryptoFailure);

      const manifest: BackupManifest = {
        format: backupFormat,
        id,
        orgId: org,
        createdAt: new Date().toISOString(),
        schemaVersion: version,
        tables,
        data: { bytes, sha256: dataHash.digest('hex') },
      };
      await store.put(manifestKey(id), Buffer.from(JSON.stringify(manifest), 'utf8')).catch(explainCryptoFailure);
      return manifest;
    },

    async listBackups(orgId) {
      const store = deps.objectStore(requireTenant(orgId));
      const manifests = (await store.list('backups/')).filter((info) => info.key.endsWith('/manifest.json'));
      const summaries: BackupSummary[] = [];
      for (const info of manifests) {
        const manifest = await readManifest(store, info.key.split('/')[1] ?? '');
        summaries.push({
          id: manifest.id,
          createdAt: manifest.createdAt,
          schemaVersion: manifest.schemaVersion,
          rows: Object.fromEntries(manifest.tables.map((table) => [table.name, table.rows])),
        });
      }
      return summaries.sort((a, b) => (a.id < b.id ? -1 : 1));
    },

    async restoreBackup(orgId, backupId, ownerDb) {
      const org = requireTenant(orgId);
      const store = deps.objectStore(org);
      const manifest = await readManifest(store, backupId);
      if (manifest.orgId !== org) throw new AppError('CONFLICT', `Backup ${backupId} belongs to another organisation`);
      const current = await schemaVersion(ownerDb);
      if (manifest.schemaVersion !== current) {
        throw new AppError(
          'CONFLICT',
          `Backup ${backupId} was taken at schema version ${manifest.schemaVersion}, but this database is at ${current}: restore it into a Kindling at the same version`,
        );
      }
      const expected = new Map(manifest.tables.map((table) => [table.name, table]));
      if (backupTables.some((table) => !expected.has(table.name)) || expected.size !== backupTables.length) {
        throw new AppError('CONFLICT', `Backup ${backupId} does not hold the tables this version backs up`);
      }

      await withTenant(ownerDb, { orgId: org }, async (trx) => {
        // Children first; the organisation row stays (deleting it would cascade to its keys).
        for (const table of [...backupTables].reverse()) {
          if (table.name !== 'organisation') await sql`DELETE FROM ${sql.table(table.name)} WHERE org_id = ${org}`.execute(trx);
        }
        await restoreRows(trx, org, store.get(dataKey(backupId)), manifest);
      }).catch(explainCryptoFailure);
      return manifest;
    },
  };
}

/** Streams the data object into the tables, checking every count and checksum before commit. */
async function restoreRows(trx: TenantTransaction, orgId: string, data: Readable, manifest: BackupManifest): Promise<void> {
  const dataHash = createHash('sha256');
  const seen = new Map<string, { rows: number; hash: Hash }>(manifest.tables.map((table) => [table.name, { rows: 0, hash: createHash('sha256') }]));
  const order = backupTables.map((table) => table.name as string);
  let bytes = 0;
  let batch: { table: string; rows: string[] } | undefined;

  const flush = async (): Promise<void> => {
    if (batch === undefined || batch.rows.length === 0) return;
    await insertRows(trx, orgId, batch.table, batch.rows).catch((error: unknown) => {
      // Rows of a whole backup always fit together: a row pointing at a missing one means lines
      // were lost, which the checksums would say at the end; say it now, not as a database error.
      if (isForeignKeyViolation(error)) throw corrupt(manifest.id);
      throw error;
    });
    batch = undefined;
  };

  for await (const line of createInterface({ input: data, crlfDelay: Infinity })) {
    const chunk = Buffer.from(`${line}\n`, 'utf8');
    dataHash.update(chunk);
    bytes += chunk.length;
    const match = linePattern.exec(line);
    const table = match?.[1];
    const row = match?.[2];
    const tally = table === undefined ? undefined : seen.get(table);
    if (table === undefined || row === undefined || tally === undefined) throw corrupt(manifest.id);
    // Tables arrive in restore order; a line of an earlier table after a later one is corruption.
    if (batch !== undefined && batch.table !== table && order.indexOf(table) < order.indexOf(batch.table)) throw corrupt(manifest.id);
    tally.rows += 1;
    tally.hash.update(chunk);
    if (batch?.table !== table) await flush();
    batch ??= { table, rows: [] };
    batch.rows.push(row);
    if (batch.rows.length >= pageSize) await flush();
  }
  await flush();

  const intact =
    bytes === manifest.data.bytes &&
    dataHash.digest('hex') === manifest.data.sha256 &&
    manifest.tables.every((table) => {
      const tally = seen.get(table.name);
      return tally?.rows === table.rows && tally.hash.digest('hex') === table.sha256;
    });
  if (!intact) throw corrupt(manifest.id);
}

function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';
}

function corrupt(backupId: string): AppError {
  return new AppError('INTERNAL', `Backup ${backupId} is incomplete or does not match its manifest; nothing was restored`);
}

/**
 * Inserts rows exactly as PostgreSQL rendered them (json_populate_recordset reverses row_to_json
 * for every column type), refusing any row of another organisation.
 */
async function insertRows(trx: TenantTransaction, orgId: string, tableName: string, rows: readonly string[]): Promise<void> {
  const table = backupTables.find((candidate) => candidate.name === tableName);
  if (table === undefined) throw new AppError('INTERNAL', 'Backup line names an unknown table');
  const json = `[${rows.join(',')}]`;
  const target = sql.table(table.name);
  let affected: bigint | undefined;
  if (table.name === 'organisation') {
    // Updated in place, every column (read from the catalog, so a column added later is restored too).
    const { rows: columns } = await sql<{ name: string }>`
      SELECT attname AS name FROM pg_attribute
      WHERE attrelid = 'public.organisation'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id'
      ORDER BY attnum`.execute(trx);
    const assignments = sql.join(columns.map((column) => sql`${sql.id(column.name)} = r.${sql.id(column.name)}`));
    ({ numAffectedRows: affected } = await sql`
      UPDATE organisation o SET ${assignments}
      FROM json_populate_recordset(NULL::organisation, ${json}::json) r
      WHERE o.id = r.id AND o.id = ${orgId}`.execute(trx));
  } else {
    ({ numAffectedRows: affected } = await sql`
      INSERT INTO ${target}
      SELECT * FROM json_populate_recordset(NULL::${target}, ${json}::json) r WHERE r.org_id = ${orgId}`.execute(trx));
  }
  if (affected !== BigInt(rows.length)) {
    throw new AppError('CONFLICT', `The backup's ${table.name} rows do not all belong to this organisation, or the organisation does not exist here`);
  }
}
