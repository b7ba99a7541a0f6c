import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfTokenFor } from '../http/csrf.js';
import { authOf, sessionOf } from '../http/session-auth.js';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, rateLimitedResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { changedPasswordSchema, changePasswordBodySchema, sessionIdParamsSchema, sessionSummarySchema } from './identity-schemas.js';

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

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/v1/account/password',
  tags: ['account'],
  summary: 'Changes my password: ends my other sessions and gives this one a new token.',
  ...sessionRequired({ stateChanging: true }),
  request: { body: { required: true, content: { 'application/json': { schema: changePasswordBodySchema } } } },
  responses: {
    200: { description: 'Changed. The session cookie is replaced; use the new CSRF token from now on.', content: { 'application/json': { schema: changedPasswordSchema } } },
    409: errorResponse('The password was changed meanwhile by another request (CONFLICT).'),
    ...rateLimitedResponse,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerAccountRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity } = deps;

  app.openapi(changePasswordRoute, async (c) => {
    const body = c.req.valid('json');
    const changed = await identity.passwords.changePassword(sessionOf(c), body, c.get('requestMeta'));
    setSessionCookie(c, changed.session);
    return c.json({ stage: 'mfa_complete' as const, csrfToken: csrfTokenFor(deps.sessionSecret, changed.session.sessionId), otherSessionsRevoked: changed.otherSessionsRevoked }, 200);
  });

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
