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
export function sessionAuth(identity: Pick<IdentityServices, 'sessions' | 'apiTokens'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('auth', undefined);
    c.set('session', undefined);
    c.set('token', undefined);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      // A machine's API token. Any cookie is ignored: the request is the token's, nothing else.
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const machine = bearer === undefined ? undefined : await identity.apiTokens.authenticate(bearer);
      if (machine !== undefined) c.set('token', { kind: 'token', orgId: machine.orgId, role: machine.role, tokenId: machine.tokenId });
      await next();
      return;
    }
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
  /**
   * Whether an API token may call the route too (organisation routes only, never identity or
   * account routes). The route then checks that the token's organisation is the one in its path.
   */
  readonly tokens?: boolean;
}

/** A guard for one route; put it in the route's `middleware` so it runs before validation. */
export function requireAuth(options: RequireAuthOptions = {}): MiddlewareHandler<ApiEnv> {
  const stage = options.stage ?? 'mfa_complete';
  return async (c, next) => {
    const machine = c.get('token');
    if (machine !== undefined && options.tokens === true) {
      if (options.permission !== undefined && !can(machine.role, options.permission)) throw new AppError('FORBIDDEN', 'The role of this API token does not allow this.');
      await next();
      return;
    }
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
