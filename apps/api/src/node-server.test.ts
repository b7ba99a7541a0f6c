import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '@kindling/errors';
import { createApp } from './app.js';
import { CONTENT_SECURITY_POLICY } from './http/security-headers.js';
import { startNodeServer, type RunningNodeServer } from './node-server.js';
import { testDependencies } from './test-support/test-dependencies.js';
import { startTestServer } from './test-support/test-server.js';

/** GET with the path sent exactly as given (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('Node server with the built web app', () => {
  const { deps, logger } = testDependencies();
  const app = createApp(deps);
  let dir: string;
  let server: RunningNodeServer;
  const indexHtml = '<!doctype html><title>Kindling</title><script type="module" src="/assets/app-3f2a1b9c.js"></script>';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kindling-web-'));
    const webRoot = join(dir, 'web');
    await mkdir(join(webRoot, 'assets'), { recursive: true });
    await writeFile(join(webRoot, 'index.html'), indexHtml);
    await writeFile(join(webRoot, 'assets', 'app-3f2a1b9c.js'), 'console.log("kindling");');
    await writeFile(join(webRoot, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    await writeFile(join(webRoot, '.env'), 'DATABASE_URL=postgres://secret');
    await writeFile(join(dir, 'outside.txt'), 'outside the web root');
    server = await startTestServer(app, logger, webRoot);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / for revalidation, with the security headers', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(indexHtml);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const response = await fetch(`${server.url}/assets/app-3f2a1b9c.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log("kindling");');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves other files from the web root for revalidation', async () => {
    const response = await fetch(`${server.url}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes', async () => {
    for (const path of ['/donors/42', '/donors/42?tab=gifts', '/settings/']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toBe(indexHtml);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('answers a missing hashed asset with a JSON 404, not index.html', async () => {
    const response = await fetch(`${server.url}/assets/app-deadbeef.js`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('leaves API paths to the API: unknown ones get the JSON 404', async () => {
    const unknown = await fetch(`${server.url}/api/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/status`)).headers.get('cache-control')).toBe('no-store');
  });

  it('sends non-GET requests to the API, not the web app', async () => {
    const response = await fetch(`${server.url}/donors/42`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('never serves files outside the web root or dot-files', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/.env']) {
      const { body } = await rawGet(server.url, path);
      expect(body, path).not.toContain('outside the web root');
      expect(body, path).not.toContain('postgres://');
    }
  });
});

describe('Node server lifecycle', () => {
  it('refuses a web root without index.html', async () => {
    const { deps, logger } = testDependencies();
    const dir = await mkdtemp(join(tmpdir(), 'kindling-web-empty-'));
    try {
      await expect(startTestServer(createApp(deps), logger, dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns a port already in use into an AppError that says what to do', async () => {
    const { deps, logger } = testDependencies();
    const app = createApp(deps);
    const first = await startTestServer(app, logger);
    try {
      const port = Number(new URL(first.url).port);
      const second = startNodeServer({ app, host: '127.0.0.1', port, logger });
      const error: unknown = await second.then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(isAppError(error)).toBe(true);
      expect((error as AppError).code).toBe('CONFIG_INVALID');
      expect((error as AppError).message).toBe(
        `Port ${String(port)} is already in use on 127.0.0.1: stop the other process or set PORT`,
      );
    } finally {
      await first.close();
    }
  });

  it('lets an in-flight request finish on close and refuses new connections', async () => {
    const { deps, logger } = testDependencies();
    const app = createApp(deps);
    const entered = deferred();
    const release = deferred();
    app.get('/api/v1/test/slow', async (c) => {
      entered.resolve();
      await release.promise;
      return c.json({ done: true });
    });
    const server = await startTestServer(app, logger);

    const inFlight = fetch(`${server.url}/api/v1/test/slow`);
    await entered.promise;
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });

    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(closed).toBe(false);
    release.resolve();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
    expect(closed).toBe(true);
  });

  it('cuts requests that outlast the shutdown timeout', async () => {
    const { deps, logger } = testDependencies();
    const app = createApp(deps);
    const entered = deferred();
    app.get('/api/v1/test/hang', async () => {
      entered.resolve();
      return new Promise<Response>(() => undefined);
    });
    const server = await startNodeServer({ app, host: '127.0.0.1', port: 0, logger, shutdownTimeoutMs: 100 });

    const inFlight = fetch(`${server.url}/api/v1/test/hang`).then(
      () => 'answered',
      () => 'cut',
    );
    await entered.promise;
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await inFlight).toBe('cut');
  });
});
