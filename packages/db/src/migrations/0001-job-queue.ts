import { sql, type Kysely } from 'kysely';

/**
 * The batch job queue and dispatcher registry.
 * `kindling_app_access` is the NOLOGIN group role whose privileges the application login role
 * inherits: the app may read and write rows but owns nothing and can change no schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kindling_app_access') THEN
        CREATE ROLE kindling_app_access NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
      END IF;
    END $$`.execute(db);

  await db.schema
    .createTable('job')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3).check(sql`max_attempts BETWEEN 1 AND 20`))
    .addColumn('run_after', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('singleton_key', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('result', 'jsonb')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The claim query scans only ready jobs, oldest first.
  await sql`CREATE INDEX job_ready_idx ON job (run_after, created_at) WHERE status = 'queued'`.execute(db);
  await sql`CREATE UNIQUE INDEX job_singleton_idx ON job (singleton_key) WHERE singleton_key IS NOT NULL AND status IN ('queued', 'running')`.execute(db);
  await sql`CREATE INDEX job_finished_idx ON job (finished_at) WHERE finished_at IS NOT NULL`.execute(db);

  await db.schema
    .createTable('dispatcher')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('stopped_at', 'timestamptz')
    .execute();

  await sql`GRANT USAGE ON SCHEMA public TO kindling_app_access`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON job, dispatcher TO kindling_app_access`.execute(db);
  await sql`GRANT SELECT ON kysely_migration TO kindling_app_access`.execute(db);
}
