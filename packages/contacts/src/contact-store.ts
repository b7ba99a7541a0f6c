import { randomUUID } from 'node:crypto';
import { normaliseEmail, normaliseExternalId, type DataProtection, type FieldContext } from '@kindling/crypto';
import { sql, withTenant, type ContactRow, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { Contact, ContactInput, ContactPersonalFields } from './contact.js';

/** Blind-index purposes: one HMAC key per purpose, so an e-mail index never equals an id index. */
export const contactIndexPurposes = { externalId: 'contact_external_id', email: 'contact_email' } as const;

/** Each personal field and the `contact` column holding its ciphertext. */
const personalColumns = {
  givenNames: 'given_names_ciphertext',
  familyName: 'family_name_ciphertext',
  organisationName: 'organisation_name_ciphertext',
  email: 'email_ciphertext',
  phone: 'phone_ciphertext',
  postalAddress: 'postal_address_ciphertext',
  dateOfBirth: 'date_of_birth_ciphertext',
  notes: 'notes_ciphertext',
} as const satisfies Record<keyof ContactPersonalFields, keyof ContactRow>;

type PersonalColumn = (typeof personalColumns)[keyof typeof personalColumns];
type EncryptedColumn = PersonalColumn | 'external_id_ciphertext';

export interface ContactStoreDependencies {
  /** The application-role pool: every query runs inside withTenant. */
  readonly db: Kysely<Database>;
  readonly fields: Pick<DataProtection, 'encryptField' | 'decryptField' | 'blindIndex'>;
}

/**
 * One organisation's contacts, personal fields encrypted. Callers pass plain values and get
 * plain values back; only ciphertext and blind indexes reach PostgreSQL.
 */
export interface ContactStore {
  /** Creates the contact, or replaces every field of the one with the same CRM external id. */
  saveContact(orgId: string, input: ContactInput): Promise<{ readonly id: string; readonly created: boolean }>;
  getContact(orgId: string, contactId: string): Promise<Contact | undefined>;
  findByExternalId(orgId: string, externalId: string): Promise<Contact | undefined>;
  /** Every contact with this address (normalised; several CRM records may share one). */
  findByEmail(orgId: string, email: string): Promise<Contact[]>;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(field: string, rule: string): AppError {
  // Names the field, never its value: the value is personal data.
  return new AppError('VALIDATION_FAILED', `Contact field ${field} ${rule}`, { details: { field } });
}

function checkInput(input: ContactInput): void {
  for (const [field, value] of [['createdOn', input.createdOn], ['personal.dateOfBirth', input.personal.dateOfBirth]] as const) {
    if (value !== undefined && value !== null && (!isoDate.test(value) || Number.isNaN(Date.parse(value)))) throw invalid(field, 'must be a YYYY-MM-DD date');
  }
  if (input.postcodeDistrict != null && !/^[A-Z0-9]{1,5}$/.test(input.postcodeDistrict)) {
    throw invalid('postcodeDistrict', 'must be an outward code (e.g. "SW1A"), never a full postcode');
  }
  if (input.country != null && !/^[A-Z]{2}$/.test(input.country)) throw invalid('country', 'must be an ISO 3166-1 alpha-2 code');
}

function plainText(field: keyof ContactPersonalFields, value: ContactPersonalFields[keyof ContactPersonalFields]): string | null {
  if (value === undefined || value === null) return null;
  if (field === 'postalAddress') {
    const lines = value as readonly string[];
    if (lines.some((line) => line.includes('\n'))) throw invalid('personal.postalAddress', 'lines must not contain line breaks');
    return lines.length === 0 ? null : lines.join('\n');
  }
  if (field === 'email') return normaliseEmail(value as string);
  const text = value as string;
  return text === '' ? null : text;
}

export function createContactStore(deps: ContactStoreDependencies): ContactStore {
  const { db, fields } = deps;

  function context(orgId: string, column: EncryptedColumn, rowId: string): FieldContext {
    return { orgId, purpose: 'field', table: 'contact', column, rowId };
  }

  async function encrypt(orgId: string, column: EncryptedColumn, rowId: string, value: string | null): Promise<Buffer | null> {
    return value === null ? null : fields.encryptField(value, context(orgId, column, rowId));
  }

  async function decrypt(row: ContactRow, column: EncryptedColumn): Promise<string | null> {
    const ciphertext = row[column];
    return ciphertext === null ? null : fields.decryptField(ciphertext, context(row.org_id, column, row.id));
  }

  /** The row's columns for `input`, every ciphertext bound to `rowId`. */
  async function rowValues(orgId: string, rowId: string, input: ContactInput) {
    const encrypted: Partial<Record<PersonalColumn, Buffer | null>> = {};
    for (const [field, column] of Object.entries(personalColumns) as [keyof ContactPersonalFields, PersonalColumn][]) {
      encrypted[column] = await encrypt(orgId, column, rowId, plainText(field, input.personal[field]));
    }
    const email = plainText('email', input.personal.email);
    const flags = input.flags ?? {};
    return {
      ...encrypted,
      external_id_ciphertext: await fields.encryptField(normaliseExternalId(input.externalId), context(orgId, 'external_id_ciphertext', rowId)),
      email_blind_index: email === null ? null : await fields.blindIndex(orgId, contactIndexPurposes.email, email),
      kind: input.kind,
      created_on: input.createdOn ?? null,
      postcode_district: input.postcodeDistrict ?? null,
      region: input.region ?? null,
      country: input.country ?? null,
      birth_year: input.birthYear ?? null,
      gender: input.gender ?? null,
      deceased: flags.deceased ?? false,
      do_not_mail: flags.doNotMail ?? false,
      do_not_email: flags.doNotEmail ?? false,
      do_not_phone: flags.doNotPhone ?? false,
      no_address: flags.noAddress ?? false,
    };
  }

  async function toContact(row: ContactRow & { created_on_text: string | null }): Promise<Contact> {
    const address = await decrypt(row, 'postal_address_ciphertext');
    return {
      id: row.id,
      externalId: (await decrypt(row, 'external_id_ciphertext')) ?? '',
      kind: row.kind,
      createdOn: row.created_on_text,
      personal: {
        givenNames: await decrypt(row, 'given_names_ciphertext'),
        familyName: await decrypt(row, 'family_name_ciphertext'),
        organisationName: await decrypt(row, 'organisation_name_ciphertext'),
        email: await decrypt(row, 'email_ciphertext'),
        phone: await decrypt(row, 'phone_ciphertext'),
        postalAddress: address === null ? null : address.split('\n'),
        dateOfBirth: await decrypt(row, 'date_of_birth_ciphertext'),
        notes: await decrypt(row, 'notes_ciphertext'),
      },
      postcodeDistrict: row.postcode_district,
      region: row.region,
      country: row.country,
      birthYear: row.birth_year,
      gender: row.gender,
      flags: {
        deceased: row.deceased,
        doNotMail: row.do_not_mail,
        doNotEmail: row.do_not_email,
        doNotPhone: row.do_not_phone,
        noAddress: row.no_address,
      },
    };
  }

  function selectContacts(trx: TenantTransaction) {
    // pg turns a `date` into a Date at local midnight, which shifts across time zones: read text.
    return trx.selectFrom('contact').selectAll().select(sql<string | null>`to_char(created_on, 'YYYY-MM-DD')`.as('created_on_text'));
  }

  async function externalIdIndex(orgId: string, externalId: string): Promise<Buffer> {
    return fields.blindIndex(orgId, contactIndexPurposes.externalId, normaliseExternalId(externalId));
  }

  return {
    async saveContact(orgId, input) {
      checkInput(input);
      const index = await externalIdIndex(orgId, input.externalId);
      return withTenant(db, { orgId }, async (trx) => {
        // Ciphertexts are bound to the row id, so the id must be known before encrypting: an
        // existing contact keeps its id, a new one gets a fresh one. The row lock makes a
        // concurrent save of the same CRM id wait; of two concurrent first saves, the unique
        // index fails the second (imports write one organisation's file in one job).
        const existing = await trx
          .selectFrom('contact')
          .select('id')
          .where('org_id', '=', orgId)
          .where('external_id_blind_index', '=', index)
          .forUpdate()
          .executeTakeFirst();
        const id = existing?.id ?? randomUUID();
        const values = await rowValues(orgId, id, input);
        if (existing !== undefined) {
          await trx.updateTable('contact').set({ ...values, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
          return { id, created: false };
        }
        await trx.insertInto('contact').values({ id, org_id: orgId, external_id_blind_index: index, ...values }).execute();
        return { id, created: true };
      });
    },

    async getContact(orgId, contactId) {
      if (!uuidPattern.test(contactId)) return undefined;
      const row = await withTenant(db, { orgId }, (trx) => selectContacts(trx).where('id', '=', contactId).executeTakeFirst());
      return row === undefined ? undefined : toContact(row);
    },

    async findByExternalId(orgId, externalId) {
      const index = await externalIdIndex(orgId, externalId);
      const row = await withTenant(db, { orgId }, (trx) => selectContacts(trx).where('external_id_blind_index', '=', index).executeTakeFirst());
      return row === undefined ? undefined : toContact(row);
    },

    async findByEmail(orgId, email) {
      const index = await fields.blindIndex(orgId, contactIndexPurposes.email, normaliseEmail(email));
      const rows = await withTenant(db, { orgId }, (trx) => selectContacts(trx).where('email_blind_index', '=', index).orderBy('id').execute());
      return Promise.all(rows.map(toContact));
    },
  };
}
