import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiTokenSummary } from '@kindling/identity';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { actorOf } from './organisation-actor.js';
import { apiTokenParamsSchema, apiTokenSchema, createApiTokenBodySchema, createdApiTokenSchema } from './organisation-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const tokensPath = '/api/v1/organisations/{orgId}/api-tokens';
const notFound = { 404: errorResponse('No such organisation (or not a member of it) or API token (NOT_FOUND).') };

// Managed by people only: a token cannot mint or revoke tokens.
const createTokenRoute = createRoute({
  method: 'post',
  path: tokensPath,
  tags: ['api tokens'],
  summary: 'Issues an API token for machines, bound to the organisation and a role (not owner), expiring after 1 to 365 days. The secret is shown once.',
  ...sessionRequired({ stateChanging: true }),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(createApiTokenBodySchema) } },
  responses: {
    201: { description: 'The token: keep `token`, it is not shown again.', content: json(createdApiTokenSchema) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const listTokensRoute = createRoute({
  method: 'get',
  path: tokensPath,
  tags: ['api tokens'],
  summary: "The organisation's usable API tokens, newest first (no secrets).",
  ...sessionRequired({ stateChanging: false }),
  request: { params: orgIdParamsSchema },
  responses: {
    200: { description: 'Tokens neither revoked nor expired.', content: json(z.array(apiTokenSchema)) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: `${tokensPath}/{tokenId}`,
  tags: ['api tokens'],
  summary: 'Revokes an API token; it stops working at once.',
  ...sessionRequired({ stateChanging: true }),
  request: { params: apiTokenParamsSchema },
  responses: {
    204: { description: 'Revoked.' },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

function serialised(token: ApiTokenSummary) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

export function registerApiTokenRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { apiTokens } = deps.identity;

  app.openapi(createTokenRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const created = await apiTokens.create({ orgId, ...c.req.valid('json') }, actorOf(c), c.get('requestMeta'));
    return c.json({ ...serialised(created), token: created.token }, 201);
  });

  app.openapi(listTokensRoute, async (c) => {
    const tokens = await apiTokens.list(c.req.valid('param').orgId, actorOf(c));
    return c.json(tokens.map(serialised), 200);
  });

  app.openapi(revokeTokenRoute, async (c) => {
    const { orgId, tokenId } = c.req.valid('param');
    await apiTokens.revoke({ orgId, tokenId }, actorOf(c), c.get('requestMeta'));
    return c.body(null, 204);
  });
}
