import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { defaultAuditPageSize, maxAuditPageSize } from '@kindling/identity';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { actorOf } from './organisation-actor.js';

const timestamp = z.iso.datetime({ offset: true });

const auditQuerySchema = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z_.]*$/, { error: 'must be an audit action such as user.removed' })
    .optional(),
  actorUserId: z.uuid().optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, { error: 'must be the nextCursor of a previous page' }).optional(),
  limit: z.coerce.number().int().min(1).max(maxAuditPageSize).optional(),
});

export const auditEventSchema = z
  .object({
    seq: z.number().int(),
    occurredAt: timestamp,
    action: z.string(),
    actorUserId: z.uuid().nullable(),
    actorTokenId: z.uuid().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    clientAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent');

const auditPageSchema = z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() }).openapi('AuditEventPage');

const listAuditEventsRoute = createRoute({
  method: 'get',
  path: '/api/v1/organisations/{orgId}/audit-events',
  tags: ['audit'],
  summary: `The organisation's audit log, newest first (owners and admins), ${String(defaultAuditPageSize)} events a page by default; pass nextCursor as cursor for the next page.`,
  ...sessionRequired({ stateChanging: false, tokens: true }),
  request: { params: orgIdParamsSchema, query: auditQuerySchema },
  responses: {
    200: { description: 'One page of events.', content: { 'application/json': { schema: auditPageSchema } } },
    404: errorResponse('No such organisation (or not a member of it) (NOT_FOUND).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerAuditRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(listAuditEventsRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const query = c.req.valid('query');
    const page = await deps.identity.auditLog.list(orgId, actorOf(c), {
      action: query.action,
      actorUserId: query.actorUserId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      beforeSeq: query.cursor === undefined ? undefined : Number(query.cursor),
      limit: query.limit,
    });
    return c.json(
      {
        events: page.events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
        nextCursor: page.nextSeq === null ? null : String(page.nextSeq),
      },
      200,
    );
  });
}
