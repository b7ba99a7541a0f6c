import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MembershipRole } from '../schema.js';
import { withTenant } from '../tenancy/tenant-context.js';

/**
 * Turns a normalised e-mail address into its blind index. The real one comes from the crypto
 * package (with a managed key); tests pass this stand-in, so the function is swappable.
 */
export type EmailBlindIndex = (normalisedEmail: string) => Buffer;

/** HMAC-SHA256 under `key`: the stand-in blind index for tests, never for production data. */
export function hmacBlindIndexForTests(key: Uint8Array): EmailBlindIndex {
  return (email) => createHmac('sha256', key).update(email.trim().toLowerCase(), 'utf8').digest();
}

/**
 * Creates an organisation. Runs inside its own tenant context, so it works for any role,
 * including an owner that is not a superuser (row-level security is forced for owners too).
 */
export async function seedOrganisation(db: Kysely<Database>, name = 'Test charity'): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `test-${randomBytes(6).toString('hex')}`;
  await withTenant(db, { orgId: id }, (trx) => trx.insertInto('organisation').values({ id, name, slug }).execute());
  return { id, slug };
}

export async function seedUser(db: Kysely<Database>, email: string, blindIndex: EmailBlindIndex): Promise<{ id: string }> {
  return db
    .insertInto('app_user')
    .values({ email_blind_index: blindIndex(email), status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function seedMembership(db: Kysely<Database>, orgId: string, userId: string, role: MembershipRole): Promise<void> {
  await withTenant(db, { orgId }, (trx) => trx.insertInto('membership').values({ org_id: orgId, user_id: userId, role }).execute());
}
