import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@kindling/errors';
import { createApp } from '../app.js';
import type { RunningNodeServer } from '../node-server.js';
import { testDependencies } from '../test-support/test-dependencies.js';
import { mountDonationRoute, mountThrowingRoute, testDonationPath } from '../test-support/test-routes.js';
import { startTestServer } from '../test-support/test-server.js';

interface ErrorResponseBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

describe('error mapping', () => {
  const { deps, logs, logger, readiness } = testDependencies();
  const app = createApp(deps);
  const donations = mountDonationRoute(app);
  const sqlError = new Error('SELECT secret FROM users WHERE email = $1');
  mountThrowingRoute(app, '/api/v1/test/sql-failure', sqlError);
  mountThrowingRoute(app, '/api/v1/test/conflict', new AppError('CONFLICT', 'That gift was already recorded.', { details: { giftId: 'g_1' } }));
  mountThrowingRoute(app, '/api/v1/test/internal', new AppError('INTERNAL', 'pool exhausted: password authentication failed', { details: { host: 'db.internal' } }));
  mountThrowingRoute(app, '/api/v1/test/not-an-error', 'a string thrown by a careless library');
  let server: RunningNodeServer;

  beforeAll(async () => {
    server = await startTestServer(app, logger);
  });
  afterAll(async () => {
    await server.close();
  });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; text: string; body: ErrorResponseBody; requestId: string | null }> {
    const response = await fetch(`${server.url}${path}`, init);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: response.status, text, body: JSON.parse(text) as ErrorResponseBody, requestId: response.headers.get('x-request-id') };
  }

  const postJson = (body: string, contentType = 'application/json'): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });

  it('hides an unknown error behind 500 INTERNAL and logs it with the request id', async () => {
    const { status, text, body } = await call('/api/v1/test/sql-failure', { headers: { 'X-Request-Id': 'trace-sql-failure-1' } });

    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'INTERNAL', message: 'An unexpected error occurred.', requestId: 'trace-sql-failure-1' } });
    for (const leak of ['SELECT', 'secret', 'users', 'at ', '.ts', 'Error']) expect(text).not.toContain(leak);

    const logged = logs.lines.find((line) => line.msg === 'request failed' && line.requestId === 'trace-sql-failure-1');
    expect(logged).toMatchObject({ level: 'error', errorCode: 'INTERNAL', status: 500 });
    const err = logged?.err as { message: string; stack: string } | undefined;
    expect(err?.message).toBe(sqlError.message);
    expect(err?.stack).toContain('SELECT secret FROM users');
  });

  it('hides the message and details of a 500 AppError too', async () => {
    const { status, text, body } = await call('/api/v1/test/internal');
    expect(status).toBe(500);
    expect(body.error).toEqual({ code: 'INTERNAL', message: 'An unexpected error occurred.', requestId: body.error.requestId });
    expect(text).not.toContain('password');
    expect(text).not.toContain('db.internal');
  });

  it('maps a thrown non-Error to 500 INTERNAL', async () => {
    const { status, body } = await call('/api/v1/test/not-an-error');
    expect(status).toBe(500);
    expect(body.error.code).toBe('INTERNAL');
  });

  it('passes an AppError meant for clients through with its status, message and details', async () => {
    const { status, body, requestId } = await call('/api/v1/test/conflict');
    expect(status).toBe(409);
    expect(body).toEqual({
      error: { code: 'CONFLICT', message: 'That gift was already recorded.', requestId, details: { giftId: 'g_1' } },
    });
  });

  it('answers an unknown route with 404 NOT_FOUND in the same shape', async () => {
    const { status, body, requestId } = await call('/api/v1/donors/jane@example.org');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'The requested resource was not found.', requestId } });
  });

  it('reports validation failures as 422 with field paths and messages, never the submitted values', async () => {
    const before = donations.calls;
    const { status, text, body } = await call(
      testDonationPath,
      postJson(JSON.stringify({ donorName: 'Jane Donor', amountCents: -5, currency: 'XYZ', extra: 'kept?' })),
    );

    expect(status).toBe(422);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const issues = body.error.details?.issues as { location: string; path: string; message: string }[];
    expect(issues.map((issue) => `${issue.location}:${issue.path}`).sort()).toEqual(['body:amountCents', 'body:currency', 'body:donorName']);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
    const withoutRequestId = text.replace(body.error.requestId, '');
    for (const value of ['Jane', 'XYZ', '-5']) expect(withoutRequestId).not.toContain(value);
    expect(donations.calls).toBe(before);
  });

  it('validates the query string too', async () => {
    const { status, text, body } = await call(
      `${testDonationPath}?dryRun=maybe`,
      postJson(JSON.stringify({ donorName: 'Ann', amountCents: 5, currency: 'USD' })),
    );
    expect(status).toBe(422);
    expect(body.error.details).toEqual({ issues: [{ location: 'query', path: 'dryRun', message: expect.any(String) as string }] });
    expect(text).not.toContain('maybe');
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const { status, body } = await call(testDonationPath, postJson('{"donorName": "Ann",'));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'The request body could not be parsed.' });
  });

  it('answers a non-JSON content type on a JSON route with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const plain = await call(testDonationPath, postJson('donorName=Ann', 'text/plain'));
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const form = await call(testDonationPath, postJson('donorName=Ann', 'application/x-www-form-urlencoded'));
    expect(form.status).toBe(415);
  });

  it('answers 503 UNAVAILABLE from /readyz without the cause, and logs the cause', async () => {
    readiness.ready = false;
    try {
      const { status, text, body } = await call('/readyz', { headers: { 'X-Request-Id': 'trace-readyz-down-1' } });
      expect(status).toBe(503);
      expect(body.error.code).toBe('UNAVAILABLE');
      expect(text).not.toContain('ECONNREFUSED');
      const logged = logs.lines.find((line) => line.requestId === 'trace-readyz-down-1' && line.level === 'warn');
      expect(JSON.stringify(logged)).toContain('ECONNREFUSED');
    } finally {
      readiness.ready = true;
    }
  });
});

describe('readiness timeout', () => {
  it('answers 503 when the readiness check hangs', async () => {
    const { deps } = testDependencies({ readiness: { check: () => new Promise<void>(() => undefined) }, readinessTimeoutMs: 50 });
    const response = await createApp(deps).request('/readyz');
    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorResponseBody).error.code).toBe('UNAVAILABLE');
  });
});
