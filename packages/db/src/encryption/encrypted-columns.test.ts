import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { encryptedColumns, globalTables } from '../index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';

/**
 * The registry of encrypted columns against the migrated schema, read from the catalog: a new
 * `*_ciphertext` column that the re-wrap job would not know about fails here.
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});

afterAll(async () => {
  await db.drop();
});

interface CatalogColumn {
  table: string;
  column: string;
  type: string;
}

async function columns(): Promise<CatalogColumn[]> {
  const { rows } = await sql<CatalogColumn>`
    SELECT table_name AS table, column_name AS column, data_type AS type
    FROM information_schema.columns WHERE table_schema = 'public'
    ORDER BY table_name, column_name`.execute(db.ownerDb);
  return rows;
}

describe('encryptedColumns', () => {
  it('lists every bytea column named *_ciphertext, and nothing else', async () => {
    const inSchema = (await columns()).filter((c) => c.type === 'bytea' && c.column.endsWith('_ciphertext')).map((c) => `${c.table}.${c.column}`);
    const registered = encryptedColumns.map((c) => `${c.table}.${c.column}`);
    expect(inSchema.length).toBeGreaterThanOrEqual(2);
    expect([...registered].sort()).toEqual(inSchema.sort());
    expect(new Set(registered).size).toBe(registered.length);
  });

  it('names each column by its single-column primary key, and the right key scope', async () => {
    const { rows: keys } = await sql<{ table: string; column: string }>`
      SELECT tc.table_name AS table, string_agg(kcu.column_name, ',') AS column
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
      GROUP BY tc.table_name`.execute(db.ownerDb);
    const primaryKey = new Map(keys.map((k) => [k.table, k.column]));
    const withOrgId = new Set((await columns()).filter((c) => c.column === 'org_id').map((c) => c.table));
    for (const entry of encryptedColumns) {
      expect(primaryKey.get(entry.table), `${entry.table} primary key`).toBe(entry.idColumn);
      // Organisation data sits in fenced tables with org_id; platform data only in global tables.
      if (entry.scope === 'organisation') expect(withOrgId.has(entry.table), `${entry.table}.org_id`).toBe(true);
      else expect(Object.keys(globalTables), entry.table).toContain(entry.table);
    }
  });
});
