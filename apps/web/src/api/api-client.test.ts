import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, requestJson } from './api-client';

function stubFetch(respond: () => Promise<Response>) {
  vi.stubGlobal('fetch', vi.fn(respond));
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('requestJson', () => {
  it('turns an API error body into a typed error with message and request id', async () => {
    const body = { error: { code: 'internal', message: 'Database query failed.', requestId: 'req-42' } };
    stubFetch(() => Promise.resolve(Response.json(body, { status: 500 })));
    const error = await failure(requestJson('/api/v1/status'));
    expect(error).toMatchObject({ kind: 'http', status: 500, code: 'internal', requestId: 'req-42' });
    expect(error.message).toBe('Database query failed.');
  });

  it('reports a network failure as unreachable', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    expect((await failure(requestJson('/api/v1/status'))).kind).toBe('unreachable');
  });

  it('reports a bodiless gateway error as unreachable', async () => {
    stubFetch(() => Promise.resolve(new Response('Bad gateway', { status: 502 })));
    expect((await failure(requestJson('/api/v1/status'))).kind).toBe('unreachable');
  });

  it('returns accepted error statuses as answers', async () => {
    stubFetch(() => Promise.resolve(Response.json({ status: 'unavailable' }, { status: 503 })));
    await expect(requestJson('/readyz', { acceptStatuses: [503] })).resolves.toEqual({
      status: 503,
      body: { status: 'unavailable' },
    });
  });

  it('passes an abort through untouched', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('aborted', 'AbortError');
    stubFetch(() => Promise.reject(abort));
    await expect(requestJson('/api/v1/status', { signal: controller.signal })).rejects.toBe(abort);
  });
});

describe('getJson', () => {
  it('reports a body that fails to parse as an invalid response', async () => {
    stubFetch(() => Promise.resolve(Response.json({ unexpected: true })));
    const parse = () => {
      throw new Error('version is missing.');
    };
    const error = await failure(getJson('/api/v1/status', parse));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain('version is missing.');
  });
});
