import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, onSessionLoss, requestJson, send, setCsrfToken } from './api-client';

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
  setCsrfToken(null);
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

describe('sessions', () => {
  function headersOf(call: unknown[] | undefined): Headers {
    const init = call?.[1] as RequestInit | undefined;
    return new Headers(init?.headers);
  }

  it('sends the CSRF token on state-changing requests only', async () => {
    const fetchMock = vi.fn(() => Promise.resolve(new Response(null, { status: 204 })));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('token-1');
    await send('POST', '/api/v1/auth/sign-out');
    await requestJson('/api/v1/status').catch(() => undefined);
    expect(headersOf(fetchMock.mock.calls[0]).get('x-csrf-token')).toBe('token-1');
    expect(headersOf(fetchMock.mock.calls[1]).get('x-csrf-token')).toBeNull();
  });

  it('keeps error details for the screens to read', async () => {
    const body = { error: { code: 'RATE_LIMITED', message: 'Slow down.', requestId: 'r', details: { retryAfterSeconds: 30 } } };
    stubFetch(() => Promise.resolve(Response.json(body, { status: 429 })));
    expect((await failure(requestJson('/api/v1/auth/sign-in'))).details).toEqual({ retryAfterSeconds: 30 });
  });

  it('reports a 401 as a lost session, unless the request says a 401 is an ordinary answer', async () => {
    const body = { error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.', requestId: 'r' } };
    stubFetch(() => Promise.resolve(Response.json(body, { status: 401 })));
    const listener = vi.fn();
    const unsubscribe = onSessionLoss(listener);
    await failure(requestJson('/api/v1/auth/sign-in', { method: 'POST', body: {}, reportSessionLoss: false }));
    expect(listener).not.toHaveBeenCalled();
    await failure(requestJson('/api/v1/account/sessions'));
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    await failure(requestJson('/api/v1/account/sessions'));
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
