import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiEnv } from '../app-env.js';

/**
 * The route pattern that answered (`/api/v1/donors/:id`), never the raw URL: paths and query
 * strings may carry personal data. `null` when no route matched.
 */
export function routePattern(c: Context): string | null {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? null;
}

/** One line per request: method, route pattern, status, duration; the request id comes from the child logger. */
export function accessLog(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    c.var.logger.info(
      { method: c.req.method, route: routePattern(c), status: c.res.status, durationMs },
      'request completed',
    );
  };
}
