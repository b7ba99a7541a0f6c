import type { Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Hook } from '@hono/zod-openapi';
import { AppError, isAppError, type ErrorCode } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import type { ApiEnv } from '../app-env.js';
import type { ErrorBody } from '../openapi/error-schema.js';

/** What a client sees when an error carries no message meant for it. */
const publicMessages: Readonly<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'The request is malformed.',
  VALIDATION_FAILED: 'The request did not pass validation.',
  UNAUTHENTICATED: 'Authentication is required.',
  FORBIDDEN: 'You do not have permission to do this.',
  NOT_FOUND: 'The requested resource was not found.',
  CONFLICT: 'The request conflicts with the current state of the resource.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The request content type is not supported; send application/json.',
  RATE_LIMITED: 'Too many requests; try again later.',
  CONFIG_INVALID: 'An unexpected error occurred.',
  INTERNAL: 'An unexpected error occurred.',
  UNAVAILABLE: 'The service is temporarily unavailable.',
};

const httpExceptionCodes: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Turns anything thrown into an AppError whose message and details are safe to show. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof HTTPException) {
    const code = httpExceptionCodes[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const message = code === 'BAD_REQUEST' ? 'The request body could not be parsed.' : publicMessages[code];
    return new AppError(code, message, { cause: error });
  }
  return new AppError('INTERNAL', publicMessages.INTERNAL, { cause: error });
}

/** Builds the standard error body. Server-side faults (500) never expose their message or details. */
export function toErrorBody(error: AppError, requestId: string): ErrorBody {
  const hidden = error.httpStatus === 500;
  const details = hidden ? undefined : error.details;
  return {
    error: {
      code: error.code,
      message: hidden ? publicMessages[error.code] : error.message,
      requestId,
      ...(details === undefined ? {} : { details: { ...details } }),
    },
  };
}

function respond(c: Context<ApiEnv>, thrown: unknown, fallbackLogger: Logger): Response {
  const error = toAppError(thrown);
  // Set by the request-id middleware; absent only if a failure happened before it ran.
  const requestId = (c.get('requestId') as string | undefined) ?? crypto.randomUUID();
  const logger = (c.get('logger') as Logger | undefined) ?? fallbackLogger.child({ requestId });
  const status = error.httpStatus;
  // `code` would be redacted by the logger (it guards one-time codes), hence `errorCode`.
  const logged = { err: thrown, errorCode: error.code, status };
  if (status >= 500 && status !== 503) logger.error(logged, 'request failed');
  else if (status === 503) logger.warn(logged, 'request failed: service unavailable');
  else logger.debug({ errorCode: error.code, status }, 'request rejected');
  const retryAfter = error.code === 'RATE_LIMITED' ? error.details?.['retryAfterSeconds'] : undefined;
  if (typeof retryAfter === 'number' && Number.isInteger(retryAfter) && retryAfter > 0) c.header('Retry-After', String(retryAfter));
  // The status always comes from `errorCodes`; Hono's type wants a literal union.
  return c.json(toErrorBody(error, requestId), status as 500);
}

/** Hono hands only `Error` instances to `onError`; anything else thrown is wrapped so it is too. */
class NonErrorThrown extends Error {
  constructor(readonly thrown: unknown) {
    super('A value that is not an Error was thrown');
    this.name = 'NonErrorThrown';
  }
}

/**
 * The one error mapping: thrown errors, unmatched routes and validation failures all end here
 * and become `{ error: { code, message, requestId, details? } }` with the status of the code.
 * Call it after the middleware that must see every response and before the routes.
 */
export function installErrorMapping(app: Hono<ApiEnv>, logger: Logger): void {
  app.use('*', async (_c, next) => {
    try {
      await next();
    } catch (thrown) {
      throw thrown instanceof Error ? thrown : new NonErrorThrown(thrown);
    }
  });
  app.onError((error, c) => respond(c, error, logger));
  app.notFound((c) => respond(c, new AppError('NOT_FOUND', publicMessages.NOT_FOUND), logger));
}

const validationLocations: Readonly<Record<string, string>> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
};

export interface ValidationIssue {
  location: string;
  path: string;
  message: string;
}

/**
 * The `defaultHook` of every OpenAPI route: a failed zod parse becomes 422 VALIDATION_FAILED
 * listing where and what failed. Submitted values are never echoed; they may be personal data.
 */
export const validationHook: Hook<unknown, ApiEnv, string, undefined> = (result) => {
  if (result.success) return undefined;
  const location = validationLocations[result.target] ?? result.target;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    location,
    path: issue.path.map((segment) => String(segment)).join('.'),
    message: issue.message,
  }));
  throw new AppError('VALIDATION_FAILED', publicMessages.VALIDATION_FAILED, { details: { issues } });
};
