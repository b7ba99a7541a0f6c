import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { authOf } from '../http/session-auth.js';
import { clearSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { sessionIdParamsSchema, sessionSummarySchema } from './identity-schemas.js';

const listSessionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/account/sessions',
  tags: ['account'],
  summary: 'My active sessions, most recently used first.',
  ...sessionRequired({ stateChanging: false }),
  responses: {
    200: { description: 'Active sessions.', content: { 'application/json': { schema: z.array(sessionSummarySchema) } } },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const revokeSessionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/account/sessions/{sessionId}',
  tags: ['account'],
  summary: 'Ends one of my sessions (e.g. a browser left signed in elsewhere).',
  ...sessionRequired({ stateChanging: true }),
  request: { params: sessionIdParamsSchema },
  responses: {
    204: { description: 'The session has ended.' },
    404: errorResponse('Not one of my active sessions (NOT_FOUND).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerAccountRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity } = deps;

  app.openapi(listSessionsRoute, async (c) => {
    const auth = authOf(c);
    const sessions = await identity.sessions.listActive(auth.userId);
    return c.json(
      sessions.map((session) => ({
        id: session.id,
        current: session.id === auth.sessionId,
        createdAt: session.createdAt.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        clientAddress: session.clientAddress,
        userAgent: session.userAgent,
      })),
      200,
    );
  });

  app.openapi(revokeSessionRoute, async (c) => {
    const auth = authOf(c);
    const { sessionId } = c.req.valid('param');
    await identity.sessions.revokeOwnSession(auth.userId, sessionId, c.get('requestMeta'));
    if (sessionId === auth.sessionId) clearSessionCookie(c);
    return c.body(null, 204);
  });
}
