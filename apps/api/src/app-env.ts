import type { Logger } from '@kindling/logger';
import type { Role } from '@kindling/access';
import type { ActiveSession, NextStep, RequestMeta } from '@kindling/identity';

/**
 * What a runtime adapter tells the core about the connection, in runtime-neutral terms: the
 * Node server passes the socket's peer address, the Lambda handler API Gateway's `sourceIp`.
 * Absent (e.g. `app.request()` in tests) means unknown.
 */
export interface ApiBindings {
  readonly remoteAddress?: string | undefined;
}

/** Who is signed in on this request: set by the session middleware from the session cookie. */
export interface AuthContext {
  readonly userId: string;
  readonly sessionId: string;
  readonly stage: ActiveSession['stage'];
  /** What a password-stage session must do next; null once the second factor is passed. */
  readonly next: NextStep | null;
  readonly orgId?: string;
  readonly role?: Role;
}

/** An API token presented as `Authorization: Bearer kdl_t_…`: bound to one organisation and a role. */
export interface TokenAuthContext {
  readonly kind: 'token';
  readonly orgId: string;
  readonly role: Role;
  readonly tokenId: string;
}

/** Per-request values every handler can read with `c.var`. */
export interface ApiVariables {
  requestId: string;
  /** Child of the application logger, bound to this request's id. */
  logger: Logger;
  /** The client address (per the trusted-proxy policy) and User-Agent, for sessions, throttling and audit. */
  requestMeta: RequestMeta;
  /** The signed-in session, when a valid session cookie came with the request. */
  auth: AuthContext | undefined;
  /** The same session as the identity services see it. */
  session: ActiveSession | undefined;
  /** The API token of the request (never together with a session: a bearer header wins over cookies). */
  token: TokenAuthContext | undefined;
}

/** The Hono environment of the API and of the static web app the Node server adds. */
export interface ApiEnv {
  Bindings: ApiBindings;
  Variables: ApiVariables;
}
