import type { MiddlewareHandler } from 'hono';
import { can, type Action } from '@kindling/access';
import { AppError } from '@kindling/errors';
import type { ActiveSession, IdentityServices } from '@kindling/identity';
import type { ApiEnv, AuthContext } from '../app-env.js';
import { readSessionCookie } from './session-cookie.js';

/**
 * Resolves the session cookie into `c.var.auth` (and `c.var.session`). An absent, unknown,
 * expired or revoked token leaves both undefined; `requireAuth` turns that into 401.
 */
export function sessionAuth(identity: Pick<IdentityServices, 'sessions'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('auth', undefined);
    c.set('session', undefined);
    const token = readSessionCookie(c);
    if (token !== undefined && token !== '') {
      const session = await identity.sessions.authenticate(token);
      if (session !== undefined) {
        const auth: AuthContext = {
          userId: session.userId,
          sessionId: session.sessionId,
          stage: session.stage,
          next: identity.sessions.nextStep(session),
          ...(session.orgId === null ? {} : { orgId: session.orgId }),
          ...(session.role === null ? {} : { role: session.role }),
        };
        c.set('session', session);
        c.set('auth', auth);
      }
    }
    await next();
  };
}

export interface RequireAuthOptions {
  /**
   * `mfa_complete` (the default): a fully signed-in session. `password`: any session, even one
   * that has only passed the password step: for the second-factor endpoints, the session
   * read-out and sign-out, and nothing else.
   */
  readonly stage?: 'password' | 'mfa_complete';
  /** An action the role in the session's current organisation must allow (403 otherwise). */
  readonly permission?: Action;
}

/** A guard for one route; put it in the route's `middleware` so it runs before validation. */
export function requireAuth(options: RequireAuthOptions = {}): MiddlewareHandler<ApiEnv> {
  const stage = options.stage ?? 'mfa_complete';
  return async (c, next) => {
    const signedIn = c.get('auth');
    if (signedIn === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    if (stage === 'mfa_complete' && signedIn.stage !== 'mfa_complete') {
      throw new AppError('UNAUTHENTICATED', 'Complete the second sign-in step first.', { details: { next: signedIn.next } });
    }
    if (options.permission !== undefined) {
      if (signedIn.orgId === undefined || signedIn.role === undefined) {
        throw new AppError('FORBIDDEN', 'Choose an organisation first.', { details: { reason: 'no_organisation' } });
      }
      if (!can(signedIn.role, options.permission)) throw new AppError('FORBIDDEN', 'Your role does not allow this.');
    }
    await next();
  };
}

/** The signed-in session of a route guarded by `requireAuth`. */
export function authOf(c: { get(key: 'auth'): AuthContext | undefined }): AuthContext {
  const signedIn = c.get('auth');
  if (signedIn === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return signedIn;
}

/** The session of a route guarded by `requireAuth`, as the identity services take it. */
export function sessionOf(c: { get(key: 'session'): ActiveSession | undefined }): ActiveSession {
  const session = c.get('session');
  if (session === undefined) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return session;
}
