import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { IssuedSession } from '@kindling/identity';

/**
 * `__Host-` binds the cookie to this exact origin: Secure, Path=/, no Domain, so no sibling
 * subdomain can set or overwrite it. Browsers treat http://localhost and http://127.0.0.1 as
 * secure contexts, so the Secure cookie works for local use too.
 */
export const sessionCookieName = '__Host-kindling_session';

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, 'kindling_session', 'host');
}

/** Hands a new session token to the browser: HttpOnly (no script reads it), SameSite=Strict. */
export function setSessionCookie(c: Context, session: IssuedSession): void {
  setCookie(c, 'kindling_session', session.token, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: session.lifetimeSeconds,
  });
}

export function clearSessionCookie(c: Context): void {
  setCookie(c, 'kindling_session', '', { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Strict', maxAge: 0 });
}
