import type { Database, Kysely } from '@kindling/db';
import { actorRoleIn, withActorTenant, type OrganisationActor } from './membership-service.js';

export interface AuditLogQuery {
  readonly action?: string | undefined;
  readonly actorUserId?: string | undefined;
  /** Events at or after this instant. */
  readonly from?: Date | undefined;
  /** Events before this instant. */
  readonly to?: Date | undefined;
  /** Only events with a smaller seq: the `nextCursor` of the previous page. */
  readonly beforeSeq?: number | undefined;
  /** 1 to 200; 50 by default. */
  readonly limit?: number | undefined;
}

export interface AuditLogEvent {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly action: string;
  readonly actorUserId: string | null;
  readonly actorTokenId: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
  readonly details: Record<string, unknown>;
}

export interface AuditLogPage {
  readonly events: AuditLogEvent[];
  /** The seq to pass as `beforeSeq` for the next page; null on the last page. */
  readonly nextSeq: number | null;
}

export interface AuditLogService {
  /** The organisation's audit events, newest first, keyset-paginated by seq (needs `audit.read`). */
  list(orgId: string, actor: OrganisationActor, query: AuditLogQuery): Promise<AuditLogPage>;
}

export const defaultAuditPageSize = 50;
export const maxAuditPageSize = 200;

export function createAuditLogService(deps: { readonly db: Kysely<Database> }): AuditLogService {
  return {
    async list(orgId, actor, query) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? defaultAuditPageSize), 1), maxAuditPageSize);
      const rows = await withActorTenant(deps.db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'audit.read');
        let select = trx
          .selectFrom('audit_event')
          .select(['seq', 'occurred_at', 'action', 'actor_user_id', 'actor_token_id', 'target_type', 'target_id', 'client_address', 'user_agent', 'details'])
          .where('org_id', '=', orgId);
        if (query.action !== undefined) select = select.where('action', '=', query.action);
        if (query.actorUserId !== undefined) select = select.where('actor_user_id', '=', query.actorUserId);
        if (query.from !== undefined) select = select.where('occurred_at', '>=', query.from);
        if (query.to !== undefined) select = select.where('occurred_at', '<', query.to);
        if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
        return select.orderBy('seq', 'desc').limit(limit + 1).execute();
      });
      const page = rows.slice(0, limit).map((row) => ({
        seq: row.seq,
        occurredAt: row.occurred_at,
        action: row.action,
        actorUserId: row.actor_user_id,
        actorTokenId: row.actor_token_id,
        targetType: row.target_type,
        targetId: row.target_id,
        clientAddress: row.client_address,
        userAgent: row.user_agent,
        details: row.details,
      }));
      const last = page.at(-1);
      return { events: page, nextSeq: rows.length > limit && last !== undefined ? last.seq : null };
    },
  };
}
