import { sql, type Kysely } from 'kysely';

/**
 * Lets the periodic housekeeping job delete invitations that can no longer be used, across all
 * organisations, without giving the application role any cross-tenant access.
 *
 * Why a SECURITY DEFINER function rather than iterating organisations in the job: the job runs
 * as the application role, which under row-level security cannot even list the organisations,
 * and a policy letting it reach every tenant's invitations would undo the fence for all of its
 * code. The function does one fixed thing, and the worst the application role can do through it
 * is delete invitations that are already unusable (accepted, withdrawn or expired by the
 * database's own clock); `p_ended_before` only chooses how long those are kept.
 *
 * FORCE ROW LEVEL SECURITY binds the owner too unless it is a superuser (managed PostgreSQL), so
 * the function, which runs as the owner, gets two owner-only policies that reach exactly those
 * unusable rows: live invitations stay invisible to the owner as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const unusable = sql`(accepted_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at <= now())`;
  await sql`CREATE POLICY invitation_owner_housekeeping_read ON invitation FOR SELECT TO CURRENT_USER USING ${unusable}`.execute(db);
  await sql`CREATE POLICY invitation_owner_housekeeping_delete ON invitation FOR DELETE TO CURRENT_USER USING ${unusable}`.execute(db);

  await sql`
    CREATE FUNCTION prune_unusable_invitations(p_ended_before timestamptz) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $fn$
    DECLARE
      v_deleted bigint;
    BEGIN
      DELETE FROM public.invitation i
        WHERE (i.accepted_at IS NOT NULL OR i.revoked_at IS NOT NULL OR i.expires_at <= now())
          AND least(coalesce(i.accepted_at, 'infinity'), coalesce(i.revoked_at, 'infinity'), i.expires_at) < p_ended_before;
      GET DIAGNOSTICS v_deleted = ROW_COUNT;
      RETURN v_deleted;
    END
    $fn$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION prune_unusable_invitations(timestamptz) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION prune_unusable_invitations(timestamptz) TO kindling_app_access`.execute(db);
}
