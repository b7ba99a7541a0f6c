import { sql, type Kysely } from 'kysely';

/**
 * Two parts of the reference schema the first import tables left out:
 *
 * - gift_soft_credit: contacts credited with a gift they did not pay (a spouse, the person who
 *   raised it). Rewritten with its gift: an import that changes a gift's soft credits replaces them.
 * - recurring_plan_amount: a plan's amount history. CRMs export only the current amount, so each
 *   import that sees a new amount records it with the day it was seen; upgrades and downgrades are
 *   read from this history, never guessed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE gift ADD CONSTRAINT gift_org_id_id_key UNIQUE (org_id, id)`.execute(db);
  await sql`
    CREATE TABLE gift_soft_credit (
      -- A key of its own, so backups can page through the rows in a stable order.
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL,
      gift_id uuid NOT NULL,
      contact_id uuid NOT NULL,
      UNIQUE (org_id, gift_id, contact_id),
      FOREIGN KEY (org_id, gift_id) REFERENCES gift (org_id, id) ON DELETE CASCADE,
      FOREIGN KEY (org_id, contact_id) REFERENCES contact (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX gift_soft_credit_contact_idx ON gift_soft_credit (org_id, contact_id)`.execute(db);

  await sql`
    CREATE TABLE recurring_plan_amount (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL,
      plan_id uuid NOT NULL,
      -- The day an import first saw this amount (the CRM does not say when it changed).
      observed_on date NOT NULL,
      amount numeric(16, 2) NOT NULL,
      import_run_id uuid,
      UNIQUE (org_id, plan_id, observed_on),
      FOREIGN KEY (org_id, plan_id) REFERENCES recurring_plan (org_id, id) ON DELETE CASCADE
    )`.execute(db);

  for (const table of ['gift_soft_credit', 'recurring_plan_amount']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY ${sql.id(`${table}_tenant`)} ON ${sql.table(table)}
        USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
        WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  }
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON gift_soft_credit, recurring_plan_amount TO kindling_app_access`.execute(db);
}
