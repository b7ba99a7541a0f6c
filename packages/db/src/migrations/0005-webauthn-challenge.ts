import { sql, type Kysely } from 'kysely';

/**
 * The pending WebAuthn ceremony of a session: the challenge the server handed out for adding a
 * passkey or for using one as the second factor.
 *
 * Kept server-side (not in a cookie or signed token) so that a challenge is single-use: the
 * verifying request deletes the row and only the request whose DELETE returned it may go on.
 * One row per session, replaced by each new ceremony; it expires after minutes and disappears
 * with its session. Global like user_session (see tenancy/global-tables.ts): it is reached by
 * session id during sign-in, before any organisation is chosen, and holds no personal data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE webauthn_challenge (
      session_id uuid PRIMARY KEY REFERENCES user_session (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('registration', 'authentication')),
      challenge bytea NOT NULL CHECK (octet_length(challenge) BETWEEN 16 AND 64),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX webauthn_challenge_expires_idx ON webauthn_challenge (expires_at)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON webauthn_challenge TO kindling_app_access`.execute(db);
}
