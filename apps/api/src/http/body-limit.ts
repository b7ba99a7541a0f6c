import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { AppError } from '@kindling/errors';

/** A route whose bodies may be larger (or must be smaller) than the API's default limit. */
export interface RouteBodyLimit {
  readonly path: RegExp;
  readonly maxBytes: number;
}

function limitOf(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${String(maxBytes)} bytes.`, {
        details: { limitBytes: maxBytes },
      });
    },
  });
}

/**
 * Rejects bodies larger than `maxBytes` with 413 PAYLOAD_TOO_LARGE: by Content-Length before
 * reading, and by counting bytes for chunked bodies, so neither form can exceed the limit.
 * A path matching one of `routes` gets that route's limit instead.
 */
export function bodyLimit(maxBytes: number, routes: readonly RouteBodyLimit[] = []): MiddlewareHandler {
  const fallback = limitOf(maxBytes);
  const special = routes.map((route) => ({ path: route.path, limit: limitOf(route.maxBytes) }));
  return (c, next) => (special.find((route) => route.path.test(c.req.path))?.limit ?? fallback)(c, next);
}
