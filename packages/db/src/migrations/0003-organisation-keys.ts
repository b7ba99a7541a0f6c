import { sql, type Kysely } from 'kysely';

/**
 * Per-organisation key-encryption keys (KEKs) for data protection at rest (@kindling/crypto).
 *
 * One row per KEK version. `wrapped_key` is the KEK encrypted by the root key named in
 * `root_key_id` (a local key file or an AWS KMS key); the plain KEK never reaches the database.
 * Rotation adds a version and stamps `retired_at` on the previous one; retired versions stay,
 * because older ciphertexts name them until they are re-wrapped.
 *
 * Crypto-shredding (`destroy`) erases `wrapped_key` of every version and stamps `destroyed_at`:
 * the rows stay as a tombstone, so a late write for a shredded organisation is refused instead of
 * silently starting a new key lineage. Deleting the organisation deletes its keys (cascade).
 * The platform scope (nil UUID) is the one lineage without an organisation row.
 *
 * Fenced like every tenant table (see 0002-identity.ts): row-level security enabled and FORCED,
 * keyed on the transaction-local `kindling.org_id`, so a query in one organisation's context can
 * never read another organisation's wrapped keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organisation_key (
      org_id uuid NOT NULL,
      -- Every lineage belongs to an organisation and goes when it goes, except the platform
      -- scope (the nil UUID: account e-mail addresses and second factors, which belong to no
      -- tenant; see @kindling/identity), which has keys but no organisation row. A foreign key on
      -- a column that is NULL exactly for the platform scope says that: NULLs are not checked.
      organisation_ref uuid GENERATED ALWAYS AS (nullif(org_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED
        REFERENCES organisation (id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version >= 1),
      wrapped_key bytea CHECK (octet_length(wrapped_key) BETWEEN 32 AND 4096),
      root_key_id text CHECK (length(root_key_id) BETWEEN 1 AND 2048),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      destroyed_at timestamptz,
      PRIMARY KEY (org_id, version),
      CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL)),
      CHECK ((root_key_id IS NULL) = (wrapped_key IS NULL)),
      CHECK (retired_at IS NULL OR retired_at >= created_at)
    )`.execute(db);

  await sql`ALTER TABLE organisation_key ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE organisation_key FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY organisation_key_tenant ON organisation_key
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);

  // The application reads KEKs, creates the first one, and rotates (insert the next version,
  // stamp the previous one retired). It cannot alter or erase a stored key: no UPDATE of
  // wrapped_key/root_key_id/destroyed_at and no DELETE, so a compromised application role can
  // neither swap in a key it knows nor shred an organisation's data. Crypto-shredding is an
  // operator task, run through the owner connection (as erasure is for organisations and users).
  await sql`GRANT SELECT, INSERT ON organisation_key TO kindling_app_access`.execute(db);
  await sql`GRANT UPDATE (retired_at) ON organisation_key TO kindling_app_access`.execute(db);
}
