import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataProtection, createLocalRootKeyProvider, platformScopeId, readEnvelopeHeader, type DataProtection, type RootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { encryptedColumns, sql, withTenant, type Database, type Kysely } from '@kindling/db';
import { createTestDatabase, hmacBlindIndexForTests, seedOrganisation, seedUser, type TestDatabase } from '@kindling/db/testing';
import { createLogger } from '@kindling/logger';
import { createEncryptedObjectStore, createLocalFolderStore, type ObjectStore } from '@kindling/object-store';
import { builtInJobs, createJobRegistry, createKeyRewrapJobs, runClaimedJob, submitJob } from '@kindling/worker';
import { rotateKeys } from './key-rotation.js';

/**
 * Rotation and re-wrapping end to end on a real PostgreSQL and a real folder: the operator's
 * side (owner connection) rotates and queues, the job process (application role) re-wraps.
 */

let t: TestDatabase;
let folder: string;
let root: RootKeyProvider;
let backend: ObjectStore;
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => { done(); } }) });

beforeAll(async () => {
  t = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-rewrap-'));
  root = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  backend = createLocalFolderStore({ root: folder });
});

afterAll(async () => {
  await t.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

/** The application's view: what requests and jobs use (no cache, so a rotation shows at once). */
function appServices(): { fields: DataProtection; keyStore: ReturnType<typeof createPostgresKeyStore> } {
  const keyStore = createPostgresKeyStore({ db: t.appDb, rootKeyProvider: root, cacheTtlMs: 0 });
  return { keyStore, fields: createDataProtection({ keyStore }) };
}

function operator(): Parameters<typeof rotateKeys>[0] {
  const keyStore = createPostgresKeyStore({ db: t.ownerDb, rootKeyProvider: root, cacheTtlMs: 0 });
  return { db: t.ownerDb, keyStore, rewrapJobs: createKeyRewrapJobs({ ...appServices(), objectBackend: backend }), rewrapDelayMs: 0 };
}

const contactColumns = encryptedColumns.filter((c) => c.table === 'contact').map((c) => c.column);

async function insertContact(fields: DataProtection, orgId: string): Promise<{ id: string; values: Record<string, string> }> {
  const id = randomUUID();
  const values = Object.fromEntries(contactColumns.map((column) => [column, `${column} of ${id}`]));
  const row: Record<string, unknown> = { id, org_id: orgId, kind: 'individual', external_id_blind_index: randomBytes(32), email_blind_index: randomBytes(32) };
  for (const [column, value] of Object.entries(values)) {
    row[column] = await fields.encryptField(value, { orgId, purpose: 'field', table: 'contact', column, rowId: id });
  }
  await withTenant(t.appDb, { orgId }, (trx) => trx.insertInto('contact').values(row as never).execute());
  return { id, values };
}

async function contactCiphertexts(orgId: string, id: string): Promise<Record<string, Buffer>> {
  return withTenant(t.appDb, { orgId }, async (trx) => {
    const { rows } = await sql<Record<string, Buffer>>`SELECT * FROM contact WHERE id = ${id}`.execute(trx);
    const row = rows[0] ?? {};
    return Object.fromEntries(contactColumns.map((column) => [column, row[column] ?? Buffer.alloc(0)]));
  });
}

async function runQueuedJob(db: Kysely<Database>, jobId: string | null): Promise<unknown> {
  if (jobId === null) throw new Error('no job was queued');
  await db.updateTable('job').set({ status: 'running', attempts: 1, started_at: sql`now()` }).where('id', '=', jobId).execute();
  const rewrap = createKeyRewrapJobs({ ...appServices(), objectBackend: backend });
  const registry = createJobRegistry([...builtInJobs.list(), rewrap.organisation, rewrap.platform]);
  const outcome = await runClaimedJob(jobId, { db: t.appDb, registry, logger: silent, signal: new AbortController().signal });
  const job = await t.ownerDb.selectFrom('job').select(['status', 'result', 'error_message']).where('id', '=', jobId).executeTakeFirstOrThrow();
  expect({ outcome, error: job.error_message }).toEqual({ outcome: 'succeeded', error: null });
  return job.result;
}

async function storedVersion(key: string): Promise<number> {
  const bytes = await fs.readFile(path.join(folder, ...key.split('/')));
  return readEnvelopeHeader(bytes).kekVersion;
}

describe('kindling keys rotate and the re-wrap job', () => {
  it('moves new writes to the new version at once, keeps old data readable, and re-wraps every column and object', async () => {
    const { fields } = appServices();
    const org = await seedOrganisation(t.ownerDb);
    const other = await seedOrganisation(t.ownerDb);
    const objects = createEncryptedObjectStore({ backend, dataProtection: fields, orgId: org.id });
    // Three contacts with a batch size of two below: the keyset pagination takes two batches.
    const contacts = [await insertContact(fields, org.id), await insertContact(fields, org.id), await insertContact(fields, org.id)];
    const bystander = await insertContact(fields, other.id);
    const large = randomBytes(300_000).toString('base64');
    await objects.put('uploads/u1/donors.csv', Buffer.from(large));
    await objects.put('exports/e1.csv', Buffer.from('small export'));
    const before = await contactCiphertexts(org.id, contacts[0]?.id ?? '');
    expect(Object.values(before).map((c) => readEnvelopeHeader(c).kekVersion)).toEqual(contactColumns.map(() => 1));

    const [rotated] = await rotateKeys(operator(), org.id);
    expect(rotated).toMatchObject({ orgId: org.id, version: 2 });

    // New writes: the new version. Old data: still readable before any re-wrap.
    const fresh = await insertContact(fields, org.id);
    const freshCipher = await contactCiphertexts(org.id, fresh.id);
    expect(readEnvelopeHeader(freshCipher['email_ciphertext'] ?? Buffer.alloc(0)).kekVersion).toBe(2);
    await objects.put('exports/e2.csv', Buffer.from('after rotation'));
    expect(await storedVersion(`org/${org.id}/exports/e2.csv`)).toBe(2);
    expect(await storedVersion(`org/${org.id}/uploads/u1/donors.csv`)).toBe(1);
    expect(await fields.decryptField(before['email_ciphertext'] ?? Buffer.alloc(0), { orgId: org.id, purpose: 'field', table: 'contact', column: 'email_ciphertext', rowId: contacts[0]?.id ?? '' })).toBe(
      contacts[0]?.values['email_ciphertext'],
    );
    expect(await text(objects.get('uploads/u1/donors.csv'))).toBe(large);

    // The re-wrap job, with a batch size of 2 to page through the table.
    await t.ownerDb.updateTable('job').set({ payload: JSON.stringify({ batchSize: 2 }) }).where('id', '=', rotated?.jobId ?? '').execute();
    const result = await runQueuedJob(t.appDb, rotated?.jobId ?? null);
    expect(result).toEqual({ version: 2, rowsRewrapped: 3 * contactColumns.length, objectsRewrapped: 2, skipped: 0 });

    for (const contact of [...contacts, fresh]) {
      const stored = await contactCiphertexts(org.id, contact.id);
      for (const column of contactColumns) {
        const ciphertext = stored[column] ?? Buffer.alloc(0);
        expect(readEnvelopeHeader(ciphertext).kekVersion).toBe(2);
        expect(await fields.decryptField(ciphertext, { orgId: org.id, purpose: 'field', table: 'contact', column, rowId: contact.id })).toBe(contact.values[column]);
      }
    }
    for (const key of ['uploads/u1/donors.csv', 'exports/e1.csv', 'exports/e2.csv']) expect(await storedVersion(`org/${org.id}/${key}`)).toBe(2);
    expect(await text(objects.get('uploads/u1/donors.csv'))).toBe(large);
    expect(await text(objects.get('exports/e1.csv'))).toBe('small export');

    // Another organisation was not touched.
    const untouched = await contactCiphertexts(other.id, bystander.id);
    expect(readEnvelopeHeader(untouched['email_ciphertext'] ?? Buffer.alloc(0)).kekVersion).toBe(1);

    // Audited, without a user actor.
    const events = await withTenant(t.ownerDb, { orgId: org.id }, (trx) =>
      trx.selectFrom('audit_event').select(['action', 'actor_user_id', 'details']).where('org_id', '=', org.id).orderBy('seq').execute(),
    );
    expect(events.map((e) => [e.action, e.actor_user_id])).toEqual([
      ['keys.rotated', null],
      ['keys.rewrapped', null],
    ]);
  });

  it('copies the payload unchanged: the re-wrapped value differs from the old one only in the header', async () => {
    const { fields } = appServices();
    const org = await seedOrganisation(t.ownerDb);
    const contact = await insertContact(fields, org.id);
    const old = (await contactCiphertexts(org.id, contact.id))['notes_ciphertext'] ?? Buffer.alloc(0);
    const [rotated] = await rotateKeys(operator(), org.id);
    await runQueuedJob(t.appDb, rotated?.jobId ?? null);
    const moved = (await contactCiphertexts(org.id, contact.id))['notes_ciphertext'] ?? Buffer.alloc(0);
    expect(moved.subarray(0, 22).equals(old.subarray(0, 22))).toBe(true);
    expect(moved.subarray(22, 86).equals(old.subarray(22, 86))).toBe(false);
    expect(moved.subarray(86).equals(old.subarray(86))).toBe(true);
  });

  it('is idempotent: a second run finds nothing to do', async () => {
    const { fields } = appServices();
    const org = await seedOrganisation(t.ownerDb);
    await insertContact(fields, org.id);
    const first = await rotateKeys(operator(), org.id);
    await runQueuedJob(t.appDb, first[0]?.jobId ?? null);
    const again = await submitAgain(org.id);
    expect(await runQueuedJob(t.appDb, again)).toEqual({ version: 2, rowsRewrapped: 0, objectsRewrapped: 0, skipped: 0 });
  });

  it("leaves a value it cannot move (another organisation's envelope, garbage) as it is, and counts it", async () => {
    const { fields } = appServices();
    const [org, other] = [await seedOrganisation(t.ownerDb), await seedOrganisation(t.ownerDb)];
    const planted = await insertContact(fields, org.id);
    const foreign = await fields.encryptField('x', { orgId: other.id, purpose: 'field', table: 'contact', column: 'notes_ciphertext', rowId: planted.id });
    const garbage = Buffer.concat([Buffer.from('KDLE'), Buffer.from([1, 1]), randomBytes(100)]);
    garbage.writeUInt32BE(1, 22);
    await withTenant(t.appDb, { orgId: org.id }, (trx) =>
      trx.updateTable('contact').set({ notes_ciphertext: foreign, phone_ciphertext: garbage }).where('id', '=', planted.id).execute(),
    );
    const [rotated] = await rotateKeys(operator(), org.id);
    const result = await runQueuedJob(t.appDb, rotated?.jobId ?? null);
    expect(result).toEqual({ version: 2, rowsRewrapped: contactColumns.length - 2, objectsRewrapped: 0, skipped: 2 });
    const stored = await contactCiphertexts(org.id, planted.id);
    expect(stored['notes_ciphertext']?.equals(foreign)).toBe(true);
    expect(stored['phone_ciphertext']?.equals(garbage)).toBe(true);
  });

  it('rotates every organisation and the platform scope without --org, and re-wraps staff e-mail addresses', async () => {
    const { fields } = appServices();
    const org = await seedOrganisation(t.ownerDb);
    const user = await seedUser(t.ownerDb, `${randomUUID()}@example.org`, hmacBlindIndexForTests(randomBytes(32)));
    const context = { orgId: platformScopeId, purpose: 'field', table: 'app_user', column: 'email_ciphertext', rowId: user.id } as const;
    await t.ownerDb.updateTable('app_user').set({ email_ciphertext: await fields.encryptField('staff@example.org', context) }).where('id', '=', user.id).execute();
    const totp = { ...context, table: 'mfa_totp', column: 'secret_ciphertext' } as const;
    await t.ownerDb.insertInto('mfa_totp').values({ user_id: user.id, secret_ciphertext: await fields.encryptField('JBSWY3DPEHPK3PXP', totp) }).execute();
    const platformBefore = (await fields.encryptField('x', context).then(readEnvelopeHeader)).kekVersion;

    const rotated = await rotateKeys(operator());
    expect(rotated.map((r) => r.orgId)).toContain(org.id);
    const platform = rotated.at(-1);
    expect(platform).toMatchObject({ orgId: null, version: platformBefore + 1 });

    await runQueuedJob(t.appDb, platform?.jobId ?? null);
    const stored = await t.ownerDb.selectFrom('app_user').select('email_ciphertext').where('id', '=', user.id).executeTakeFirstOrThrow();
    const ciphertext = stored.email_ciphertext ?? Buffer.alloc(0);
    expect(readEnvelopeHeader(ciphertext).kekVersion).toBe(platformBefore + 1);
    expect(await fields.decryptField(ciphertext, context)).toBe('staff@example.org');
    const secret = await t.ownerDb.selectFrom('mfa_totp').select('secret_ciphertext').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(readEnvelopeHeader(secret.secret_ciphertext).kekVersion).toBe(platformBefore + 1);
    expect(await fields.decryptField(secret.secret_ciphertext, totp)).toBe('JBSWY3DPEHPK3PXP');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app_user WHERE email_ciphertext IS NOT NULL AND substring(email_ciphertext FROM 23 FOR 4) < ${Buffer.from([0, 0, 0, platformBefore + 1])}`.execute(t.ownerDb);
    expect(rows[0]?.n).toBe(0);
  });
});

async function submitAgain(orgId: string): Promise<string | null> {
  return submitJob(t.ownerDb, operator().rewrapJobs.organisation, { batchSize: 10 }, { orgId });
}
