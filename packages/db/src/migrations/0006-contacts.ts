import { sql, type Kysely } from 'kysely';

/**
 * Contacts: the people and organisations a charity's CRM knows, one row per CRM record.
 *
 * Personal fields (names, e-mail, phone, postal address, date of birth, free-text notes, and the
 * CRM's own id) are never stored in plain text: each `*_ciphertext` column holds a value
 * encrypted under the organisation's key by @kindling/crypto, bound to this table, its column
 * and the row id, so a ciphertext copied to another row, column or organisation does not decrypt.
 * What the application must find exactly (the CRM external id, the e-mail address) also has a
 * keyed HMAC blind index. Deleting the organisation's keys (crypto-shredding) makes every
 * ciphertext here unreadable, backups included.
 *
 * The other columns are the non-identifying attributes models may use: the postcode district
 * (outward code) only, never the full postcode; region and country; the year of birth, never
 * the date; gender; and the contact-preference flags.
 *
 * Fenced like every tenant table (see 0002-identity.ts and docs/tenant-isolation.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE contact (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      external_id_ciphertext bytea NOT NULL,
      external_id_blind_index bytea NOT NULL CHECK (octet_length(external_id_blind_index) BETWEEN 16 AND 64),
      kind text NOT NULL CHECK (kind IN ('individual', 'organisation')),
      created_on date,
      given_names_ciphertext bytea,
      family_name_ciphertext bytea,
      organisation_name_ciphertext bytea,
      email_ciphertext bytea,
      email_blind_index bytea CHECK (octet_length(email_blind_index) BETWEEN 16 AND 64),
      phone_ciphertext bytea,
      postal_address_ciphertext bytea,
      date_of_birth_ciphertext bytea,
      notes_ciphertext bytea,
      -- An outward code ("SW1A", "M1") has no space and at most 4 characters plus a spare one for
      -- other countries' districts; a full UK postcode ("SW1A 1AA", "SW1A1AA") does not fit.
      postcode_district text CHECK (postcode_district ~ '^[A-Z0-9]{1,5}$'),
      region text CHECK (length(region) BETWEEN 1 AND 100),
      country text CHECK (country ~ '^[A-Z]{2}$'),
      birth_year smallint CHECK (birth_year BETWEEN 1850 AND 2200),
      gender text CHECK (gender IN ('female', 'male', 'other', 'unknown')),
      deceased boolean NOT NULL DEFAULT false,
      do_not_mail boolean NOT NULL DEFAULT false,
      do_not_email boolean NOT NULL DEFAULT false,
      do_not_phone boolean NOT NULL DEFAULT false,
      no_address boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, external_id_blind_index),
      CHECK ((email_ciphertext IS NULL) = (email_blind_index IS NULL))
    )`.execute(db);
  await sql`CREATE INDEX contact_org_email_idx ON contact (org_id, email_blind_index) WHERE email_blind_index IS NOT NULL`.execute(db);

  await sql`ALTER TABLE contact ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE contact FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY contact_tenant ON contact
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);

  // Contacts are the charity's own data: imports add, update and remove them.
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON contact TO kindling_app_access`.execute(db);
}
