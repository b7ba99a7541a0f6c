import { z } from '@hono/zod-openapi';
import { errorCodes, type ErrorCode } from '@kindling/errors';

const errorCodeNames = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

/** The body of every error response of the API. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodeNames),
      message: z.string(),
      requestId: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('ErrorBody');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A `responses` entry for `createRoute`, for an error status. */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: errorBodySchema } } } as const;
}

/** Error responses any route can produce through the shared middleware and error mapping. */
export const commonErrorResponses = {
  413: errorResponse('The request body exceeds the size limit (PAYLOAD_TOO_LARGE).'),
  500: errorResponse('An unexpected error; details are logged, never returned (INTERNAL).'),
} as const;

/** Extra error responses of a route that validates input. */
export const validationErrorResponses = {
  400: errorResponse('The request body is not well-formed (BAD_REQUEST).'),
  415: errorResponse('The request body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
  422: errorResponse('The request did not pass validation; details list field paths (VALIDATION_FAILED).'),
} as const;

/** Error responses of a route that needs a session (see requireAuth). */
export const authErrorResponses = {
  401: errorResponse(
    'No valid session, or one that has not passed the second factor yet; `details.next` then names the step (UNAUTHENTICATED).',
  ),
  403: errorResponse('Refused: a cross-site request, a missing or wrong X-CSRF-Token, or a role without this permission (FORBIDDEN).'),
} as const;

/** The error response of a route that counts failed attempts. */
export const rateLimitedResponse = {
  429: errorResponse('Too many failed attempts; `details.retryAfterSeconds` and the Retry-After header say how long to wait (RATE_LIMITED).'),
} as const;
