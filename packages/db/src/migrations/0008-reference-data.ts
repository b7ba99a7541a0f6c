import { sql, type Kysely } from 'kysely';

/**
 * The rest of the reference schema (docs/reference-schema.md) and the record of imports.
 *
 * Campaigns, gifts, recurring plans and communications hold no personal field: they point at
 * contacts by id. External ids of these records are the CRM's own keys, needed to merge a delta
 * import, and say nothing about a person. Every row carries `row_hash`, a keyed hash (HMAC under
 * the organisation's key) of its imported values: a re-import compares hashes, so unchanged rows
 * are never rewritten and importing the same file twice changes nothing.
 *
 * Foreign keys are composite (org_id, id), so a row can only ever point at a row of its own
 * organisation, whatever the application does. Fenced like every tenant table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const tenantPolicy = (table: string) => sql`
    CREATE POLICY ${sql.id(`${table}_tenant`)} ON ${sql.table(table)}
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`;

  await sql`ALTER TABLE contact ADD CONSTRAINT contact_org_id_id_key UNIQUE (org_id, id)`.execute(db);
  await sql`ALTER TABLE contact ADD COLUMN row_hash bytea`.execute(db);

  await sql`
    CREATE TABLE import_run (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      mode text NOT NULL CHECK (mode IN ('complete', 'delta')),
      preset text NOT NULL CHECK (length(preset) BETWEEN 1 AND 50),
      status text NOT NULL CHECK (status IN ('running', 'applied', 'refused', 'failed')),
      -- Who started it: a person or an API token (neither for the operator's command line).
      started_by_user_id uuid,
      started_by_token_id uuid,
      -- Files (name, object key, bytes, sha256, entity), counts per entity and reasons: no personal data.
      files jsonb NOT NULL DEFAULT '[]',
      summary jsonb NOT NULL DEFAULT '{}',
      -- A safe message when it failed or was refused, for the person who started it.
      problem text CHECK (length(problem) <= 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (org_id, id)
    )`.execute(db);
  await sql`CREATE INDEX import_run_org_created_idx ON import_run (org_id, created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE import_rejection (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL,
      import_run_id uuid NOT NULL,
      file text NOT NULL CHECK (length(file) <= 1000),
      line integer NOT NULL CHECK (line >= 0),
      column_name text CHECK (length(column_name) <= 500),
      -- The refused value may be personal (a name in the wrong column): encrypted like any personal field.
      value_ciphertext bytea,
      reason text NOT NULL CHECK (length(reason) <= 1000),
      FOREIGN KEY (org_id, import_run_id) REFERENCES import_run (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX import_rejection_run_idx ON import_rejection (org_id, import_run_id, file, line)`.execute(db);

  await sql`
    CREATE TABLE campaign (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 500),
      parent_external_id text CHECK (length(parent_external_id) BETWEEN 1 AND 500),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
      code text CHECK (length(code) <= 500),
      start_date date,
      end_date date,
      category text CHECK (length(category) <= 100),
      channel text CHECK (length(channel) <= 100),
      -- Where the tags came from: the CRM, a suggestion not yet confirmed, or a person.
      tag_source text NOT NULL DEFAULT 'import' CHECK (tag_source IN ('import', 'suggested', 'confirmed')),
      cost numeric(16, 2),
      row_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, external_id),
      UNIQUE (org_id, id)
    )`.execute(db);

  await sql`
    CREATE TABLE recurring_plan (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 500),
      contact_id uuid NOT NULL,
      start_date date NOT NULL,
      end_date date,
      cancellation_reason text CHECK (length(cancellation_reason) <= 1000),
      frequency text CHECK (length(frequency) <= 50),
      amount numeric(16, 2) NOT NULL,
      currency char(3) NOT NULL,
      status text CHECK (length(status) <= 50),
      payment_failures integer CHECK (payment_failures >= 0),
      row_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, external_id),
      UNIQUE (org_id, id),
      FOREIGN KEY (org_id, contact_id) REFERENCES contact (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX recurring_plan_contact_idx ON recurring_plan (org_id, contact_id)`.execute(db);

  await sql`
    CREATE TABLE gift (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 500),
      contact_id uuid NOT NULL,
      gift_date date NOT NULL,
      amount numeric(16, 2) NOT NULL,
      currency char(3) NOT NULL,
      payment_method text CHECK (length(payment_method) <= 200),
      campaign_external_id text CHECK (length(campaign_external_id) <= 500),
      package_external_id text CHECK (length(package_external_id) <= 500),
      gift_type text NOT NULL DEFAULT 'one-off' CHECK (length(gift_type) <= 50),
      recurring_plan_external_id text CHECK (length(recurring_plan_external_id) <= 500),
      row_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, external_id),
      FOREIGN KEY (org_id, contact_id) REFERENCES contact (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX gift_contact_date_idx ON gift (org_id, contact_id, gift_date)`.execute(db);

  await sql`
    CREATE TABLE communication (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      contact_id uuid NOT NULL,
      campaign_external_id text NOT NULL CHECK (length(campaign_external_id) BETWEEN 1 AND 500),
      package_external_id text CHECK (length(package_external_id) <= 500),
      sent_on date NOT NULL,
      channel text CHECK (length(channel) <= 100),
      response text CHECK (length(response) <= 100),
      row_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- A campaign member has no id of its own in most CRMs: who, which campaign and package, when.
      UNIQUE NULLS NOT DISTINCT (org_id, contact_id, campaign_external_id, package_external_id, sent_on),
      FOREIGN KEY (org_id, contact_id) REFERENCES contact (org_id, id) ON DELETE CASCADE
    )`.execute(db);

  for (const table of ['import_run', 'import_rejection', 'campaign', 'recurring_plan', 'gift', 'communication']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await tenantPolicy(table).execute(db);
  }
  // The organisation's own data: imports add, change and remove it.
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON campaign, recurring_plan, gift, communication TO kindling_app_access`.execute(db);
  // Import history is a record: written as a run goes, never deleted by the application.
  await sql`GRANT SELECT, INSERT, UPDATE ON import_run TO kindling_app_access`.execute(db);
  await sql`GRANT SELECT, INSERT ON import_rejection TO kindling_app_access`.execute(db);
}
