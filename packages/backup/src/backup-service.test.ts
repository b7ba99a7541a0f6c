import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContactStore, type ContactStore } from '@kindling/contacts';
import { createDataProtection, createLocalRootKeyProvider, type RootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { globalTables, sql, withTenant } from '@kindling/db';
import { createTestDatabase, hmacBlindIndexForTests, seedMembership, seedOrganisation, seedUser, type TestDatabase } from '@kindling/db/testing';
import { createEncryptedObjectStore, createLocalFolderStore, type ObjectStore } from '@kindling/object-store';
import { backupTables, createBackupService, tablesNotBackedUp, type BackupService } from './index.js';

let db: TestDatabase;
let folder: string;
let rootKeyProvider: RootKeyProvider;
let objectStore: (orgId: string) => ObjectStore;
let backups: BackupService;
let contacts: ContactStore;
const blindIndex = hmacBlindIndexForTests(randomBytes(32));

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-backup-test-'));
  rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  // No KEK cache: a destroy by the operator must be seen at once by this process.
  const dataProtection = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 }) });
  const backend = createLocalFolderStore({ root: folder });
  objectStore = (orgId) => createEncryptedObjectStore({ backend, dataProtection, orgId });
  backups = createBackupService({ db: db.appDb, objectStore });
  // Contacts are written through a cached key store, as the API does: thousands of rows stay fast.
  contacts = createContactStore({ db: db.appDb, fields: createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) }) });
});
afterAll(async () => {
  await db.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

/** An organisation with members, an invitation, an API token and contacts. */
async function populatedOrganisation(contactCount = 3): Promise<string> {
  const orgId = (await seedOrganisation(db.ownerDb, 'Friends of the Earthworm')).id;
  for (const role of ['owner', 'analyst'] as const) {
    const user = await seedUser(db.ownerDb, `${randomUUID()}@example.org`, blindIndex);
    await seedMembership(db.ownerDb, orgId, user.id, role);
  }
  await withTenant(db.appDb, { orgId }, async (trx) => {
    await trx
      .insertInto('invitation')
      .values({ org_id: orgId, email_blind_index: randomBytes(32), role: 'viewer', token_hash: randomBytes(32), expires_at: new Date(Date.now() + 86_400_000) })
      .execute();
    await trx.insertInto('api_token').values({ org_id: orgId, role: 'analyst', name: 'reporting', token_hash: randomBytes(32) }).execute();
  });
  for (let i = 0; i < contactCount; i += 1) {
    await contacts.saveContact(orgId, {
      externalId: `C${String(i)}`,
      kind: i % 10 === 0 ? 'organisation' : 'individual',
      createdOn: '2020-01-31',
      personal: i % 10 === 0 ? { organisationName: `Trust ${String(i)}` } : { givenNames: `Given ${String(i)}`, email: `p${String(i)}@example.org`, notes: 'line one\nline "two"' },
      postcodeDistrict: 'EC1A',
      birthYear: 1950 + (i % 50),
      flags: { doNotMail: i % 3 === 0 },
    });
  }
  return orgId;
}

/** JSON documents (custom attributes, a saved mapping) and a plan's payment failure, which a restore must give back exactly. */
async function addImportRecords(orgId: string): Promise<void> {
  await withTenant(db.appDb, { orgId }, async (trx) => {
    await trx.updateTable('contact').set({ custom_attributes: JSON.stringify({ wealth: 186_800.5, branch: 'North "Hub"' }) }).where('org_id', '=', orgId).execute();
    await trx.insertInto('contact_attribute').values({ org_id: orgId, name: 'wealth', kind: 'numeric' }).execute();
    await trx
      .insertInto('import_mapping')
      .values({ org_id: orgId, name: 'Old CRM', entity: 'contacts', header_signature: 'b'.repeat(64), columns: JSON.stringify([{ header: 'Ref', target: { field: 'external_id' } }, { header: 'Notes', target: null }]) })
      .execute();
    const contact = await trx.selectFrom('contact').select('id').where('org_id', '=', orgId).orderBy('id').executeTakeFirst();
    if (contact === undefined) return;
    const plan = await trx
      .insertInto('recurring_plan')
      .values({ org_id: orgId, external_id: 'P1', contact_id: contact.id, start_date: '2024-01-01', amount: 10, currency: 'GBP', row_hash: randomBytes(32) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('recurring_plan_payment_failure').values({ org_id: orgId, plan_id: plan.id, failed_on: '2024-07-01', amount: 10, reason: 'Insufficient funds', row_hash: randomBytes(32) }).execute();
  });
}

/** Every row of every backed-up table of the organisation, as PostgreSQL renders it. */
async function snapshot(orgId: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  await withTenant(db.ownerDb, { orgId }, async (trx) => {
    for (const table of backupTables) {
      const { rows } = await sql<{ line: string }>`
        SELECT row_to_json(t)::text AS line FROM ${sql.table(table.name)} t
        WHERE ${sql.ref(`t.${table.tenantColumn}`)} = ${orgId} ORDER BY 1`.execute(trx);
      result[table.name] = rows.map((row) => row.line);
    }
  });
  return result;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('backups', () => {
  it('round-trip: restoring puts back every row exactly, in place of later changes, and leaves other organisations alone', async () => {
    // More contacts than one page (500), so paging on both sides is exercised.
    const orgId = await populatedOrganisation(1203);
    await addImportRecords(orgId);
    const bystander = await populatedOrganisation();
    const before = await snapshot(orgId);
    const bystanderBefore = await snapshot(bystander);
    const manifest = await backups.createBackup(orgId);
    expect(manifest.tables).toEqual(
      backupTables.map((table) => ({ name: table.name, rows: before[table.name]?.length ?? -1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown })),
    );
    expect(manifest.tables.find((table) => table.name === 'contact')?.rows).toBe(1203);

    const doomed = await contacts.findByExternalId(orgId, 'C5');
    await withTenant(db.ownerDb, { orgId }, async (trx) => {
      await trx.deleteFrom('contact').where('id', '=', doomed?.id ?? '').execute();
      await trx.updateTable('organisation').set({ name: 'Renamed' }).where('id', '=', orgId).execute();
      await trx.updateTable('membership').set({ role: 'viewer' }).where('org_id', '=', orgId).execute();
      await trx.updateTable('api_token').set({ revoked_at: new Date() }).where('org_id', '=', orgId).execute();
    });
    await contacts.saveContact(orgId, { externalId: 'NEW', kind: 'individual', personal: { familyName: 'Later' } });
    await contacts.saveContact(orgId, { externalId: 'C7', kind: 'individual', personal: { familyName: 'Changed' } });
    expect(await snapshot(orgId)).not.toEqual(before);

    await backups.restoreBackup(orgId, manifest.id, db.ownerDb);
    expect(await snapshot(orgId)).toEqual(before);
    expect(await snapshot(bystander)).toEqual(bystanderBefore);
    // Ciphertexts are bound to their rows, and the rows kept their ids: they decrypt as before.
    expect((await contacts.findByExternalId(orgId, 'C5'))?.personal.givenNames).toBe('Given 5');
    expect((await contacts.findByExternalId(orgId, 'C7'))?.personal.notes).toBe('line one\nline "two"');
    expect(await contacts.findByExternalId(orgId, 'NEW')).toBeUndefined();

    expect((await backups.listBackups(orgId)).map((backup) => [backup.id, backup.rows['contact']])).toEqual([[manifest.id, 1203]]);
    expect(await backups.listBackups(bystander)).toEqual([]);
  });

  it('keeps backups encrypted under the organisation: stored objects hold no readable row and name no person', async () => {
    const orgId = (await seedOrganisation(db.ownerDb)).id;
    await contacts.saveContact(orgId, { externalId: 'X-1', kind: 'individual', personal: { familyName: 'Zebedee-Quartz' } });
    const manifest = await backups.createBackup(orgId);
    const files = (await fs.readdir(path.join(folder, 'org', orgId, 'backups', manifest.id))).sort();
    expect(files).toEqual(['data.jsonl', 'manifest.json']);
    for (const file of files) {
      const stored = await fs.readFile(path.join(folder, 'org', orgId, 'backups', manifest.id, file));
      for (const needle of ['Zebedee', '"table"', 'contact', 'kindling.backup']) expect(stored.includes(Buffer.from(needle)), `${file}: ${needle}`).toBe(false);
    }
    // Moved to another organisation's folder, the objects do not decrypt there.
    const other = (await seedOrganisation(db.ownerDb)).id;
    await fs.cp(path.join(folder, 'org', orgId, 'backups'), path.join(folder, 'org', other, 'backups'), { recursive: true });
    expect(await failureOf(backups.restoreBackup(other, manifest.id, db.ownerDb))).toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses a backup of another schema version, and one whose data does not match its manifest, restoring nothing', async () => {
    const orgId = await populatedOrganisation();
    const manifest = await backups.createBackup(orgId);
    await contacts.saveContact(orgId, { externalId: 'AFTER', kind: 'individual', personal: {} });
    const before = await snapshot(orgId);
    const store = objectStore(orgId);

    const future = { ...manifest, id: manifest.id.replace(/.{8}$/, 'ffffffff'), schemaVersion: '9999-from-the-future' };
    await store.put(`backups/${future.id}/manifest.json`, Buffer.from(JSON.stringify(future)));
    await store.put(`backups/${future.id}/data.jsonl`, await text(store.get(`backups/${manifest.id}/data.jsonl`)).then((data) => Buffer.from(data)));
    const mismatch = await failureOf(backups.restoreBackup(orgId, future.id, db.ownerDb));
    expect(mismatch).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/schema version 9999-from-the-future, but this database is at 0\d{3}-/) as unknown });

    const data = await text(store.get(`backups/${manifest.id}/data.jsonl`));
    const lines = data.split('\n');
    const truncated = { ...manifest, id: manifest.id.replace(/.{8}$/, 'eeeeeeee') };
    await store.put(`backups/${truncated.id}/manifest.json`, Buffer.from(JSON.stringify(truncated)));
    await store.put(`backups/${truncated.id}/data.jsonl`, Buffer.from([...lines.slice(0, 5), ...lines.slice(6)].join('\n')));
    expect(await failureOf(backups.restoreBackup(orgId, truncated.id, db.ownerDb))).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/does not match its manifest; nothing was restored/) as unknown,
    });
    expect(await snapshot(orgId)).toEqual(before);
    expect(await failureOf(backups.restoreBackup(orgId, '20200101-000000-00000000', db.ownerDb))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says a backup missing a row that others point at is incomplete, not a database error, and restores nothing', async () => {
    const orgId = await populatedOrganisation();
    await addImportRecords(orgId);
    const manifest = await backups.createBackup(orgId);
    const before = await snapshot(orgId);
    const store = objectStore(orgId);
    const lines = (await text(store.get(`backups/${manifest.id}/data.jsonl`))).split('\n');
    const plan = lines.find((line) => line.startsWith('{"table":"recurring_plan",'));
    const contactId = /"contact_id":"([0-9a-f-]{36})"/u.exec(plan ?? '')?.[1];
    const contactLine = lines.findIndex((line) => line.startsWith('{"table":"contact",') && line.includes(`"id":"${contactId ?? 'none'}"`));
    expect(contactLine).toBeGreaterThanOrEqual(0);
    const cut = { ...manifest, id: manifest.id.replace(/.{8}$/, 'dddddddd') };
    await store.put(`backups/${cut.id}/manifest.json`, Buffer.from(JSON.stringify(cut)));
    await store.put(`backups/${cut.id}/data.jsonl`, Buffer.from(lines.filter((_, index) => index !== contactLine).join('\n')));
    expect(await failureOf(backups.restoreBackup(orgId, cut.id, db.ownerDb))).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/incomplete or does not match its manifest; nothing was restored/) as unknown,
    });
    expect(await snapshot(orgId)).toEqual(before);
  });

  it('cannot be read once the organisation keys are destroyed: restore and list fail with a clear error', async () => {
    const orgId = await populatedOrganisation();
    const manifest = await backups.createBackup(orgId);
    await createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider, cacheTtlMs: 0 }).destroy(orgId);
    // Started one at a time: a second promise made up front could reject before anyone listens.
    for (const attempt of [() => backups.restoreBackup(orgId, manifest.id, db.ownerDb), () => backups.listBackups(orgId)]) {
      expect(await failureOf(attempt())).toMatchObject({
        code: 'NOT_FOUND',
        message: "This organisation's encryption keys were destroyed: its backups can no longer be read by anyone",
        details: { reason: 'keys_destroyed' },
      });
    }
  });

  it('restores into another, empty database that has only the key store (and the accounts its members use)', async () => {
    const orgId = await populatedOrganisation();
    const before = await snapshot(orgId);
    const manifest = await backups.createBackup(orgId);
    const fresh = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
    try {
      // What survives a lost database: the organisation's key store (its row and wrapped KEKs,
      // under the same root key) and the global accounts; nothing of its tenant data.
      const copy = async (table: 'organisation' | 'organisation_key' | 'app_user', where: ReturnType<typeof sql>): Promise<void> => {
        const { rows } = await withTenant(db.ownerDb, { orgId }, (trx) =>
          sql<{ json: string }>`SELECT coalesce(json_agg(t), '[]')::text AS json FROM ${sql.table(table)} t WHERE ${where}`.execute(trx),
        );
        // Generated columns (organisation_key.organisation_ref) are recomputed, never copied.
        const { rows: columns } = await sql<{ name: string }>`
          SELECT attname AS name FROM pg_attribute WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
          ORDER BY attnum`.execute(fresh.ownerDb);
        const list = sql.join(columns.map((column) => sql.id(column.name)));
        await withTenant(fresh.ownerDb, { orgId }, (trx) =>
          sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${rows[0]?.json ?? '[]'}::json)`.execute(trx),
        );
      };
      await copy('organisation', sql`id = ${orgId}`);
      await copy('organisation_key', sql`org_id = ${orgId}`);
      await copy('app_user', sql`true`);

      const dataProtection = createDataProtection({ keyStore: createPostgresKeyStore({ db: fresh.appDb, rootKeyProvider, cacheTtlMs: 0 }) });
      const backend = createLocalFolderStore({ root: folder });
      const elsewhere = createBackupService({ db: fresh.appDb, objectStore: (id) => createEncryptedObjectStore({ backend, dataProtection, orgId: id }) });
      await elsewhere.restoreBackup(orgId, manifest.id, fresh.ownerDb);

      const restored: Record<string, string[]> = {};
      await withTenant(fresh.ownerDb, { orgId }, async (trx) => {
        for (const table of backupTables) {
          const { rows } = await sql<{ line: string }>`
            SELECT row_to_json(t)::text AS line FROM ${sql.table(table.name)} t WHERE ${sql.ref(`t.${table.tenantColumn}`)} = ${orgId} ORDER BY 1`.execute(trx);
          restored[table.name] = rows.map((row) => row.line);
        }
      });
      expect(restored).toEqual(before);
      const contactsThere = createContactStore({ db: fresh.appDb, fields: dataProtection });
      expect((await contactsThere.findByExternalId(orgId, 'C1'))?.personal.givenNames).toBe('Given 1');
    } finally {
      await fresh.drop();
    }
  });

  it('covers every tenant table: each is backed up or left out with a reason', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'`.execute(db.ownerDb);
    const tenantTables = rows.map((row) => row.name).filter((name) => !(name in globalTables) || name === 'organisation');
    const covered = new Set([...backupTables.map((table) => table.name), ...Object.keys(tablesNotBackedUp)]);
    expect(tenantTables.filter((name) => !covered.has(name)).sort()).toEqual([]);
  });
});
