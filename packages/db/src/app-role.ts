import { sql, type Kysely } from 'kysely';
import { AppError } from '@kindling/errors';

/** The login role the API and job processes use. It owns nothing and inherits only data privileges. */
export const appRoleName = 'kindling_app';

/**
 * Creates or updates the application login role with the given password and returns its
 * connection URL (the owner URL with the credentials swapped). Runs as the owner after migrations.
 */
export async function ensureAppRole(ownerDb: Kysely<unknown>, ownerUrl: string, password: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{32,}$/.test(password)) {
    // The password is inlined as a literal (DDL takes no bind parameters); only generated ones qualify.
    throw new AppError('INTERNAL', 'the application role password must be a generated base64url secret');
  }
  try {
    await sql`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kindling_app') THEN
          CREATE ROLE kindling_app LOGIN;
        END IF;
      END $$`.execute(ownerDb);
    // PostgreSQL takes no bind parameters in ALTER ROLE; the value was checked above to be a
    // generated base64url secret, and sql.lit quotes it as a string literal.
    // eslint-disable-next-line kindling/no-raw-sql -- DDL literal of a validated generated secret
    await sql`ALTER ROLE kindling_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${sql.lit(password)}`.execute(ownerDb);
    await sql`GRANT kindling_app_access TO kindling_app`.execute(ownerDb);
    const { rows } = await sql<{ db: string }>`SELECT current_database() AS db`.execute(ownerDb);
    const database = rows[0]?.db ?? 'postgres';
    await sql`GRANT CONNECT ON DATABASE ${sql.id(database)} TO kindling_app`.execute(ownerDb);
  } catch (error) {
    throw new AppError(
      'UNAVAILABLE',
      'Could not create the application database role: the DATABASE_URL user needs CREATEROLE, or set DATABASE_APP_URL to a role that is a member of kindling_app_access',
      { cause: error },
    );
  }
  const url = new URL(ownerUrl);
  url.username = appRoleName;
  url.password = password;
  return url.toString();
}
