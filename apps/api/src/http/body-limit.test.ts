import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { RunningNodeServer } from '../node-server.js';
import { testBodyLimitBytes, testDependencies } from '../test-support/test-dependencies.js';
import { mountDonationRoute, testDonationPath } from '../test-support/test-routes.js';
import { startTestServer } from '../test-support/test-server.js';

interface RawResponse {
  status: number;
  body: string;
}

/** Sends `chunks` with Transfer-Encoding: chunked (no Content-Length), as a streaming client would. */
function postChunked(url: string, chunks: readonly string[]): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    // Without a Content-Length, Node sends a request body with chunked transfer encoding.
    expect(req.getHeader('content-length')).toBeUndefined();
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function split(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts;
}

describe('request body limit', () => {
  const { deps, logger } = testDependencies();
  const app = createApp(deps);
  const donations = mountDonationRoute(app);
  let server: RunningNodeServer;

  beforeAll(async () => {
    server = await startTestServer(app, logger);
  });
  afterAll(async () => {
    await server.close();
  });

  const oversize = JSON.stringify({ donorName: 'x'.repeat(testBodyLimitBytes), amountCents: 1, currency: 'USD' });
  const fits = JSON.stringify({ donorName: 'Ann', amountCents: 1200, currency: 'GBP', padding: ' '.repeat(testBodyLimitBytes - 100) });

  it('rejects a body whose Content-Length is over the limit with 413, before the handler runs', async () => {
    const before = donations.calls;
    const response = await fetch(`${server.url}${testDonationPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversize,
    });
    const body = (await response.json()) as { error: { code: string; details: unknown } };
    expect(response.status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.details).toEqual({ limitBytes: testBodyLimitBytes });
    expect(donations.calls).toBe(before);
  });

  it('rejects a chunked body that grows over the limit with 413', async () => {
    const before = donations.calls;
    const response = await postChunked(`${server.url}${testDonationPath}`, split(oversize, 100));
    expect(response.status).toBe(413);
    expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(donations.calls).toBe(before);
  });

  it('passes a chunked body within the limit to the handler intact', async () => {
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(testBodyLimitBytes);
    const response = await postChunked(`${server.url}${testDonationPath}`, split(fits, 100));
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ accepted: true, amountCents: 1200 });
  });

  it('limits a streamed body without Content-Length in the runtime-neutral core as well', async () => {
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of split(oversize, 256)) controller.enqueue(encoder.encode(part));
        controller.close();
      },
    });
    const request = new Request(`https://kindling.test${testDonationPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    expect(request.headers.get('content-length')).toBeNull();
    const response = await app.fetch(request);
    expect(response.status).toBe(413);
  });
});
