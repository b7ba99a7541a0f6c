import { sql, type Kysely } from 'kysely';

/**
 * What an organisation teaches Kindling about its own exports, and two parts of the reference
 * schema the first import tables left out:
 *
 * - import_mapping: the column mapping a person confirmed for an export layout no preset knows,
 *   found again by `header_signature` (a hash of the normalised header set) when the same layout
 *   is uploaded next time. Headers and field names only: no values, so no personal data.
 * - contact_attribute + contact.custom_attributes: the organisation's own contact columns kept as
 *   model features (a wealth score, a segment). Definitions say each attribute's kind; the values
 *   sit with the contact as a bounded JSON object (name → number or text).
 * - recurring_plan_payment_failure: each failed collection of a plan, with its day, so churn models
 *   see when failures happened, not only how many. Keyed like the other reference rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE import_mapping (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      entity text NOT NULL CHECK (entity IN ('contacts', 'campaigns', 'gifts', 'recurring_plans', 'communications', 'payment_failures')),
      -- SHA-256 (hex) of the file's normalised, sorted header set.
      header_signature text NOT NULL CHECK (header_signature ~ '^[0-9a-f]{64}$'),
      -- [{ header, target }]: headers and reference field or attribute names only.
      columns jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'array' AND octet_length(columns::text) <= 200000),
      created_by_user_id uuid,
      created_by_token_id uuid,
      updated_by_user_id uuid,
      updated_by_token_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, header_signature, entity)
    )`.execute(db);

  await sql`
    CREATE TABLE contact_attribute (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      kind text NOT NULL CHECK (kind IN ('numeric', 'categorical')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, name)
    )`.execute(db);
  // Bounded: a few hundred attributes of short values fit; a file pasted into a column does not.
  await sql`
    ALTER TABLE contact ADD COLUMN custom_attributes jsonb NOT NULL DEFAULT '{}'
      CHECK (jsonb_typeof(custom_attributes) = 'object' AND octet_length(custom_attributes::text) <= 65536)`.execute(db);

  await sql`
    CREATE TABLE recurring_plan_payment_failure (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL,
      plan_id uuid NOT NULL,
      failed_on date NOT NULL,
      -- In the plan's currency; blank when the CRM does not say.
      amount numeric(16, 2),
      reason text CHECK (length(reason) <= 1000),
      external_id text CHECK (length(external_id) BETWEEN 1 AND 500),
      row_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (org_id, plan_id) REFERENCES recurring_plan (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  // Merged by the CRM's id when it has one, else by plan and day (as campaign members are).
  await sql`CREATE UNIQUE INDEX recurring_plan_payment_failure_external_idx ON recurring_plan_payment_failure (org_id, external_id) WHERE external_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX recurring_plan_payment_failure_day_idx ON recurring_plan_payment_failure (org_id, plan_id, failed_on) WHERE external_id IS NULL`.execute(db);
  await sql`CREATE INDEX recurring_plan_payment_failure_plan_idx ON recurring_plan_payment_failure (org_id, plan_id, failed_on)`.execute(db);

  for (const table of ['import_mapping', 'contact_attribute', 'recurring_plan_payment_failure']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY ${sql.id(`${table}_tenant`)} ON ${sql.table(table)}
        USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
        WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  }
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON import_mapping, contact_attribute, recurring_plan_payment_failure TO kindling_app_access`.execute(db);
}
