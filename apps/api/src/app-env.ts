import type { Logger } from '@kindling/logger';

/** Per-request values every handler can read with `c.var`. Set by the request-id middleware. */
export interface ApiVariables {
  requestId: string;
  /** Child of the application logger, bound to this request's id. */
  logger: Logger;
}

/** The Hono environment of the API and of the static web app the Node server adds. */
export interface ApiEnv {
  Variables: ApiVariables;
}
