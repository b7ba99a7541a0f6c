import { sql, type Kysely } from 'kysely';

/**
 * Imports through the web app: files arrive as resumable uploads, and an import runs as a job.
 *
 * - import_upload: one file being uploaded in chunks. The bytes go to the organisation's
 *   encrypted object store as `uploads/<id>/<part>` (never the file's name); the row counts what
 *   arrived, so a client whose connection broke asks and resumes from there. Unfinished uploads
 *   are pruned after a day by a housekeeping job.
 * - import_run gains 'queued' (started, waiting for its job), `progress`: what the job is reading
 *   now ({file, entity, rows}), written at most once a second for the screen to poll, and
 *   `request`: how it was asked for, so it can be replayed from the files it kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE import_upload (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      -- The name the person's computer gave the file: shown back to them and in the import history.
      file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 500),
      size bigint NOT NULL CHECK (size >= 0),
      received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
      parts integer NOT NULL DEFAULT 0 CHECK (parts >= 0),
      created_by_user_id uuid,
      created_by_token_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, id)
    )`.execute(db);
  await sql`CREATE INDEX import_upload_stale_idx ON import_upload (org_id, updated_at)`.execute(db);
  await sql`ALTER TABLE import_upload ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE import_upload FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY import_upload_tenant ON import_upload
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON import_upload TO kindling_app_access`.execute(db);

  await sql`ALTER TABLE import_run DROP CONSTRAINT import_run_status_check`.execute(db);
  await sql`ALTER TABLE import_run ADD CONSTRAINT import_run_status_check CHECK (status IN ('queued', 'running', 'applied', 'refused', 'failed'))`.execute(db);
  await sql`ALTER TABLE import_run ADD COLUMN progress jsonb`.execute(db);
  // How an import started through the API was asked for (preset, mappings, answers, currency; headers
  // and field names, never values), so it can be replayed from its kept files.
  await sql`ALTER TABLE import_run ADD COLUMN request jsonb`.execute(db);
}
