import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataProtection, createLocalRootKeyProvider, isCryptoFailure } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { createContactStore, type ContactInput, type ContactStore } from './index.js';

let db: TestDatabase;
let store: ContactStore;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) });
  store = createContactStore({ db: db.appDb, fields });
});
afterAll(async () => {
  await db.drop();
});

const newOrg = async (): Promise<string> => (await seedOrganisation(db.ownerDb)).id;

function janeDoe(tag: string): ContactInput {
  return {
    externalId: `CRM-${tag}`,
    kind: 'individual',
    createdOn: '2019-03-04',
    personal: {
      givenNames: `Jane ${tag}`,
      familyName: 'Dœ-Smith',
      email: `Jane.${tag}@Example.org`,
      phone: '+44 20 7946 0000',
      postalAddress: ['Flat 2', '10 Downing Street', 'London SW1A 2AA'],
      dateOfBirth: '1961-07-21',
      notes: `Prefers letters. ${tag}`,
    },
    postcodeDistrict: 'SW1A',
    region: 'London',
    country: 'GB',
    birthYear: 1961,
    gender: 'female',
    flags: { doNotPhone: true },
  };
}

/** Every column of a contact as the database stores it, read past the store as the owner. */
async function rawRow(orgId: string, contactId: string): Promise<Record<string, unknown>> {
  const { rows } = await withTenant(db.ownerDb, { orgId }, (trx) => sql<Record<string, unknown>>`SELECT * FROM contact WHERE id = ${contactId}`.execute(trx));
  const [row] = rows;
  if (row === undefined) throw new Error('no such contact');
  return row;
}

describe('contact store', () => {
  it('round-trips every field, and a second save of the same CRM id updates that contact', async () => {
    const orgId = await newOrg();
    const input = janeDoe('rt');
    const saved = await store.saveContact(orgId, input);
    expect(saved.created).toBe(true);
    expect(await store.getContact(orgId, saved.id)).toEqual({
      id: saved.id,
      externalId: 'CRM-rt',
      kind: 'individual',
      createdOn: '2019-03-04',
      personal: {
        givenNames: 'Jane rt',
        familyName: 'Dœ-Smith',
        organisationName: null,
        email: 'jane.rt@example.org',
        phone: '+44 20 7946 0000',
        postalAddress: ['Flat 2', '10 Downing Street', 'London SW1A 2AA'],
        dateOfBirth: '1961-07-21',
        notes: 'Prefers letters. rt',
      },
      postcodeDistrict: 'SW1A',
      region: 'London',
      country: 'GB',
      birthYear: 1961,
      gender: 'female',
      flags: { deceased: false, doNotMail: false, doNotEmail: false, doNotPhone: true, noAddress: false },
    });

    const again = await store.saveContact(orgId, { ...input, externalId: ' CRM-rt ', personal: { familyName: 'Smith' }, flags: { deceased: true } });
    expect(again).toEqual({ id: saved.id, created: false });
    const updated = await store.getContact(orgId, saved.id);
    expect(updated?.personal).toMatchObject({ givenNames: null, familyName: 'Smith', email: null });
    expect(updated?.flags.deceased).toBe(true);
  });

  it('finds contacts by CRM id and by e-mail through blind indexes, only inside their organisation', async () => {
    const [orgA, orgB] = [await newOrg(), await newOrg()];
    const first = await store.saveContact(orgA, janeDoe('look'));
    const second = await store.saveContact(orgA, { ...janeDoe('look'), externalId: 'CRM-look-2' });
    await store.saveContact(orgB, janeDoe('other'));

    expect((await store.findByExternalId(orgA, 'CRM-look'))?.id).toBe(first.id);
    expect(await store.findByExternalId(orgA, 'crm-look')).toBeUndefined();
    expect((await store.findByEmail(orgA, '  JANE.LOOK@example.ORG ')).map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    expect(await store.findByExternalId(orgB, 'CRM-look')).toBeUndefined();
    expect(await store.findByEmail(orgB, 'jane.look@example.org')).toEqual([]);
    expect(await store.getContact(orgB, first.id)).toBeUndefined();
    expect(await store.getContact(orgA, 'not-a-uuid')).toBeUndefined();
  });

  it('stores no personal value in plain text: raw columns hold ciphertext and keyed indexes only', async () => {
    const orgId = await newOrg();
    const input = janeDoe('raw');
    const { id } = await store.saveContact(orgId, input);
    const row = await rawRow(orgId, id);
    const stored = Buffer.concat(Object.values(row).map((value) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value)))));
    const secrets = ['CRM-raw', 'Jane raw', 'Dœ-Smith', 'jane.raw@example.org', '+44 20 7946 0000', '10 Downing Street', '1961-07-21', 'Prefers letters'];
    for (const secret of secrets) expect(stored.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
    expect(row).toMatchObject({ postcode_district: 'SW1A', country: 'GB', birth_year: 1961, do_not_phone: true });
    expect(row['organisation_name_ciphertext']).toBeNull();
  });

  it('binds each ciphertext to its organisation, column and row: a copied ciphertext does not decrypt', async () => {
    const [orgA, orgB] = [await newOrg(), await newOrg()];
    const a = await store.saveContact(orgA, janeDoe('bind-a'));
    const b = await store.saveContact(orgA, janeDoe('bind-b'));
    const c = await store.saveContact(orgB, janeDoe('bind-c'));
    const stolen = (await rawRow(orgA, a.id))['email_ciphertext'] as Buffer;

    const plant = async (orgId: string, contactId: string, column: 'email_ciphertext' | 'notes_ciphertext'): Promise<unknown> => {
      await withTenant(db.ownerDb, { orgId }, (trx) => trx.updateTable('contact').set({ [column]: stolen }).where('id', '=', contactId).execute());
      return store.getContact(orgId, contactId).then(
        () => undefined,
        (error: unknown) => error,
      );
    };
    expect(isCryptoFailure(await plant(orgA, b.id, 'email_ciphertext'), 'integrity')).toBe(true);
    expect(isCryptoFailure(await plant(orgA, a.id, 'notes_ciphertext'), 'integrity')).toBe(true);
    expect(isCryptoFailure(await plant(orgB, c.id, 'email_ciphertext'), 'integrity')).toBe(true);
  });

  it('refuses a full postcode or a malformed date, naming the field but not the value', async () => {
    const orgId = await newOrg();
    await expect(store.saveContact(orgId, { ...janeDoe('pc'), postcodeDistrict: 'SW1A2AA' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'postcodeDistrict' },
    });
    const error: unknown = await store.saveContact(orgId, { ...janeDoe('dob'), personal: { dateOfBirth: '21/07/1961' } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'personal.dateOfBirth' } });
    expect((error as Error).message).not.toContain('1961');
  });
});
