/**
 * Why a request failed, in terms the UI can act on:
 * - `unreachable`: nothing (or only a proxy) answered; the server is probably not running.
 * - `http`: the server answered with an error; `message` and `requestId` come from its body.
 * - `invalid-response`: the server answered with something this app does not understand.
 */
export type ApiErrorKind = 'unreachable' | 'http' | 'invalid-response';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses that are answers rather than failures (e.g. 503 from /readyz). */
  acceptStatuses?: readonly number[];
}

// Gateways (the Vite dev proxy, a load balancer) answer these when the server behind them is down.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorFromBody(status: number, body: unknown): ApiError | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const { code, message, requestId } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return new ApiError('http', message, status, code, typeof requestId === 'string' ? requestId : null);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

export async function requestJson(path: string, options: RequestOptions = {}): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { accept: 'application/json' },
      signal: options.signal ?? null,
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('unreachable', 'The Kindling server did not answer.');
  }

  const body = await readJson(response);
  if (response.ok || options.acceptStatuses?.includes(response.status)) {
    if (body === undefined) {
      throw new ApiError('invalid-response', `${path} did not return JSON.`, response.status);
    }
    return { status: response.status, body };
  }

  const apiError = errorFromBody(response.status, body);
  if (apiError) throw apiError;
  // The Vite dev proxy answers a bare 500 when nothing listens behind it; the real server always sends an error body.
  if (GATEWAY_STATUSES.has(response.status) || (response.status === 500 && body === undefined)) {
    throw new ApiError('unreachable', 'The Kindling server did not answer.', response.status);
  }
  throw new ApiError('http', `The server answered with HTTP status ${String(response.status)}.`, response.status);
}

/** GET a JSON resource and turn its body into a typed value with `parse`, which throws on bad shapes. */
export async function getJson<T>(path: string, parse: (body: unknown) => T, signal?: AbortSignal): Promise<T> {
  const { body } = await requestJson(path, { signal });
  try {
    return parse(body);
  } catch (error) {
    const detail = error instanceof Error ? ` ${error.message}` : '';
    throw new ApiError('invalid-response', `${path} returned data this version of the app does not understand.${detail}`);
  }
}
