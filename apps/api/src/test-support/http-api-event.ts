import type { HttpApiEvent } from '../lambda-handler.js';

export interface HttpRequestSpec {
  readonly method: string;
  /** Path with an optional query string, as a client would put it in the request line. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** API Gateway passes text bodies as they are and base64-encodes everything else. */
function isTextContentType(contentType: string): boolean {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'application/x-www-form-urlencoded'
  );
}

function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()] ?? 'Jan'}/${String(date.getUTCFullYear())}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** API Gateway decodes query parameters and joins repeated ones with commas. */
function queryParameters(rawQueryString: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    out[name] = out[name] === undefined ? value : `${out[name]},${value}`;
  }
  return out;
}

/**
 * Builds the event API Gateway HTTP API (payload format 2.0) hands to Lambda for a request:
 * header names lower-cased and repeated values joined with commas, cookies moved out of the
 * headers into `cookies`, the query string raw, and non-text bodies base64-encoded.
 */
export function buildHttpApiEvent(spec: HttpRequestSpec, now: Date = new Date()): HttpApiEvent {
  const [rawPath = '/', rawQueryString = ''] = spec.path.split(/\?(.*)/s, 2);
  const domainName = 'abc123.execute-api.eu-west-1.amazonaws.com';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    const key = name.toLowerCase();
    if (key === 'cookie') {
      cookies = [...(cookies ?? []), ...value.split(/;\s*/)];
    } else {
      headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
    }
  }
  const userAgent = headers['user-agent'] ?? 'kindling-test';
  Object.assign(headers, {
    host: domainName,
    'user-agent': userAgent,
    'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  });
  const body = spec.body ?? null;
  const isText = isTextContentType(headers['content-type'] ?? '');
  if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(rawQueryString === ''
      ? {}
      : { queryStringParameters: queryParameters(rawQueryString) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authentication: null,
      authorizer: {},
      domainName,
      domainPrefix: 'abc123',
      http: {
        method: spec.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent,
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    body: body === null || isText ? body : Buffer.from(body).toString('base64'),
    isBase64Encoded: body !== null && !isText,
  };
}
