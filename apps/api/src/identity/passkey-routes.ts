import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { PasskeySummary } from '@kindling/identity';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfTokenFor } from '../http/csrf.js';
import { authOf, sessionOf } from '../http/session-auth.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, rateLimitedResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { completeSessionSchema } from './identity-schemas.js';
import {
  passkeyAuthenticationBodySchema,
  passkeyCreationOptionsSchema,
  passkeyIdParamsSchema,
  passkeyNameBodySchema,
  passkeyRegistrationBodySchema,
  passkeyRequestOptionsSchema,
  passkeySchema,
  secondFactorsSchema,
} from './passkey-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const conflict = (description: string) => ({ 409: errorResponse(`${description} (CONFLICT).`) });
const notFound = { 404: errorResponse('Not one of my passkeys (NOT_FOUND).') };

// ---------------------------------------------------------------- the second factor at sign-in

const factorsRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/mfa/factors',
  tags: ['auth'],
  summary: 'Which second factors the signed-in user can use besides an authenticator code.',
  ...sessionRequired({ stage: 'password', stateChanging: false }),
  responses: {
    200: { description: 'The available factors.', content: json(secondFactorsSchema) },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const authenticationOptionsRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/passkey/options',
  tags: ['auth'],
  summary: 'Starts the second factor with a passkey: options for navigator.credentials.get(), valid for five minutes and once.',
  ...sessionRequired({ stage: 'password', stateChanging: true }),
  responses: {
    200: { description: 'Pass these to the browser’s WebAuthn API.', content: json(passkeyRequestOptionsSchema) },
    ...conflict('Not at the second-factor step, or no passkey registered'),
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const authenticationVerifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/passkey/verify',
  tags: ['auth'],
  summary: 'The second factor with a passkey. Sets a new session cookie.',
  ...sessionRequired({ stage: 'password', stateChanging: true }),
  request: { body: { required: true, content: json(passkeyAuthenticationBodySchema) } },
  responses: {
    200: { description: 'Signed in.', content: json(completeSessionSchema) },
    ...conflict('Not at the second-factor step'),
    ...rateLimitedResponse,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

// ---------------------------------------------------------------- managing my passkeys

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/account/passkeys',
  tags: ['account'],
  summary: 'My passkeys, oldest first.',
  ...sessionRequired({ stateChanging: false }),
  responses: {
    200: { description: 'Passkeys.', content: json(z.array(passkeySchema)) },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const registrationOptionsRoute = createRoute({
  method: 'post',
  path: '/api/v1/account/passkeys/options',
  tags: ['account'],
  summary: 'Starts adding a passkey: options for navigator.credentials.create(), valid for five minutes and once.',
  ...sessionRequired({ stateChanging: true }),
  responses: {
    200: { description: 'Pass these to the browser’s WebAuthn API.', content: json(passkeyCreationOptionsSchema) },
    ...conflict('Too many passkeys already'),
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/api/v1/account/passkeys',
  tags: ['account'],
  summary: 'Adds a passkey from the browser’s answer to the options. Every other session of mine ends.',
  ...sessionRequired({ stateChanging: true }),
  request: { body: { required: true, content: json(passkeyRegistrationBodySchema) } },
  responses: {
    201: { description: 'The passkey is added.', content: json(passkeySchema) },
    ...conflict('No pending request (expired or used), or the passkey is already registered'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const renameRoute = createRoute({
  method: 'patch',
  path: '/api/v1/account/passkeys/{passkeyId}',
  tags: ['account'],
  summary: 'Renames one of my passkeys.',
  ...sessionRequired({ stateChanging: true }),
  request: { params: passkeyIdParamsSchema, body: { required: true, content: json(passkeyNameBodySchema) } },
  responses: {
    200: { description: 'Renamed.', content: json(passkeySchema) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/api/v1/account/passkeys/{passkeyId}',
  tags: ['account'],
  summary: 'Removes one of my passkeys. Every other session of mine ends.',
  ...sessionRequired({ stateChanging: true }),
  request: { params: passkeyIdParamsSchema },
  responses: {
    204: { description: 'Removed.' },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

function passkeyJson(passkey: PasskeySummary) {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}

export function registerPasskeyRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity, sessionSecret } = deps;

  app.openapi(factorsRoute, async (c) => c.json({ passkey: await identity.passkeys.hasPasskeys(authOf(c).userId) }, 200));

  app.openapi(authenticationOptionsRoute, async (c) => c.json(await identity.passkeys.beginAuthentication(sessionOf(c)), 200));

  app.openapi(authenticationVerifyRoute, async (c) => {
    const session = await identity.passkeys.finishAuthentication(sessionOf(c), c.req.valid('json').credential, c.get('requestMeta'));
    setSessionCookie(c, session);
    return c.json({ stage: 'mfa_complete' as const, csrfToken: csrfTokenFor(sessionSecret, session.sessionId) }, 200);
  });

  app.openapi(listRoute, async (c) => c.json((await identity.passkeys.list(authOf(c).userId)).map(passkeyJson), 200));

  app.openapi(registrationOptionsRoute, async (c) => c.json(await identity.passkeys.beginRegistration(sessionOf(c)), 200));

  app.openapi(registerRoute, async (c) => {
    const { name, credential } = c.req.valid('json');
    const passkey = await identity.passkeys.finishRegistration(sessionOf(c), credential, name, c.get('requestMeta'));
    return c.json(passkeyJson(passkey), 201);
  });

  app.openapi(renameRoute, async (c) => {
    const passkey = await identity.passkeys.rename(authOf(c).userId, c.req.valid('param').passkeyId, c.req.valid('json').name);
    return c.json(passkeyJson(passkey), 200);
  });

  app.openapi(removeRoute, async (c) => {
    await identity.passkeys.remove(sessionOf(c), c.req.valid('param').passkeyId, c.get('requestMeta'));
    return c.body(null, 204);
  });
}
