import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfTokenFor } from '../http/csrf.js';
import { authOf, sessionOf } from '../http/session-auth.js';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, rateLimitedResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { noSessionRequired, sessionRequired } from '../openapi/route-security.js';
import {
  passwordStageSchema,
  selectOrganisationBodySchema,
  selectedOrganisationSchema,
  sessionInfoSchema,
  signInBodySchema,
} from './identity-schemas.js';
import { signInPath } from './pre-session-routes.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const signInRoute = createRoute({
  method: 'post',
  path: signInPath,
  tags: ['auth'],
  summary: 'Sign in with e-mail address and password; the session then needs the second factor.',
  ...noSessionRequired,
  request: { body: { required: true, content: json(signInBodySchema) } },
  responses: {
    200: { description: 'Password accepted; a password-stage session cookie is set.', content: json(passwordStageSchema) },
    401: errorResponse('Unknown address, wrong password or inactive account: one answer for all (UNAUTHENTICATED).'),
    403: errorResponse('A cross-site request (FORBIDDEN).'),
    ...rateLimitedResponse,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/session',
  tags: ['auth'],
  summary: 'The signed-in user, the session stage and next step, the CSRF token and the organisations.',
  ...sessionRequired({ stage: 'password', stateChanging: false }),
  responses: {
    200: { description: 'The current session.', content: json(sessionInfoSchema) },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/sign-out',
  tags: ['auth'],
  summary: 'Ends the current session and clears its cookie.',
  ...sessionRequired({ stage: 'password', stateChanging: true }),
  responses: {
    204: { description: 'Signed out.' },
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const selectOrganisationRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/organisation',
  tags: ['auth'],
  summary: 'Chooses the organisation this session works in; the user must be a member.',
  ...sessionRequired({ stateChanging: true }),
  request: { body: { required: true, content: json(selectOrganisationBodySchema) } },
  responses: {
    200: { description: 'The organisation is selected.', content: json(selectedOrganisationSchema) },
    404: errorResponse('No such organisation (or not a member of it) (NOT_FOUND).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerAuthRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity, sessionSecret } = deps;

  app.openapi(signInRoute, async (c) => {
    const meta = c.get('requestMeta');
    const result = await identity.signIn.signIn(c.req.valid('json'), meta);
    // A browser that signs in again (perhaps as someone else) leaves no live session behind.
    const previous = c.get('session');
    if (previous !== undefined) await identity.sessions.signOut(previous, meta);
    setSessionCookie(c, result.session);
    return c.json({ stage: 'password' as const, next: result.next, csrfToken: csrfTokenFor(sessionSecret, result.session.sessionId) }, 200);
  });

  app.openapi(sessionRoute, async (c) => {
    const auth = authOf(c);
    const complete = auth.stage === 'mfa_complete';
    // Before the second factor a session learns nothing it did not bring: no organisations.
    const organisations = complete ? await identity.directory.organisationsOf(auth.userId) : [];
    return c.json(
      {
        user: { id: auth.userId, email: await identity.directory.emailOf(auth.userId) },
        stage: auth.stage,
        next: auth.next,
        csrfToken: csrfTokenFor(sessionSecret, auth.sessionId),
        organisations,
        currentOrganisationId: complete ? (auth.orgId ?? null) : null,
      },
      200,
    );
  });

  app.openapi(signOutRoute, async (c) => {
    await identity.sessions.signOut(sessionOf(c), c.get('requestMeta'));
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  app.openapi(selectOrganisationRoute, async (c) => {
    const { organisationId } = c.req.valid('json');
    const role = await identity.sessions.selectOrganisation(sessionOf(c), organisationId);
    return c.json({ currentOrganisationId: organisationId, role }, 200);
  });
}
