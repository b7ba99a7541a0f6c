import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { AppError } from '@kindling/errors';

/**
 * Rejects bodies larger than `maxBytes` with 413 PAYLOAD_TOO_LARGE: by Content-Length before
 * reading, and by counting bytes for chunked bodies, so neither form can exceed the limit.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${String(maxBytes)} bytes.`, {
        details: { limitBytes: maxBytes },
      });
    },
  });
}
