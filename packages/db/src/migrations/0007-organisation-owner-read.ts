import { sql, type Kysely } from 'kysely';

/**
 * Lets the owner role list every organisation, for operator commands that act on all of them
 * (`kindling keys rotate` without --org). FORCE ROW LEVEL SECURITY applies to a table's owner
 * unless it is a superuser, so on managed PostgreSQL the owner would otherwise see no
 * organisation at all, and "all organisations" would silently mean none. Read only, and only
 * for the owner (like audit_event_owner_read): the application role gains nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE POLICY organisation_owner_read ON organisation FOR SELECT TO CURRENT_USER USING (true)`.execute(db);
}
