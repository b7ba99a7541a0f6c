import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfTokenFor } from '../http/csrf.js';
import { sessionOf } from '../http/session-auth.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, rateLimitedResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import {
  codeBodySchema,
  completeSessionSchema,
  recoverBodySchema,
  recoveredSessionSchema,
  recoveryCodesSchema,
  totpEnrolmentSchema,
} from './identity-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

// Second-factor routes serve sessions that have passed only the password step.
const passwordStage = sessionRequired({ stage: 'password', stateChanging: true });
const conflict = { 409: errorResponse('Not the step this session is at (e.g. already enrolled); `details.next` names the right one (CONFLICT).') };

const beginEnrolmentRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/totp/enrolment',
  tags: ['auth'],
  summary: 'Starts TOTP enrolment: a new secret, its otpauth URI and a QR code (SVG).',
  ...passwordStage,
  responses: {
    200: { description: 'Scan the QR code (or type the secret) into an authenticator app, then confirm with a code.', content: json(totpEnrolmentSchema) },
    ...conflict,
    ...authErrorResponses,
    ...commonErrorResponses,
  },
});

const confirmEnrolmentRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/totp/enrolment/confirm',
  tags: ['auth'],
  summary: 'Confirms TOTP enrolment with a code; returns ten recovery codes, shown this once, and a new session cookie.',
  ...passwordStage,
  request: { body: { required: true, content: json(codeBodySchema) } },
  responses: {
    200: { description: 'Enrolled and signed in; every other session of the user has ended.', content: json(recoveryCodesSchema) },
    ...conflict,
    ...rateLimitedResponse,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/mfa/verify',
  tags: ['auth'],
  summary: 'The second factor: a TOTP code (each usable once). Sets a new session cookie.',
  ...passwordStage,
  request: { body: { required: true, content: json(codeBodySchema) } },
  responses: {
    200: { description: 'Signed in.', content: json(completeSessionSchema) },
    ...conflict,
    ...rateLimitedResponse,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const recoverRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/mfa/recover',
  tags: ['auth'],
  summary: 'The second factor with a recovery code instead (each usable once). Sets a new session cookie.',
  ...passwordStage,
  request: { body: { required: true, content: json(recoverBodySchema) } },
  responses: {
    200: { description: 'Signed in; says how many recovery codes are left.', content: json(recoveredSessionSchema) },
    ...conflict,
    ...rateLimitedResponse,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerMfaRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity, sessionSecret } = deps;

  app.openapi(beginEnrolmentRoute, async (c) => c.json(await identity.mfa.beginTotpEnrolment(sessionOf(c)), 200));

  app.openapi(confirmEnrolmentRoute, async (c) => {
    const { session, recoveryCodes } = await identity.mfa.confirmTotpEnrolment(sessionOf(c), c.req.valid('json').code, c.get('requestMeta'));
    setSessionCookie(c, session);
    return c.json({ stage: 'mfa_complete' as const, csrfToken: csrfTokenFor(sessionSecret, session.sessionId), recoveryCodes }, 200);
  });

  app.openapi(verifyRoute, async (c) => {
    const session = await identity.mfa.verifyTotp(sessionOf(c), c.req.valid('json').code, c.get('requestMeta'));
    setSessionCookie(c, session);
    return c.json({ stage: 'mfa_complete' as const, csrfToken: csrfTokenFor(sessionSecret, session.sessionId) }, 200);
  });

  app.openapi(recoverRoute, async (c) => {
    const { session, remainingRecoveryCodes } = await identity.mfa.verifyRecoveryCode(sessionOf(c), c.req.valid('json').recoveryCode, c.get('requestMeta'));
    setSessionCookie(c, session);
    return c.json({ stage: 'mfa_complete' as const, csrfToken: csrfTokenFor(sessionSecret, session.sessionId), remainingRecoveryCodes }, 200);
  });
}
