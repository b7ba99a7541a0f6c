import { ApiError } from './api-client';

/** One problem with a submitted field, as the API reports it in `details.issues` of a VALIDATION_FAILED error. */
export interface ValidationIssue {
  /** The first segment of the issue's path (the request body field), or '' for the body as a whole. */
  field: string;
  message: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function firstSegment(path: unknown): string {
  if (Array.isArray(path)) {
    const [first] = path as unknown[];
    return typeof first === 'string' || typeof first === 'number' ? String(first) : '';
  }
  return typeof path === 'string' ? (path.split('.')[0] ?? '') : '';
}

export function validationIssues(error: unknown): ValidationIssue[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const issues = record(error.details)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    const entry = record(issue);
    if (!entry || typeof entry.message !== 'string') return [];
    return [{ field: firstSegment(entry.path), message: entry.message }];
  });
}

/** Seconds until a RATE_LIMITED request may be retried, or null when the error is something else. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || (error.code !== 'RATE_LIMITED' && error.status !== 429)) return null;
  const seconds = record(error.details)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : 60;
}

export function rateLimitMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many attempts. Try again in ${String(minutes)} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * A sentence for staff about a failed request that no screen-specific message covers. The
 * server's own message is shown for HTTP errors: its messages are written to be shown.
 */
export function describeApiError(error: unknown): string {
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== null) return rateLimitMessage(retryAfter);
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong. Reload the page and try again.';
  switch (error.kind) {
    case 'unreachable':
      return 'The Kindling server did not answer. Check your connection, then try again.';
    case 'invalid-response':
      return 'The Kindling server sent an answer this page does not understand. Reload the page and try again.';
    case 'http':
      return error.message;
  }
}
