import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '@kindling/errors';
import type { Database } from '../schema.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who a unit of work runs for: the organisation (always) and, for a person's request, the user. */
export interface TenantContext {
  readonly orgId: string;
  readonly userId?: string | null | undefined;
}

declare const tenantScope: unique symbol;
declare const userScope: unique symbol;
declare const tokenScope: unique symbol;

/**
 * A transaction opened by withTenant: row-level security shows it exactly one organisation.
 * Code that touches tenant tables should ask for this type, so it cannot be handed a bare
 * connection (which, by design, would see no tenant rows at all).
 */
export type TenantTransaction = Transaction<Database> & { readonly [tenantScope]: true };

/** A transaction opened by withUserContext: a signed-in user before an organisation is chosen. */
export type UserContextTransaction = Transaction<Database> & { readonly [userScope]: true };

/** A transaction opened by withTokenLookup: one presented token's row, before its organisation is known. */
export type TokenLookupTransaction = Transaction<Database> & { readonly [tokenScope]: true };

/**
 * Returns the organisation id a tenant operation must run for, or throws when there is none.
 * Batch jobs call it on `job.org_id` before doing tenant work, so a job enqueued without an
 * organisation fails instead of running with no (or the wrong) context.
 */
export function requireTenant(orgId: string | null | undefined): string {
  if (orgId === null || orgId === undefined || orgId === '') {
    throw new AppError('FORBIDDEN', 'This operation needs an organisation, and none was given');
  }
  if (!uuidPattern.test(orgId)) throw new AppError('BAD_REQUEST', 'The organisation id is not a UUID');
  return orgId.toLowerCase();
}

function optionalUserId(userId: string | null | undefined): string {
  if (userId === null || userId === undefined || userId === '') return '';
  if (!uuidPattern.test(userId)) throw new AppError('BAD_REQUEST', 'The user id is not a UUID');
  return userId.toLowerCase();
}

export interface TenantTransactionOptions {
  /**
   * A read-only REPEATABLE READ transaction: every query sees the same snapshot, so work that
   * reads several tables in several queries (a backup) gets one consistent picture.
   */
  readonly snapshot?: boolean;
}

/**
 * Runs `work` in a transaction whose row-level security context is one organisation (and,
 * optionally, the acting user). The settings are transaction-local (`set_config(…, true)`), so
 * they vanish at commit or rollback and never leak to the next user of a pooled connection.
 * Takes the pool, not a transaction: switching tenants inside a transaction is not supported.
 */
export async function withTenant<T>(
  db: Kysely<Database>,
  context: TenantContext,
  work: (trx: TenantTransaction) => Promise<T>,
  options: TenantTransactionOptions = {},
): Promise<T> {
  const orgId = requireTenant(context.orgId);
  const userId = optionalUserId(context.userId);
  let transaction = db.transaction();
  if (options.snapshot === true) transaction = transaction.setIsolationLevel('repeatable read').setAccessMode('read only');
  return transaction.execute(async (trx) => {
    await sql`
      SELECT set_config('kindling.org_id', ${orgId}, true), set_config('kindling.user_id', ${userId}, true),
        set_config('kindling.token_hash', '', true)`.execute(trx);
    return work(trx as TenantTransaction);
  });
}

/**
 * Runs `work` for a signed-in user with no organisation selected: row-level security then shows
 * the user's own memberships and the organisations they belong to, and no tenant data.
 */
export async function withUserContext<T>(
  db: Kysely<Database>,
  userId: string,
  work: (trx: UserContextTransaction) => Promise<T>,
): Promise<T> {
  const user = optionalUserId(userId);
  if (user === '') throw new AppError('UNAUTHENTICATED', 'This operation needs a signed-in user');
  return db.transaction().execute(async (trx) => {
    await sql`
      SELECT set_config('kindling.org_id', '', true), set_config('kindling.user_id', ${user}, true),
        set_config('kindling.token_hash', '', true)`.execute(trx);
    return work(trx as UserContextTransaction);
  });
}

/**
 * Runs `work` with exactly one row readable: the invitation or API token whose SHA-256 is
 * `tokenHash` (and no other row of any tenant table). This is how a presented invitation link
 * or API token finds its organisation before a tenant context can exist; knowing the token is
 * the capability. The policy is read-only: act on the row afterwards inside withTenant.
 */
export async function withTokenLookup<T>(
  db: Kysely<Database>,
  tokenHash: Uint8Array,
  work: (trx: TokenLookupTransaction) => Promise<T>,
): Promise<T> {
  if (tokenHash.length < 32 || tokenHash.length > 64) throw new AppError('BAD_REQUEST', 'A token hash is 32 to 64 bytes long');
  const hex = Buffer.from(tokenHash).toString('hex');
  return db.transaction().execute(async (trx) => {
    await sql`
      SELECT set_config('kindling.org_id', '', true), set_config('kindling.user_id', '', true),
        set_config('kindling.token_hash', ${hex}, true)`.execute(trx);
    return work(trx as TokenLookupTransaction);
  });
}
