/**
 * The one list of tables that are NOT fenced by organisation, each with the reason.
 *
 * Every other table in the `public` schema must carry `org_id` and have row-level security
 * enabled and forced with a policy on `kindling.org_id`; the catalog test
 * (tenant-isolation.test.ts) reads pg_catalog and fails on any table that is neither. Adding a
 * table here is a design decision for review: say why it holds no tenant data, or what fences it
 * instead. See docs/tenant-isolation.md.
 */
export const globalTables = {
  organisation:
    'The tenant itself: it has no org_id because its id is the tenant key. Still fenced by row-level security: visible and writable when id = kindling.org_id, readable by its members (kindling.user_id) for the organisation picker.',
  app_user:
    'A person may belong to several organisations, and sign-in must find a user by e-mail blind index before any tenant context exists. Holds no tenant data and no plain-text e-mail (ciphertext and a keyed blind index only); reached by user id or blind index, and per organisation only through membership, which is fenced.',
  user_session:
    'Looked up by token hash on every request, before any context exists: the token is the capability. Its org_id is the organisation the user has selected (a preference), not ownership.',
  mfa_totp:
    "A user's second factor, global like the user: verified during sign-in before an organisation is chosen. The secret is stored encrypted.",
  mfa_recovery_code: 'Recovery codes of a user (slow hashes only), used during sign-in before an organisation is chosen.',
  webauthn_credential: "A user's passkeys and security keys, used during sign-in before an organisation is chosen (public keys only).",
  webauthn_challenge:
    'The pending passkey ceremony of a session (a random challenge, single-use, expiring in minutes): reached by session id during sign-in, before an organisation is chosen. No personal data.',
  auth_throttle:
    'Failed sign-in counters keyed by account or client address; they must work before the user, let alone the organisation, is known.',
  audit_chain_head:
    'One row holding the hash of the last audit event across all organisations (the chain is global). Only the audit_append function (owner) reads or writes it; the application role has no privilege on it.',
  job: 'System table of the job dispatcher, which claims ready jobs across all organisations. A tenant job carries org_id and its handler runs inside withTenant(requireTenant(job.org_id)); payloads must not carry personal data.',
  dispatcher: 'System table: one row per running job dispatcher process (host, pid, heartbeats). No tenant data.',
  kysely_migration: 'Migration bookkeeping (names and timestamps). No tenant data.',
  kysely_migration_lock: 'Migration lock row. No tenant data.',
} as const satisfies Readonly<Record<string, string>>;

export type GlobalTable = keyof typeof globalTables;
