import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createLambdaHandler, type HttpApiResult } from './lambda-handler.js';
import type { RunningNodeServer } from './node-server.js';
import { buildHttpApiEvent, type HttpRequestSpec } from './test-support/http-api-event.js';
import { testUploadChunkBytes } from './test-support/import-test-services.js';
import { testBodyLimitBytes, testDependencies } from './test-support/test-dependencies.js';
import { mountDonationRoute, testDonationPath } from './test-support/test-routes.js';
import { startTestServer } from './test-support/test-server.js';

interface Observed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Transport-level headers that legitimately differ between a socket and a Lambda result. */
const transportHeaders = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const generatedIdPlaceholder = '<generated-request-id>';

function normalise(observed: Observed, requestIdSent: boolean): Observed {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(observed.headers)) {
    if (!transportHeaders.has(name)) headers[name] = value;
  }
  // Content-Length is present only when the body was not chunked; when present it must be right.
  const contentLength = headers['content-length'];
  if (contentLength !== undefined) {
    expect(Number(contentLength)).toBe(Buffer.byteLength(observed.body));
    delete headers['content-length'];
  }
  let body = observed.body;
  const id = headers['x-request-id'];
  expect(id).toBeDefined();
  if (!requestIdSent && id !== undefined) {
    expect(id).toMatch(uuidPattern);
    headers['x-request-id'] = generatedIdPlaceholder;
    body = body.replaceAll(id, generatedIdPlaceholder);
  }
  return { status: observed.status, headers, body };
}

function fromLambda(result: HttpApiResult): Observed {
  expect(result.isBase64Encoded).toBe(false);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: result.statusCode, headers, body: result.body };
}

async function fromNode(response: Response): Promise<Observed> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

const json = { 'content-type': 'application/json' };

interface Case extends HttpRequestSpec {
  readonly name: string;
  readonly expectedStatus: number;
  readonly notReady?: boolean;
}

const cases: readonly Case[] = [
  { name: 'liveness', method: 'GET', path: '/healthz', expectedStatus: 200 },
  { name: 'readiness, ready', method: 'GET', path: '/readyz', expectedStatus: 200 },
  { name: 'readiness, database down', method: 'GET', path: '/readyz', expectedStatus: 503, notReady: true },
  // Signed-in requests through both runtimes are covered in identity/identity-flow.test.ts.
  { name: 'status without a session', method: 'GET', path: '/api/v1/status', expectedStatus: 401 },
  { name: 'status with a query string', method: 'GET', path: '/api/v1/status?x=1&x=2', expectedStatus: 401 },
  {
    name: 'sign-in refused cross-site',
    method: 'POST',
    path: '/api/v1/auth/sign-in',
    headers: { ...json, 'Sec-Fetch-Site': 'cross-site' },
    body: JSON.stringify({ email: 'a@example.org', password: 'x' }),
    expectedStatus: 403,
  },
  { name: 'OpenAPI document', method: 'GET', path: '/api/v1/openapi.json', expectedStatus: 200 },
  { name: 'unknown API path', method: 'GET', path: '/api/v1/nope', expectedStatus: 404 },
  { name: 'wrong method on a known path', method: 'DELETE', path: '/api/v1/status', expectedStatus: 404 },
  {
    name: 'valid JSON body',
    method: 'POST',
    path: testDonationPath,
    headers: json,
    body: JSON.stringify({ donorName: 'Ann', amountCents: 2500, currency: 'EUR' }),
    expectedStatus: 201,
  },
  {
    name: 'validation failure',
    method: 'POST',
    path: `${testDonationPath}?dryRun=maybe`,
    headers: json,
    body: JSON.stringify({ donorName: 'Jane Donor', amountCents: -5, currency: 'XYZ' }),
    expectedStatus: 422,
  },
  { name: 'malformed JSON', method: 'POST', path: testDonationPath, headers: json, body: '{"donorName": "Ann",', expectedStatus: 400 },
  {
    name: 'wrong content type',
    method: 'POST',
    path: testDonationPath,
    headers: { 'content-type': 'text/plain' },
    body: 'donorName=Ann',
    expectedStatus: 415,
  },
  {
    name: 'oversize body',
    method: 'POST',
    path: testDonationPath,
    headers: json,
    body: JSON.stringify({ donorName: 'x'.repeat(testBodyLimitBytes * 2), amountCents: 1, currency: 'USD' }),
    expectedStatus: 413,
  },
  {
    // Larger than the API's default body limit, within the upload route's own: reaches the route (which wants a session).
    name: 'upload chunk within the chunk size',
    method: 'PUT',
    path: '/api/v1/organisations/00000000-0000-4000-8000-000000000001/uploads/00000000-0000-4000-8000-000000000001/content?offset=0',
    headers: { 'content-type': 'application/octet-stream' },
    body: 'x'.repeat(testBodyLimitBytes * 2),
    expectedStatus: 401,
  },
  {
    name: 'upload chunk over the chunk size',
    method: 'PUT',
    path: '/api/v1/organisations/00000000-0000-4000-8000-000000000001/uploads/00000000-0000-4000-8000-000000000001/content?offset=0',
    headers: { 'content-type': 'application/octet-stream' },
    body: 'x'.repeat(testUploadChunkBytes + 1),
    expectedStatus: 413,
  },
  { name: 'with a valid X-Request-Id', method: 'GET', path: '/healthz', headers: { 'X-Request-Id': 'req-0123456789abcdef' }, expectedStatus: 200 },
  { name: 'with an invalid X-Request-Id', method: 'GET', path: '/api/v1/nope', headers: { 'X-Request-Id': 'bad id!' }, expectedStatus: 404 },
];

describe('the same app under Node and under Lambda (API Gateway HTTP API v2)', () => {
  const { deps, logger, readiness } = testDependencies();
  const app = createApp(deps);
  mountDonationRoute(app);
  const lambda = createLambdaHandler(app);
  let server: RunningNodeServer;

  beforeAll(async () => {
    server = await startTestServer(app, logger);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(cases)('$name: $method $path', async (spec) => {
    readiness.ready = spec.notReady !== true;
    const init: RequestInit = { method: spec.method, headers: spec.headers ?? {} };
    if (spec.body !== undefined) init.body = spec.body;
    const viaNode = await fromNode(await fetch(`${server.url}${spec.path}`, init));
    const viaLambda = fromLambda(await lambda(buildHttpApiEvent(spec)));

    const sentId = spec.headers?.['X-Request-Id'];
    const validIdSent = sentId !== undefined && /^[A-Za-z0-9-]{8,64}$/.test(sentId);
    const node = normalise(viaNode, validIdSent);
    const aws = normalise(viaLambda, validIdSent);

    expect(node.status).toBe(spec.expectedStatus);
    expect(aws).toEqual(node);
    if (validIdSent) expect(node.headers['x-request-id']).toBe(sentId);
    if (node.status >= 400) {
      const body = JSON.parse(node.body) as { error: { code: string; requestId: string } };
      expect(body.error.requestId).toBe(validIdSent ? sentId : generatedIdPlaceholder);
    }
  });
});
