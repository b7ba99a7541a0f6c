import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { describeApiError, rateLimitMessage, retryAfterSeconds, validationIssues } from './api-error-details';

const httpError = (status: number, code: string, details?: unknown) =>
  new ApiError('http', 'Server message.', status, code, 'req-1', details);

describe('validationIssues', () => {
  it('reads field names from array and dotted paths', () => {
    const error = httpError(422, 'VALIDATION_FAILED', {
      issues: [
        { path: ['password'], message: 'Use at least 12 characters.' },
        { path: 'email.domain', message: 'Check the email address.' },
        { path: [], message: 'Something about the whole form.' },
      ],
    });
    expect(validationIssues(error)).toEqual([
      { field: 'password', message: 'Use at least 12 characters.' },
      { field: 'email', message: 'Check the email address.' },
      { field: '', message: 'Something about the whole form.' },
    ]);
  });

  it('ignores malformed details and other errors', () => {
    expect(validationIssues(httpError(422, 'VALIDATION_FAILED', { issues: [{ path: ['x'] }] }))).toEqual([]);
    expect(validationIssues(httpError(401, 'UNAUTHENTICATED', { issues: [] }))).toEqual([]);
    expect(validationIssues(new Error('no'))).toEqual([]);
  });
});

describe('rate limits', () => {
  it('rounds the wait up to whole minutes', () => {
    expect(rateLimitMessage(1)).toBe('Too many attempts. Try again in 1 minute.');
    expect(rateLimitMessage(61)).toBe('Too many attempts. Try again in 2 minutes.');
    expect(rateLimitMessage(900)).toBe('Too many attempts. Try again in 15 minutes.');
  });

  it('reads retryAfterSeconds, with a minute when the server gives none', () => {
    expect(retryAfterSeconds(httpError(429, 'RATE_LIMITED', { retryAfterSeconds: 300 }))).toBe(300);
    expect(retryAfterSeconds(httpError(429, 'RATE_LIMITED'))).toBe(60);
    expect(retryAfterSeconds(httpError(401, 'UNAUTHENTICATED'))).toBeNull();
    expect(describeApiError(httpError(429, 'RATE_LIMITED', { retryAfterSeconds: 120 }))).toBe(
      'Too many attempts. Try again in 2 minutes.',
    );
  });
});
