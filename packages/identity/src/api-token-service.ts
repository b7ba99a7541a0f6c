import type { Role } from '@kindling/access';
import { AppError } from '@kindling/errors';
import { withTenant, withTokenLookup, type Database, type Kysely } from '@kindling/db';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import { actorRoleIn, auditActorOf, withActorTenant, type OrganisationActor } from './membership-service.js';
import { hashToken, issueToken } from './opaque-token.js';

const apiTokenPrefix = 'kdl_t_';
const apiTokenPattern = /^kdl_t_[A-Za-z0-9_-]{43}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `last_used_at` is written at most this often per token. */
const lastUsedResolutionMs = 60_000;

/** The roles a token may hold: never owner (keys and ownership stay with people). */
export type ApiTokenRole = Exclude<Role, 'owner'>;

export interface ApiTokenSummary {
  readonly id: string;
  readonly name: string;
  readonly role: ApiTokenRole;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export interface CreatedApiToken extends ApiTokenSummary {
  /** The secret; shown once, stored only as its SHA-256. */
  readonly token: string;
}

/** A presented API token that is valid right now. */
export interface AuthenticatedApiToken {
  readonly tokenId: string;
  readonly orgId: string;
  readonly role: ApiTokenRole;
}

export interface ApiTokenService {
  /** Issues a token for machines (needs `tokens.manage`); audits `token.created`. */
  create(
    input: { readonly orgId: string; readonly name: string; readonly role: ApiTokenRole; readonly expiresInDays: number },
    actor: OrganisationActor,
    meta: RequestMeta,
  ): Promise<CreatedApiToken>;
  /** The organisation's tokens that are neither revoked nor expired, newest first; no secrets. */
  list(orgId: string, actor: OrganisationActor): Promise<ApiTokenSummary[]>;
  /** Revokes a token; audits `token.revoked`. NOT_FOUND for an unknown, revoked or foreign id. */
  revoke(input: { readonly orgId: string; readonly tokenId: string }, actor: OrganisationActor, meta: RequestMeta): Promise<void>;
  /** The token behind a presented secret, or undefined when unknown, revoked or expired. */
  authenticate(token: string): Promise<AuthenticatedApiToken | undefined>;
}

export interface ApiTokenServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
}

const summaryColumns = ['id', 'name', 'role', 'created_by', 'created_at', 'expires_at', 'last_used_at'] as const;

function toSummary(row: {
  id: string;
  name: string;
  role: ApiTokenRole;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}): ApiTokenSummary {
  return { id: row.id, name: row.name, role: row.role, createdBy: row.created_by, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

export function createApiTokenService(deps: ApiTokenServiceDependencies): ApiTokenService {
  const { db, clock, audit } = deps;

  return {
    async create({ orgId, name, role, expiresInDays }, actor, meta) {
      if ((role as Role) === 'owner') throw new AppError('FORBIDDEN', 'An API token cannot be an owner.');
      if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) {
        throw new AppError('VALIDATION_FAILED', 'expiresInDays must be a whole number from 1 to 365.');
      }
      const { token, hash } = issueToken(apiTokenPrefix);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + expiresInDays * 24 * 3_600_000);
      return withActorTenant(db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'tokens.manage');
        const row = await trx
          .insertInto('api_token')
          .values({ org_id: orgId, name, role, token_hash: hash, created_by: actor.kind === 'token' ? null : actor.userId, created_at: now, expires_at: expiresAt })
          .returning(summaryColumns)
          .executeTakeFirstOrThrow();
        await audit(trx, {
          orgId,
          action: 'token.created',
          ...auditActorOf(actor),
          target: { type: 'api_token', id: row.id },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role, expiresInDays },
        });
        return { ...toSummary(row), token };
      });
    },

    async list(orgId, actor) {
      const now = clock.now();
      const rows = await withActorTenant(db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'tokens.manage');
        return trx
          .selectFrom('api_token')
          .select(summaryColumns)
          .where('org_id', '=', orgId)
          .where('revoked_at', 'is', null)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .orderBy('created_at', 'desc')
          .execute();
      });
      return rows.map(toSummary);
    },

    async revoke({ orgId, tokenId }, actor, meta) {
      await withActorTenant(db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'tokens.manage');
        if (!uuidPattern.test(tokenId)) throw new AppError('NOT_FOUND', 'No such API token.');
        const revoked = await trx
          .updateTable('api_token')
          .set({ revoked_at: clock.now() })
          .where('id', '=', tokenId)
          .where('org_id', '=', orgId)
          .where('revoked_at', 'is', null)
          .returning('role')
          .executeTakeFirst();
        if (revoked === undefined) throw new AppError('NOT_FOUND', 'No such API token.');
        await audit(trx, {
          orgId,
          action: 'token.revoked',
          ...auditActorOf(actor),
          target: { type: 'api_token', id: tokenId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role: revoked.role },
        });
      });
    },

    async authenticate(token) {
      if (!apiTokenPattern.test(token)) return undefined;
      const hash = hashToken(token);
      const row = await withTokenLookup(db, hash, (trx) =>
        trx.selectFrom('api_token').select(['id', 'org_id', 'role', 'expires_at', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash).executeTakeFirst(),
      );
      const now = clock.now();
      if (row?.revoked_at !== null || (row.expires_at !== null && row.expires_at.getTime() <= now.getTime())) return undefined;
      const live = await withTenant(db, { orgId: row.org_id }, async (trx) => {
        const organisation = await trx.selectFrom('organisation').select('id').where('id', '=', row.org_id).where('deleted_at', 'is', null).executeTakeFirst();
        if (organisation === undefined) return false;
        if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= lastUsedResolutionMs) {
          await trx
            .updateTable('api_token')
            .set({ last_used_at: now })
            .where('id', '=', row.id)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - lastUsedResolutionMs))]))
            .execute();
        }
        return true;
      });
      return live ? { tokenId: row.id, orgId: row.org_id, role: row.role } : undefined;
    },
  };
}
