import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContactStore } from '@kindling/contacts';
import { importPresetNamed } from '@kindling/crm-import';
import { createDataProtection, createLocalRootKeyProvider, type DataProtection } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { createEncryptedObjectStore, createLocalFolderStore, type ObjectStore } from '@kindling/object-store';
import { runImport, type ImportDependencies, type ImportRequest } from './index.js';

let db: TestDatabase;
let folder: string;
let deps: ImportDependencies;
let fields: DataProtection;
let objectStore: (orgId: string) => ObjectStore;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-import-test-'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: folder });
  objectStore = (orgId) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId });
  deps = { db: db.appDb, fields, objectStore };
});
afterAll(async () => {
  await db.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

async function* bytes(text: string | Uint8Array): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield typeof text === 'string' ? strToU8(text) : text;
}

const contactsCsv = [
  'external_id,kind,given_names,family_name,email,postcode,country,date_of_birth,do_not_mail',
  'C1,individual,Ann,Lee,Ann.Lee@Example.org,SW1A 1AA,United Kingdom,1970-05-04,yes',
  'C2,individual,Bo,Ng,,M1 1AE,UK,,no',
  'C3,organisation,,,trust@example.com,,,,',
].join('\n');
const campaignsCsv = ['external_id,name,category,channel,cost', 'XMAS24,Christmas appeal 2024,Appeal,Direct Mail,"1,200.00"'].join('\n');
const giftsCsv = (extra = '') =>
  ['external_id,contact_external_id,date,amount,type,campaign_external_id', 'G1,C1,2024-12-05,£25.00,one-off,XMAS24', 'G2,C2,2024-12-06,"£1,250.00",one-off,XMAS24', 'G3,C3,2024-12-07,10,one-off,', extra].filter((line) => line !== '').join('\n');
const communicationsCsv = ['contact_external_id,campaign_external_id,date,channel,response', 'C1,XMAS24,2024-11-20,Direct Mail,responded', 'C2,XMAS24,2024-11-20,Direct Mail,no response'].join('\n');

function request(orgId: string, files: ImportRequest['files'], overrides: Partial<ImportRequest> = {}): ImportRequest {
  return {
    orgId,
    preset: importPresetNamed('generic'),
    mode: 'complete',
    organisationCurrency: 'GBP',
    files,
    actor: { userId: null, tokenId: null },
    maxRejectedShare: 0.05,
    limits: { maxEntries: 100, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 200 },
    ...overrides,
  };
}

const allFiles = (gifts = giftsCsv()) => [
  { name: 'gifts.csv', bytes: bytes(gifts) },
  { name: 'contacts.csv', bytes: bytes(contactsCsv) },
  { name: 'campaigns.csv', bytes: bytes(campaignsCsv) },
  { name: 'communications.csv', bytes: bytes(communicationsCsv) },
];

/** Every row of the organisation's reference tables, as PostgreSQL renders it (ciphertexts included). */
async function snapshot(orgId: string): Promise<string> {
  const tables = ['contact', 'campaign', 'recurring_plan', 'gift', 'communication'];
  const parts: string[] = [];
  await withTenant(db.appDb, { orgId }, async (trx) => {
    for (const table of tables) {
      const { rows } = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(table)} t WHERE org_id = ${orgId} ORDER BY row_to_json(t)::text`.execute(trx);
      parts.push(`${table}: ${rows.map((row) => row.row).join('\n')}`);
    }
  });
  return parts.join('\n');
}

describe('runImport', () => {
  it('imports every entity in dependency order, whatever the order of the files, with personal fields encrypted', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'River Trust')).id;
    const outcome = await runImport(deps, request(orgId, allFiles()));
    expect(outcome).toMatchObject({ status: 'applied', read: 9, accepted: 9, rejected: 0, problem: null });
    expect(outcome.entities).toEqual({
      contacts: { inserted: 3, updated: 0, unchanged: 0, deleted: 0 },
      campaigns: { inserted: 1, updated: 0, unchanged: 0, deleted: 0 },
      gifts: { inserted: 3, updated: 0, unchanged: 0, deleted: 0 },
      communications: { inserted: 2, updated: 0, unchanged: 0, deleted: 0 },
    });
    const contacts = createContactStore({ db: db.appDb, fields });
    const ann = await contacts.findByExternalId(orgId, 'C1');
    expect(ann).toMatchObject({ kind: 'individual', postcodeDistrict: 'SW1A', country: 'GB', birthYear: 1970, personal: { givenNames: 'Ann', email: 'ann.lee@example.org' }, flags: { doNotMail: true } });
    expect(ann?.personal.postalAddress).toEqual(['SW1A 1AA', 'United Kingdom']);
    expect(await contacts.findByEmail(orgId, 'ANN.LEE@example.org')).toHaveLength(1);
    const raw = await snapshot(orgId);
    for (const personal of ['Ann', 'Lee', 'ann.lee', 'SW1A 1AA', '1970-05-04']) expect(raw).not.toContain(personal);
    const gifts = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('gift').select(['external_id', 'amount', 'currency', 'campaign_external_id']).orderBy('external_id').execute());
    expect(gifts).toEqual([
      { external_id: 'G1', amount: '25.00', currency: 'GBP', campaign_external_id: 'XMAS24' },
      { external_id: 'G2', amount: '1250.00', currency: 'GBP', campaign_external_id: 'XMAS24' },
      { external_id: 'G3', amount: '10.00', currency: 'GBP', campaign_external_id: null },
    ]);
    const run = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('import_run').selectAll().where('id', '=', outcome.runId).executeTakeFirstOrThrow());
    expect(run).toMatchObject({ status: 'applied', mode: 'complete', preset: 'generic', problem: null });
    expect((run.files as { name: string; objectKey: string }[]).map((file) => file.objectKey)).toEqual(['imports/' + outcome.runId + '/0001', 'imports/' + outcome.runId + '/0002', 'imports/' + outcome.runId + '/0003', 'imports/' + outcome.runId + '/0004']);
    // The raw files stay, encrypted, so the import can be replayed.
    expect(await objectStore(orgId).exists(`imports/${outcome.runId}/0002`)).toBe(true);
  });

  it('changes nothing when the same files come again, and applies only what changed, deleting what a complete import no longer holds', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Meadow Fund')).id;
    await runImport(deps, request(orgId, allFiles()));
    const before = await snapshot(orgId);
    const again = await runImport(deps, request(orgId, allFiles()));
    expect(again.entities['gifts']).toEqual({ inserted: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(again.entities['contacts']).toEqual({ inserted: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(await snapshot(orgId)).toBe(before);

    const changedGifts = ['external_id,contact_external_id,date,amount,type', 'G1,C1,2024-12-05,30.00,one-off', 'G2,C2,2024-12-06,"£1,250.00",one-off'].join('\n');
    const changed = await runImport(deps, request(orgId, [{ name: 'gifts.csv', bytes: bytes(changedGifts) }, { name: 'contacts.csv', bytes: bytes(contactsCsv) }]));
    expect(changed.entities['gifts']).toEqual({ inserted: 0, updated: 2, unchanged: 0, deleted: 1 });
    // Campaigns and communications were not in this import: a complete import of some entities leaves the others alone.
    const counts = await withTenant(db.appDb, { orgId }, async (trx) => ({
      gifts: (await trx.selectFrom('gift').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      communications: (await trx.selectFrom('communication').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    }));
    expect(counts).toEqual({ gifts: 2, communications: 2 });
  });

  it('merges a delta by external id against the stored contacts, and deletes nothing', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Delta Trust')).id;
    await runImport(deps, request(orgId, allFiles()));
    const delta = ['external_id,contact_external_id,date,amount,type', 'G4,C2,2025-01-10,15,one-off', 'G5,C404,2025-01-11,5,one-off'].join('\n');
    const outcome = await runImport(deps, request(orgId, [{ name: 'gifts.csv', bytes: bytes(delta) }], { mode: 'delta', maxRejectedShare: 0.5 }));
    expect(outcome).toMatchObject({ status: 'applied', read: 2, accepted: 1, rejected: 1 });
    expect(outcome.entities['gifts']).toEqual({ inserted: 1, updated: 0, unchanged: 0, deleted: 0 });
    const rejection = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('import_rejection').selectAll().where('import_run_id', '=', outcome.runId).executeTakeFirstOrThrow());
    expect(rejection).toMatchObject({ file: 'gifts.csv', line: 3, reason: 'refers to a contact that the organisation does not have' });
    // The refused value is stored encrypted, bound to its row.
    expect(rejection.value_ciphertext?.toString('latin1')).not.toContain('C404');
    expect(await fields.decryptField(rejection.value_ciphertext ?? Buffer.alloc(0), { orgId, purpose: 'field', table: 'import_rejection', column: 'value_ciphertext', rowId: rejection.id })).toBe('C404');
  });

  it('changes nothing when more rows are refused than allowed, and records why', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Strict Trust')).id;
    await runImport(deps, request(orgId, allFiles()));
    const before = await snapshot(orgId);
    const bad = giftsCsv('G9,C1,2024-13-45,ten,gift aid,');
    const outcome = await runImport(deps, request(orgId, allFiles(bad), { maxRejectedShare: 0.01 }));
    expect(outcome.status).toBe('refused');
    expect(outcome.problem).toMatch(/^1 of 10 rows \(10\.0 %\) were refused, more than the 1 % allowed: nothing was changed/u);
    expect(await snapshot(orgId)).toBe(before);
    const audit = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('audit_event').select('action').where('target_id', '=', outcome.runId).execute());
    expect(audit.map((event) => event.action)).toEqual(['import.refused']);
  });

  it('reads the files of a zip and stops at the first file that needs an answer, changing nothing', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Zip Trust')).id;
    const archive = zipSync({ 'crm/contacts.csv': strToU8(contactsCsv), 'crm/gifts.csv': strToU8(giftsCsv()) });
    const applied = await runImport(deps, request(orgId, [{ name: 'crm.zip', bytes: bytes(archive) }]));
    expect(applied).toMatchObject({ status: 'applied', read: 6, accepted: 6 });
    const ambiguous = ['external_id,contact_external_id,date,amount', 'G7,C1,01/02/2025,5', 'G8,C1,03/04/2025,5'].join('\n');
    const asked = await runImport(deps, request(orgId, [{ name: 'gifts.csv', bytes: bytes(ambiguous) }], { mode: 'delta', preset: { ...importPresetNamed('generic'), dayMonthOrder: null } }));
    expect(asked.status).toBe('refused');
    expect(asked.problem).toContain('gifts.csv: date: dates such as 01/02/2025, 03/04/2025 read both day-first and month-first');
    expect(asked.questions).toEqual([{ file: 'gifts.csv', column: 'date', kind: 'date-order', examples: ['01/02/2025', '03/04/2025'] }]);
  });

  it('keeps soft credits with their gift and a plan amount history across imports', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Credit Trust')).id;
    const gifts = (softCredits: string) => ['external_id,contact_external_id,date,amount,soft_credit_contact_external_ids', `G1,C1,2024-12-05,50,${softCredits}`].join('\n');
    const plans = (amount: string) => ['external_id,contact_external_id,start_date,amount,frequency,status', `P1,C2,2023-01-01,${amount},monthly,active`].join('\n');
    const files = (softCredits: string, amount: string) => [
      { name: 'contacts.csv', bytes: bytes(contactsCsv) },
      { name: 'gifts.csv', bytes: bytes(gifts(softCredits)) },
      { name: 'recurring_plans.csv', bytes: bytes(plans(amount)) },
    ];
    const first = await runImport(deps, request(orgId, files('C2; C3', '10.00')));
    expect(first.status).toBe('applied');
    const state = () =>
      withTenant(db.appDb, { orgId }, async (trx) => ({
        credits: (await trx.selectFrom('gift_soft_credit').innerJoin('contact', 'contact.id', 'gift_soft_credit.contact_id').select('contact.kind').execute()).map((row) => row.kind).sort(),
        amounts: (await trx.selectFrom('recurring_plan_amount').select(['amount']).orderBy('observed_on').execute()).map((row) => row.amount),
      }));
    expect(await state()).toEqual({ credits: ['individual', 'organisation'], amounts: ['10.00'] });

    // Same day, same files: nothing new. A raise and a changed credit: recorded.
    await runImport(deps, request(orgId, files('C2; C3', '10.00')));
    expect(await state()).toEqual({ credits: ['individual', 'organisation'], amounts: ['10.00'] });
    await runImport(deps, request(orgId, files('C3', '15.00')));
    expect(await state()).toEqual({ credits: ['organisation'], amounts: ['15.00'] });

    const unknown = await runImport(deps, request(orgId, files('C404', '15.00'), { maxRejectedShare: 0.5 }));
    expect(unknown.rejectedByReason).toEqual({ 'gives soft credit to a contact that the organisation does not have': 1 });
  });
});

/** A file in 16 KiB chunks, as a disk or the object store delivers it: many batches, several writes in flight. */
async function* chunked(text: string): AsyncGenerator<Uint8Array> {
  const all = strToU8(text);
  for (let start = 0; start < all.length; start += 16 * 1024) {
    await Promise.resolve();
    yield all.subarray(start, start + 16 * 1024);
  }
}

describe('runImport at volume', () => {
  const giftRows = (count: number, change: (index: number) => string | null) =>
    [
      'external_id,contact_external_id,date,amount,type,campaign_external_id',
      ...Array.from({ length: count }, (_, index) => change(index) ?? `G${String(index)},C${String((index % 3) + 1)},2024-01-${String((index % 28) + 1).padStart(2, '0')},${String(5 + (index % 40))}.00,one-off,XMAS24`),
    ].join('\n');
  const communicationRows = (count: number) =>
    ['contact_external_id,campaign_external_id,date,channel,response', ...Array.from({ length: count }, (_, index) => `C${String((index % 3) + 1)},XMAS24,${new Date(Date.UTC(2020, 0, 1 + index)).toISOString().slice(0, 10)},Email,${index < 30 ? 'responded' : 'no response'}`)].join('\n');

  it('writes tens of thousands of rows in batches, then merges a changed export: new, changed, unchanged and gone counted', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Volume Trust')).id;
    const files = (gifts: string) => [
      { name: 'contacts.csv', bytes: bytes(contactsCsv) },
      { name: 'campaigns.csv', bytes: bytes(campaignsCsv) },
      { name: 'gifts.csv', bytes: chunked(gifts) },
      { name: 'communications.csv', bytes: chunked(communicationRows(336)) },
    ];
    const first = await runImport(deps, request(orgId, files(giftRows(20_000, () => null))));
    expect(first.entities['gifts']).toEqual({ inserted: 20_000, updated: 0, unchanged: 0, deleted: 0 });
    expect(first.entities['communications']).toEqual({ inserted: 336, updated: 0, unchanged: 0, deleted: 0 });

    // Amounts of ten gifts change, G19999 is gone, G20000 is new.
    const changed = giftRows(20_001, (index) => (index < 10 ? `G${String(index)},C1,2024-01-01,99.00,one-off,XMAS24` : null)).replace(/\nG19999,[^\n]*/u, '');
    const second = await runImport(deps, request(orgId, files(changed)));
    expect(second.entities['gifts']).toEqual({ inserted: 1, updated: 10, unchanged: 19_989, deleted: 1 });
    expect(second.entities['communications']).toEqual({ inserted: 0, updated: 0, unchanged: 336, deleted: 0 });
    const stored = await withTenant(db.appDb, { orgId }, async (trx) => ({
      gifts: (await trx.selectFrom('gift').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      changed: (await trx.selectFrom('gift').select('amount').where('external_id', '=', 'G3').executeTakeFirstOrThrow()).amount,
    }));
    expect(stored).toEqual({ gifts: 20_000, changed: '99.00' });
  });

  it('writes a row given twice once, and fails whole, changing nothing, when the database refuses a row', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Twice Trust')).id;
    const twice = giftRows(3_000, (index) => (index === 2_999 ? 'G5,C2,2024-02-02,7.00,one-off,XMAS24' : null));
    const contactsTwice = `${contactsCsv}\nC1,individual,Anna,Lee,,,,,`;
    const first = await runImport(deps, request(orgId, [{ name: 'contacts.csv', bytes: bytes(contactsTwice) }, { name: 'gifts.csv', bytes: chunked(twice) }]));
    expect(first.entities['gifts']).toMatchObject({ inserted: 2_999, updated: 0, deleted: 0 });
    expect(first.entities['contacts']).toEqual({ inserted: 3, updated: 1, unchanged: 0, deleted: 0 });
    expect((await createContactStore({ db: db.appDb, fields }).findByExternalId(orgId, 'C1'))?.personal.givenNames).toBe('Anna');
    const before = await snapshot(orgId);
    // payment_method is at most 200 characters in the table: the database refuses the row.
    const refused = giftRows(3_000, (index) => (index === 2_500 ? `G2500,C1,2024-01-01,5.00,one-off,XMAS24,${'x'.repeat(300)}` : null)).replace('campaign_external_id', 'campaign_external_id,payment_method');
    await expect(runImport(deps, request(orgId, [{ name: 'contacts.csv', bytes: bytes(contactsCsv) }, { name: 'gifts.csv', bytes: chunked(refused) }]))).rejects.toThrow(/payment_method|check constraint/u);
    expect(await snapshot(orgId)).toBe(before);
  });
});
