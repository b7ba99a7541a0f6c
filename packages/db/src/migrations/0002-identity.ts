import { sql, type Kysely } from 'kysely';

/**
 * Identity and access: organisations (tenants), users, memberships, sessions, second factors,
 * invitations, API tokens, sign-in throttling, and the hash-chained audit log.
 *
 * Tenant isolation is enforced here, by PostgreSQL: every table carrying `org_id` has row-level
 * security ENABLED and FORCED, with policies keyed on the transaction-local setting
 * `kindling.org_id` (set by withTenant), so a query without a tenant context sees no rows.
 * Tables without `org_id` are listed, each with its reason, in tenancy/global-tables.ts;
 * docs/tenant-isolation.md explains the design. The catalog test fails on any table that is
 * neither fenced nor listed.
 *
 * The DDL is written out in full (no interpolation): the catalog test and a reviewer read the
 * policies exactly as PostgreSQL stores them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // ---------------------------------------------------------------- tenants, users, memberships

  await sql`
    CREATE TABLE organisation (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE app_user (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email_ciphertext bytea,
      email_blind_index bytea NOT NULL UNIQUE CHECK (octet_length(email_blind_index) BETWEEN 16 AND 64),
      password_hash text CHECK (password_hash LIKE '$argon2id$%'),
      status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      password_changed_at timestamptz,
      mfa_enrolled_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE membership (
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst', 'viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX membership_user_idx ON membership (user_id)`.execute(db);

  // ---------------------------------------------------------------- authentication (global)

  await sql`
    CREATE TABLE user_session (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) BETWEEN 32 AND 64),
      user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      org_id uuid REFERENCES organisation (id) ON DELETE SET NULL,
      stage text NOT NULL CHECK (stage IN ('password', 'mfa_complete')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text CHECK (length(revoked_reason) <= 200),
      client_address inet,
      user_agent text CHECK (length(user_agent) <= 1024),
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX user_session_user_idx ON user_session (user_id) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX user_session_expires_idx ON user_session (expires_at)`.execute(db);

  await sql`
    CREATE TABLE mfa_totp (
      user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
      secret_ciphertext bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz,
      last_used_step bigint CHECK (last_used_step >= 0)
    )`.execute(db);

  await sql`
    CREATE TABLE mfa_recovery_code (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      code_hash bytea NOT NULL CHECK (octet_length(code_hash) BETWEEN 32 AND 64),
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX mfa_recovery_code_user_idx ON mfa_recovery_code (user_id)`.execute(db);

  await sql`
    CREATE TABLE webauthn_credential (
      id bytea PRIMARY KEY CHECK (octet_length(id) BETWEEN 16 AND 1023),
      user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      public_key bytea NOT NULL,
      counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
      transports text[] NOT NULL DEFAULT '{}',
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX webauthn_credential_user_idx ON webauthn_credential (user_id)`.execute(db);

  await sql`
    CREATE TABLE auth_throttle (
      key text PRIMARY KEY CHECK (key ~ '^[a-z_]+:.{1,200}$'),
      failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
      first_failure_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz
    )`.execute(db);

  // ---------------------------------------------------------------- tenant tables

  await sql`
    CREATE TABLE invitation (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      email_blind_index bytea NOT NULL CHECK (octet_length(email_blind_index) BETWEEN 16 AND 64),
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst', 'viewer')),
      token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) BETWEEN 32 AND 64),
      invited_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz,
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX invitation_org_email_idx ON invitation (org_id, email_blind_index)`.execute(db);

  // Machine tokens never hold the owner role: ownership (keys, other owners) stays with people.
  await sql`
    CREATE TABLE api_token (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) BETWEEN 32 AND 64),
      created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX api_token_org_idx ON api_token (org_id)`.execute(db);

  // ---------------------------------------------------------------- row-level security

  // The tenant: visible and writable inside its own context; readable by its members before one
  // is chosen (the organisation picker after sign-in runs under withUserContext).
  await sql`ALTER TABLE organisation ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE organisation FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY organisation_tenant ON organisation
      USING (id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  await sql`
    CREATE POLICY organisation_member_read ON organisation FOR SELECT
      USING (EXISTS (
        SELECT FROM membership m
        WHERE m.org_id = organisation.id
          AND m.user_id = nullif(current_setting('kindling.user_id', true), '')::uuid
      ))`.execute(db);

  // Memberships: the organisation's rows in its context; a user's own rows across organisations.
  await sql`ALTER TABLE membership ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE membership FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY membership_tenant ON membership
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  await sql`
    CREATE POLICY membership_own_read ON membership FOR SELECT
      USING (user_id = nullif(current_setting('kindling.user_id', true), '')::uuid)`.execute(db);

  await sql`ALTER TABLE invitation ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE invitation FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY invitation_tenant ON invitation
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);

  await sql`ALTER TABLE api_token ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE api_token FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY api_token_tenant ON api_token
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);

  // A presented API token or invitation link must be resolved to its organisation before a
  // tenant context can exist. Knowing the token is the capability: with the token's hash in
  // kindling.token_hash (withTokenLookup), exactly that one row is readable, and nothing else.
  await sql`
    CREATE POLICY invitation_token_lookup ON invitation FOR SELECT
      USING (token_hash = decode(nullif(current_setting('kindling.token_hash', true), ''), 'hex'))`.execute(db);
  await sql`
    CREATE POLICY api_token_token_lookup ON api_token FOR SELECT
      USING (token_hash = decode(nullif(current_setting('kindling.token_hash', true), ''), 'hex'))`.execute(db);

  // ---------------------------------------------------------------- audit log

  await sql`
    CREATE TABLE audit_event (
      seq bigserial PRIMARY KEY,
      org_id uuid,
      occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_user_id uuid,
      actor_token_id uuid,
      action text NOT NULL CHECK (action ~ '^[a-z][a-z_]*([.][a-z][a-z_]*)+$' AND length(action) <= 100),
      target_type text CHECK (target_type ~ '^[a-z][a-z_]*$' AND length(target_type) <= 50),
      target_id text CHECK (length(target_id) BETWEEN 1 AND 200),
      client_address inet,
      user_agent text CHECK (length(user_agent) <= 1024),
      details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object' AND octet_length(details::text) <= 8192),
      prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
      row_hash bytea NOT NULL CHECK (octet_length(row_hash) = 32),
      CHECK ((target_type IS NULL) = (target_id IS NULL))
    )`.execute(db);
  // No foreign keys on purpose: an audit row must never be changed (ON DELETE SET NULL would
  // break its hash) or block the removal of what it mentions.
  await sql`CREATE INDEX audit_event_org_idx ON audit_event (org_id, seq)`.execute(db);

  // The chain head: one row, locked FOR UPDATE by every append, so appends serialise and the
  // chain cannot fork. A row lock (unlike an advisory lock taken after the snapshot) also makes
  // a REPEATABLE READ caller fail with a serialization error instead of reading a stale head.
  await sql`
    CREATE TABLE audit_chain_head (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      last_seq bigint,
      last_hash bytea NOT NULL CHECK (octet_length(last_hash) = 32)
    )`.execute(db);
  await sql`INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (true, NULL, decode(repeat('00', 32), 'hex'))`.execute(db);

  // Tenants read their own events. Org-less events (e.g. a failed sign-in for an unknown
  // account) match no tenant, so only the owner role sees them. The owner (this migration's
  // role, which also owns audit_append) reads and appends everything; FORCE still denies it
  // UPDATE and DELETE through the table, since no policy allows them.
  await sql`ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE audit_event FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY audit_event_tenant_read ON audit_event FOR SELECT
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  await sql`CREATE POLICY audit_event_owner_read ON audit_event FOR SELECT TO CURRENT_USER USING (true)`.execute(db);
  await sql`CREATE POLICY audit_event_owner_append ON audit_event FOR INSERT TO CURRENT_USER WITH CHECK (true)`.execute(db);

  // Canonical form v1 of an audit row, the input of its hash (docs/tenant-isolation.md):
  // the UTF-8 text of a JSON array, in this order, with JSON null for null:
  //   ["kindling.audit.v1", seq, org_id, occurred_at as UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ",
  //    actor_user_id, actor_token_id, action, target_type, target_id, client_address (inet text),
  //    user_agent, details]
  // rendered by PostgreSQL's jsonb output, which is deterministic (object keys sorted, one
  // space after ',' and ':'). seq is included, so moving a row's content to another seq breaks it.
  await sql`
    CREATE FUNCTION audit_event_canonical(
      seq bigint, org_id uuid, occurred_at timestamptz, actor_user_id uuid, actor_token_id uuid,
      action text, target_type text, target_id text, client_address inet, user_agent text, details jsonb
    ) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $fn$
      SELECT convert_to(jsonb_build_array(
        'kindling.audit.v1', seq, org_id,
        to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor_user_id, actor_token_id, action, target_type, target_id, client_address, user_agent, details
      )::text, 'UTF8')
    $fn$`.execute(db);

  // The only way rows enter audit_event. SECURITY DEFINER (runs as the owner, with a fixed
  // search_path and schema-qualified names) so that hashing, locking and inserting happen
  // atomically in the database while the application role holds only EXECUTE and SELECT.
  await sql`
    CREATE FUNCTION audit_append(
      p_org_id uuid, p_actor_user_id uuid, p_actor_token_id uuid, p_action text,
      p_target_type text, p_target_id text, p_client_address inet, p_user_agent text, p_details jsonb
    ) RETURNS TABLE (appended_seq bigint, appended_at timestamptz, appended_hash bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $fn$
    DECLARE
      v_tenant uuid := nullif(current_setting('kindling.org_id', true), '')::uuid;
      v_details jsonb := coalesce(p_details, '{}'::jsonb);
      v_prev bytea;
      v_seq bigint;
      v_at timestamptz;
      v_hash bytea;
    BEGIN
      -- An organisation's event can only be written from inside that organisation's context, so
      -- a request for one tenant cannot put events into another tenant's log.
      IF p_org_id IS NOT NULL AND p_org_id IS DISTINCT FROM v_tenant THEN
        RAISE EXCEPTION 'audit events of an organisation must be appended inside its tenant context'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      SELECT h.last_hash INTO STRICT v_prev FROM public.audit_chain_head h WHERE h.id FOR UPDATE;
      -- Taken under the head lock, so seq order is chain order (a rolled-back append leaves a
      -- gap in seq but no gap in the chain).
      v_seq := nextval('public.audit_event_seq_seq'::regclass);
      v_at := clock_timestamp();
      v_hash := sha256(v_prev || public.audit_event_canonical(
        v_seq, p_org_id, v_at, p_actor_user_id, p_actor_token_id, p_action,
        p_target_type, p_target_id, p_client_address, p_user_agent, v_details));
      INSERT INTO public.audit_event (seq, org_id, occurred_at, actor_user_id, actor_token_id, action,
          target_type, target_id, client_address, user_agent, details, prev_hash, row_hash)
        VALUES (v_seq, p_org_id, v_at, p_actor_user_id, p_actor_token_id, p_action,
          p_target_type, p_target_id, p_client_address, p_user_agent, v_details, v_prev, v_hash);
      UPDATE public.audit_chain_head h SET last_seq = v_seq, last_hash = v_hash WHERE h.id;
      RETURN QUERY SELECT v_seq, v_at, v_hash;
    END
    $fn$`.execute(db);

  // ---------------------------------------------------------------- privileges

  // Functions are executable by PUBLIC by default; these are not.
  await sql`REVOKE ALL ON FUNCTION audit_event_canonical(bigint, uuid, timestamptz, uuid, uuid, text, text, text, inet, text, jsonb) FROM PUBLIC`.execute(db);
  await sql`REVOKE ALL ON FUNCTION audit_append(uuid, uuid, uuid, text, text, text, inet, text, jsonb) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION audit_append(uuid, uuid, uuid, text, text, text, inet, text, jsonb) TO kindling_app_access`.execute(db);

  // Organisations and users are disabled or soft-deleted, never deleted by the application;
  // erasure is an operator task. API tokens are revoked, and kept for the audit trail.
  await sql`GRANT SELECT, INSERT, UPDATE ON organisation, app_user, api_token TO kindling_app_access`.execute(db);
  await sql`
    GRANT SELECT, INSERT, UPDATE, DELETE
      ON membership, user_session, mfa_totp, mfa_recovery_code, webauthn_credential, invitation, auth_throttle
      TO kindling_app_access`.execute(db);
  // Append-only: reads through RLS, writes only through audit_append. No INSERT, UPDATE, DELETE
  // or TRUNCATE, and no sequence privilege (the function, running as the owner, draws seq).
  await sql`GRANT SELECT ON audit_event TO kindling_app_access`.execute(db);
  // audit_chain_head: no privilege at all.
}
