import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { RunningNodeServer } from '../node-server.js';
import { testDependencies } from '../test-support/test-dependencies.js';
import { startTestServer } from '../test-support/test-server.js';
import { resolveRequestId } from './request-id.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request id and access log', () => {
  const { deps, logs, logger } = testDependencies();
  const app = createApp(deps);
  let server: RunningNodeServer;

  beforeAll(async () => {
    server = await startTestServer(app, logger);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['abcd1234', 'req-0123456789abcdef', 'A'.repeat(64), '7c9e6679-7425-40de-944b-e07fc1f90ae7'])(
    'accepts and echoes the well-formed id %s',
    async (id) => {
      const response = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': id } });
      expect(response.headers.get('x-request-id')).toBe(id);
    },
  );

  it.each(['short', 'A'.repeat(65), 'has space-1234', 'semi;colon-1234', 'new\\nline-1234', '<script>alert(1)</script>'])(
    'replaces the malformed id %j with a generated one',
    (id) => {
      expect(resolveRequestId(id)).toMatch(uuidPattern);
    },
  );

  it('generates an id when none is sent', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('x-request-id')).toMatch(uuidPattern);
  });

  it('logs one access line per request with the route pattern, never the raw URL', async () => {
    const id = 'access-log-check-1';
    const response = await fetch(`${server.url}/api/v1/status?email=jane%40example.org`, { headers: { 'X-Request-Id': id } });
    // Without a session the status route answers 401; the access log still names its pattern.
    expect(response.status).toBe(401);

    const lines = logs.lines.filter((line) => line.requestId === id && line.msg === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'GET', route: '/api/v1/status', status: 401, requestId: id });
    expect(typeof lines[0]?.durationMs).toBe('number');
    expect(JSON.stringify(logs.lines)).not.toContain('jane');
  });

  it('logs an unmatched request with a null route', async () => {
    const id = 'access-log-check-2';
    await fetch(`${server.url}/api/v1/donors/jane`, { headers: { 'X-Request-Id': id } });
    const line = logs.lines.find((entry) => entry.requestId === id && entry.msg === 'request completed');
    expect(line).toMatchObject({ method: 'GET', route: null, status: 404 });
  });
});
