import type { MiddlewareHandler } from 'hono';
import type { Logger } from '@kindling/logger';
import type { ApiEnv } from '../app-env.js';

export const requestIdHeader = 'X-Request-Id';

/** An incoming id is trusted only if it has this shape; anything else is replaced. */
export const requestIdPattern = /^[A-Za-z0-9-]{8,64}$/;

export function resolveRequestId(incoming: string | undefined): string {
  return incoming !== undefined && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
}

/** Gives each request an id, a child logger bound to it, and echoes the id in the response. */
export function requestId(logger: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const id = resolveRequestId(c.req.header(requestIdHeader));
    c.set('requestId', id);
    c.set('logger', logger.child({ requestId: id }));
    await next();
    c.header(requestIdHeader, id);
  };
}
