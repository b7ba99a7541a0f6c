import type { Database } from '../schema.js';

/** One column that holds field ciphertext (a `bytea` envelope from `encryptField`). */
export interface EncryptedColumn {
  readonly table: keyof Database;
  readonly column: string;
  /**
   * The single-column primary key whose value is the ciphertext's `rowId` in its encryption
   * context; the re-wrap job pages through the table by it.
   */
  readonly idColumn: string;
  /**
   * Whose key lineage encrypts it: `organisation` — the organisation in the row's `org_id`
   * (the table is fenced by row-level security); `platform` — the platform key scope
   * (`platformScopeId` in @kindling/crypto), for global tables that belong to no tenant.
   */
  readonly scope: 'organisation' | 'platform';
}

/**
 * Every column in the schema that holds field ciphertext. Key rotation's re-wrap job walks
 * exactly this list, so a column missing here would keep data under retired key versions
 * forever. A catalog test (encrypted-columns.test.ts) fails the build when a `bytea` column
 * named `*_ciphertext` is not listed, or when an entry names a column, key or `org_id` the
 * database does not have: add the entry in the same change as the migration.
 */
export const encryptedColumns: readonly EncryptedColumn[] = [
  { table: 'app_user', column: 'email_ciphertext', idColumn: 'id', scope: 'platform' },
  { table: 'mfa_totp', column: 'secret_ciphertext', idColumn: 'user_id', scope: 'platform' },
  { table: 'contact', column: 'external_id_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'given_names_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'family_name_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'organisation_name_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'email_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'phone_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'postal_address_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'date_of_birth_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'contact', column: 'notes_ciphertext', idColumn: 'id', scope: 'organisation' },
  { table: 'import_rejection', column: 'value_ciphertext', idColumn: 'id', scope: 'organisation' },
];
