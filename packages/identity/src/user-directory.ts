import { randomUUID } from 'node:crypto';
import { isRole, type Role } from '@kindling/access';
import { AppError } from '@kindling/errors';
import { withUserContext, type Database, type Kysely, type UserStatus } from '@kindling/db';
import { normaliseEmail } from '@kindling/crypto';
import {
  platformScopeId,
  userEmailIndexPurpose,
  type FieldContext,
  type FieldProtection,
} from './identity-dependencies.js';

/** The parts of an `app_user` row the identity services act on. Never the e-mail address. */
export interface UserAccount {
  readonly id: string;
  readonly status: UserStatus;
  readonly passwordHash: string | null;
  readonly mfaEnrolled: boolean;
  readonly emailBlindIndex: Buffer;
}

/** One organisation a user belongs to, as the organisation picker shows it. */
export interface OrganisationMembership {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface UserDirectory {
  /** The keyed blind index of an address (normalised first): how accounts and invitations are found. */
  emailBlindIndex(email: string): Promise<Buffer>;
  findByEmailBlindIndex(blindIndex: Uint8Array, db?: Kysely<Database>): Promise<UserAccount | undefined>;
  findById(userId: string, db?: Kysely<Database>): Promise<UserAccount | undefined>;
  /** Decrypts the user's address; for showing it to the user, never for logs. */
  emailOf(userId: string): Promise<string>;
  /**
   * Returns the account for `email`, creating it with status `invited` (no password, address
   * stored encrypted) when there is none. Safe under concurrency: one row per address.
   */
  ensureUser(email: string, db?: Kysely<Database>): Promise<{ readonly id: string; readonly created: boolean }>;
  /** Organisations the user belongs to (not deleted), by name. */
  organisationsOf(userId: string): Promise<OrganisationMembership[]>;
  /** The user's role in one organisation, or undefined when not a member (or it is deleted). */
  membershipRole(userId: string, orgId: string): Promise<Role | undefined>;
}

export interface UserDirectoryDependencies {
  readonly db: Kysely<Database>;
  readonly fields: FieldProtection;
}

function emailContext(userId: string): FieldContext {
  // Bound to the row: a ciphertext copied onto another account does not decrypt there.
  return { orgId: platformScopeId, purpose: 'field', table: 'app_user', column: 'email_ciphertext', rowId: userId };
}

const accountColumns = ['id', 'status', 'password_hash', 'mfa_enrolled_at', 'email_blind_index'] as const;

function toAccount(row: {
  id: string;
  status: UserStatus;
  password_hash: string | null;
  mfa_enrolled_at: Date | null;
  email_blind_index: Buffer;
}): UserAccount {
  return {
    id: row.id,
    status: row.status,
    passwordHash: row.password_hash,
    mfaEnrolled: row.mfa_enrolled_at !== null,
    emailBlindIndex: row.email_blind_index,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createUserDirectory(deps: UserDirectoryDependencies): UserDirectory {
  const { fields } = deps;

  const directory: UserDirectory = {
    emailBlindIndex(email) {
      return fields.blindIndex(platformScopeId, userEmailIndexPurpose, normaliseEmail(email));
    },

    async findByEmailBlindIndex(blindIndex, db = deps.db) {
      const row = await db.selectFrom('app_user').select(accountColumns).where('email_blind_index', '=', Buffer.from(blindIndex)).executeTakeFirst();
      return row === undefined ? undefined : toAccount(row);
    },

    async findById(userId, db = deps.db) {
      if (!uuidPattern.test(userId)) return undefined;
      const row = await db.selectFrom('app_user').select(accountColumns).where('id', '=', userId).executeTakeFirst();
      return row === undefined ? undefined : toAccount(row);
    },

    async emailOf(userId) {
      const row = await deps.db.selectFrom('app_user').select('email_ciphertext').where('id', '=', userId).executeTakeFirst();
      if (row?.email_ciphertext === undefined || row.email_ciphertext === null) {
        throw new AppError('INTERNAL', 'The account has no stored e-mail address');
      }
      return fields.decryptField(row.email_ciphertext, emailContext(userId));
    },

    async ensureUser(email, db = deps.db) {
      const blindIndex = await directory.emailBlindIndex(email);
      const existing = await directory.findByEmailBlindIndex(blindIndex, db);
      if (existing !== undefined) return { id: existing.id, created: false };
      // The id is chosen here because the ciphertext is bound to it (AAD) before the row exists.
      const id = randomUUID();
      const ciphertext = await fields.encryptField(normaliseEmail(email), emailContext(id));
      const inserted = await db
        .insertInto('app_user')
        .values({ id, email_blind_index: blindIndex, email_ciphertext: ciphertext, status: 'invited' })
        .onConflict((conflict) => conflict.column('email_blind_index').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return { id: inserted.id, created: true };
      // Another request created the account between our read and insert.
      const winner = await directory.findByEmailBlindIndex(blindIndex, db);
      if (winner === undefined) throw new AppError('INTERNAL', 'An account vanished while it was being created');
      return { id: winner.id, created: false };
    },

    async organisationsOf(userId) {
      const rows = await withUserContext(deps.db, userId, (trx) =>
        trx
          .selectFrom('membership')
          .innerJoin('organisation', 'organisation.id', 'membership.org_id')
          .select(['organisation.id', 'organisation.name', 'membership.role'])
          .where('membership.user_id', '=', userId)
          .where('organisation.deleted_at', 'is', null)
          .orderBy('organisation.name')
          .execute(),
      );
      return rows.flatMap((row) => (isRole(row.role) ? [{ id: row.id, name: row.name, role: row.role }] : []));
    },

    async membershipRole(userId, orgId) {
      if (!uuidPattern.test(orgId)) return undefined;
      const row = await withUserContext(deps.db, userId, (trx) =>
        trx
          .selectFrom('membership')
          .innerJoin('organisation', 'organisation.id', 'membership.org_id')
          .select('membership.role')
          .where('membership.user_id', '=', userId)
          .where('membership.org_id', '=', orgId)
          .where('organisation.deleted_at', 'is', null)
          .executeTakeFirst(),
      );
      return row !== undefined && isRole(row.role) ? row.role : undefined;
    },
  };
  return directory;
}
