import { ApiError } from '../api/api-client';
import { describeApiError, retryAfterSeconds, validationIssues } from '../api/api-error-details';
import type { Problem } from './error-summary';

/**
 * What to tell someone whose code was refused. A 401 or 422 here is a wrong, old or already used
 * code; anything else (rate limit, server trouble) keeps its own message.
 */
export function codeProblems(error: unknown, fieldId: string, wrongCode: string): Problem[] {
  if (retryAfterSeconds(error) !== null) return [{ message: describeApiError(error) }];
  if (error instanceof ApiError && (error.status === 401 || error.status === 422)) {
    const issue = validationIssues(error)[0];
    return [{ fieldId, message: issue && issue.field !== 'code' && issue.field !== 'recoveryCode' ? issue.message : wrongCode }];
  }
  return [{ message: describeApiError(error) }];
}

/**
 * A 401 may also mean the half-finished session itself has ended, and a 409 that it is at another
 * step (already enrolled, already verified): after either, ask the server where things stand, and
 * the screen's guard moves on if the answer calls for it.
 */
export function sessionMayHaveMoved(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 409);
}
