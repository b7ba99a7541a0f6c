import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import { csrfHeader } from '../http/csrf.js';
import { requireAuth, type RequireAuthOptions } from '../http/session-auth.js';
import { sessionCookieName } from '../http/session-cookie.js';

/** Declares how clients authenticate, for the OpenAPI document. */
export function registerSecuritySchemes(app: OpenAPIHono<ApiEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName,
    description: 'The session cookie set by sign-in, the second factor and invitation acceptance.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'csrfToken', {
    type: 'apiKey',
    in: 'header',
    name: csrfHeader,
    description: 'The `csrfToken` of GET /api/v1/auth/session; required with the cookie on POST, PUT, PATCH and DELETE.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`kdl_t_…`) of one organisation, for machines; accepted only by routes that list it. No CSRF header.',
  });
}

/**
 * The guard and OpenAPI description of a route that needs a session. Spread into `createRoute`:
 * `requireAuth` runs before validation, `security` documents the cookie (and the CSRF header
 * for state changes), and `x-session-stage` records the stage the route needs, so tests can
 * check every route from the document alone.
 */
export function sessionRequired(options: RequireAuthOptions & { readonly stateChanging: boolean }) {
  const stage = options.stage ?? 'mfa_complete';
  return {
    middleware: [requireAuth(options)],
    security: [options.stateChanging ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }, ...(options.tokens === true ? [{ apiToken: [] }] : [])],
    'x-session-stage': stage,
  };
}

/** The OpenAPI description of a route anyone may call (before any session exists). */
export const noSessionRequired: { security: [] } = { security: [] };
