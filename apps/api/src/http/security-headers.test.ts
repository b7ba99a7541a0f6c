import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { RunningNodeServer } from '../node-server.js';
import { testBodyLimitBytes, testDependencies } from '../test-support/test-dependencies.js';
import { mountDonationRoute, mountThrowingRoute, testDonationPath } from '../test-support/test-routes.js';
import { startTestServer } from '../test-support/test-server.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

const expectedHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cache-control': 'no-store',
};

describe('security headers', () => {
  const { deps, logger } = testDependencies();
  const app = createApp(deps);
  mountDonationRoute(app);
  mountThrowingRoute(app, '/api/v1/test/boom', new Error('boom'));
  let server: RunningNodeServer;

  beforeAll(async () => {
    server = await startTestServer(app, logger);
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it.each([
    { status: 200, path: '/healthz', init: {} },
    { status: 200, path: '/readyz', init: {} },
    { status: 401, path: '/api/v1/status', init: {} },
    { status: 404, path: '/api/v1/nope', init: {} },
    { status: 404, path: '/not-an-api-path', init: {} },
    { status: 413, path: testDonationPath, init: post('x'.repeat(testBodyLimitBytes + 1)) },
    { status: 422, path: testDonationPath, init: post('{}') },
    { status: 500, path: '/api/v1/test/boom', init: {} },
  ])('are on a $status response to $path', async ({ status, path, init }) => {
    const response = await fetch(`${server.url}${path}`, init);
    await response.arrayBuffer();
    expect(response.status).toBe(status);
    for (const [name, value] of Object.entries(expectedHeaders)) expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps the policy in one exported constant', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(expectedHeaders['content-security-policy']);
  });
});
