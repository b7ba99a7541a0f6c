import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '@kindling/errors';
import type { ApiEnv } from '../app-env.js';

export const csrfHeader = 'X-CSRF-Token';

const stateChangingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF token of a session: HMAC-SHA256 of its id under the installation's secret. Nothing
 * to store, it changes whenever the session token does, and without the secret it cannot be
 * computed from the session id (which the sessions list shows).
 */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`kindling/csrf/v1\u0000${sessionId}`, 'utf8').digest('base64url');
}

function tokensEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CsrfOptions {
  readonly secret: string;
  /** PUBLIC_URL: requests from its origin are same-origin even behind a TLS-terminating proxy. */
  readonly publicUrl: string;
  /** `METHOD /path` of routes used before any session exists (sign-in, invitation links). */
  readonly exempt: ReadonlySet<string>;
}

/**
 * Cross-site request forgery protection for state-changing requests (POST, PUT, PATCH, DELETE):
 *
 * 1. Every one of them, session or not, is refused when the browser says it is cross-site:
 *    `Sec-Fetch-Site` other than `same-origin` (or `none`, a user's own navigation), or an
 *    `Origin` that is neither this request's host nor PUBLIC_URL's origin.
 * 2. With a session cookie, the `X-CSRF-Token` header must carry the session's token
 *    (from `GET /api/v1/auth/session`), except on the exempt routes, which run before a session
 *    exists. SameSite=Strict already keeps the cookie off cross-site requests; this is the
 *    second, independent line.
 *
 * Runs after the session middleware, so `c.var.auth` is known.
 */
export function csrfProtection(options: CsrfOptions): MiddlewareHandler<ApiEnv> {
  const publicOrigin = new URL(options.publicUrl).origin;
  if (options.secret.length < 32) throw new AppError('CONFIG_INVALID', 'The session secret must be at least 32 characters long');
  return async (c, next) => {
    if (!stateChangingMethods.has(c.req.method)) {
      await next();
      return;
    }
    // An API token travels in the Authorization header, which a cross-site page cannot make a
    // browser send (no CORS is offered), and no cookie authenticates the request: no CSRF.
    if (c.get('token') !== undefined) {
      await next();
      return;
    }
    const fetchSite = c.req.header('Sec-Fetch-Site');
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      throw new AppError('FORBIDDEN', 'Cross-site requests are not accepted.', { details: { reason: 'cross_site' } });
    }
    const origin = c.req.header('Origin');
    if (origin !== undefined && !isSameOrigin(origin, c.req.header('Host'), publicOrigin)) {
      throw new AppError('FORBIDDEN', 'Cross-site requests are not accepted.', { details: { reason: 'cross_origin' } });
    }
    const auth = c.get('auth');
    if (auth !== undefined && !options.exempt.has(`${c.req.method} ${c.req.path}`)) {
      const presented = c.req.header(csrfHeader);
      if (presented === undefined || !tokensEqual(presented, csrfTokenFor(options.secret, auth.sessionId))) {
        throw new AppError('FORBIDDEN', `This request needs the ${csrfHeader} header of your session (see GET /api/v1/auth/session).`, {
          details: { reason: 'csrf_token' },
        });
      }
    }
    await next();
  };
}

function isSameOrigin(origin: string, host: string | undefined, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  // `Origin: null` (sandboxed frames, some redirects) is never same-origin.
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  // The host the browser addressed, which is this server (or its proxy): TLS may be terminated
  // in front, so the scheme is not compared, only host and port.
  return parsed.host === host?.toLowerCase();
}
