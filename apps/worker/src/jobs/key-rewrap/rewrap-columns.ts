import { encryptedColumns, sql, type Database, type EncryptedColumn, type Kysely, type Transaction } from '@kindling/db';
import { readEnvelopeHeader } from '@kindling/crypto';
import { isUnmovable, versionBytes, type KeyRewrapServices, type RewrapCounts } from './rewrap-scope.js';

/** Runs one batch's statements in a transaction that sees the scope's rows. */
export type ScopeTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

interface ColumnPass {
  readonly db: ScopeTransaction;
  readonly services: Pick<KeyRewrapServices, 'fields'>;
  /** The organisation id, or the platform scope id for platform columns. */
  readonly scopeId: string;
  readonly scope: EncryptedColumn['scope'];
  readonly version: number;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

interface Candidate {
  id: string;
  ciphertext: Buffer;
}

/**
 * Moves every registered column of the scope to `version`, batch by batch. Only rows whose
 * header (bytes 22–26, the big-endian KEK version) is older are read, so a rerun after a crash
 * or a second run finds only what is left: the pass is idempotent and resumable. Each row is
 * written with a compare-and-swap on the old ciphertext, so a value changed meanwhile is left
 * to its writer (who encrypted it under the current version anyway).
 */
export async function rewrapColumns(pass: ColumnPass, counts: RewrapCounts): Promise<void> {
  for (const column of encryptedColumns.filter((entry) => entry.scope === pass.scope)) {
    let cursor: string | undefined;
    for (;;) {
      pass.signal.throwIfAborted();
      const done = await pass.db(async (trx) => {
        const batch = await oldRows(trx, column, pass, cursor);
        for (const row of batch) {
          if (await rewrapRow(trx, column, pass, row)) counts.rowsRewrapped += 1;
          else counts.skipped += 1;
        }
        cursor = batch.at(-1)?.id ?? cursor;
        return batch.length < pass.batchSize;
      });
      if (done) break;
    }
  }
}

async function oldRows(trx: Kysely<Database>, column: EncryptedColumn, pass: ColumnPass, cursor: string | undefined): Promise<Candidate[]> {
  const id = sql.ref(column.idColumn);
  const value = sql.ref(column.column);
  // Identifiers come from the encryptedColumns registry (code, not input); sql.ref quotes them.
  const { rows } = await sql<Candidate>`
    SELECT ${id}::text AS id, ${value} AS ciphertext FROM ${sql.table(column.table)}
    WHERE ${value} IS NOT NULL
      AND substring(${value} FROM 23 FOR 4) < ${versionBytes(pass.version)}
      ${pass.scope === 'organisation' ? sql`AND org_id = ${pass.scopeId}` : sql``}
      ${cursor === undefined ? sql`` : sql`AND ${id} > ${cursor}`}
    ORDER BY ${id} LIMIT ${pass.batchSize}`.execute(trx);
  return rows;
}

async function rewrapRow(trx: Kysely<Database>, column: EncryptedColumn, pass: ColumnPass, row: Candidate): Promise<boolean> {
  let moved: Buffer;
  try {
    // An envelope naming another scope is never re-wrapped under that scope's key from here.
    if (readEnvelopeHeader(row.ciphertext).orgId !== pass.scopeId) return false;
    moved = await pass.services.fields.rewrapObject(row.ciphertext);
  } catch (error) {
    // Malformed or failing its wrap tag: reading it fails the same way; re-wrapping cannot help.
    if (isUnmovable(error)) return false;
    throw error;
  }
  const result = await sql`
    UPDATE ${sql.table(column.table)} SET ${sql.ref(column.column)} = ${moved}
    WHERE ${sql.ref(column.idColumn)} = ${row.id} AND ${sql.ref(column.column)} = ${row.ciphertext}`.execute(trx);
  return result.numAffectedRows === 1n;
}
