/**
 * Why a request failed, in terms the UI can act on:
 * - `unreachable`: nothing (or only a proxy) answered; the server is probably not running.
 * - `http`: the server answered with an error; `message`, `code`, `requestId` and `details` come from its body.
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
    /** The error body's `details`, unchecked: read it through the helpers in api-error-details.ts. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface JsonResponse {
  status: number;
  /** `null` for a 204 No Content answer. */
  body: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as they are (application/octet-stream), instead of a JSON body: a chunk of an uploaded file. */
  bytes?: Blob;
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses that are answers rather than failures (e.g. 503 from /readyz). */
  acceptStatuses?: readonly number[];
  /**
   * Whether a 401 means "the session has ended" and should be reported to the session listener
   * (default true). Sign-in steps turn it off: there a 401 is a wrong password or code.
   */
  reportSessionLoss?: boolean;
}

// Gateways (the Vite dev proxy, a load balancer) answer these when the server behind them is down.
const GATEWAY_STATUSES = new Set([502, 503, 504]);
const SAFE_METHODS = new Set<HttpMethod>(['GET']);

/*
 * The session cookie is HttpOnly, so the CSRF token (from GET /api/v1/auth/session) is the one
 * piece of session state this module holds: every state-changing request carries it.
 */
let csrfToken: string | null = null;
const sessionLossListeners = new Set<(error: ApiError) => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called whenever a request that needed a session is answered 401. Returns an unsubscribe function. */
export function onSessionLoss(listener: (error: ApiError) => void): () => void {
  sessionLossListeners.add(listener);
  return () => {
    sessionLossListeners.delete(listener);
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorFromBody(status: number, body: unknown): ApiError | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const { code, message, requestId, details } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return new ApiError('http', message, status, code, typeof requestId === 'string' ? requestId : null, details);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function requestHeaders(method: HttpMethod, contentType: string | null): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType !== null) headers['content-type'] = contentType;
  if (!SAFE_METHODS.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  return headers;
}

export async function requestJson(path: string, options: RequestOptions = {}): Promise<JsonResponse> {
  const method = options.method ?? 'GET';
  const body = options.bytes ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const contentType = options.bytes ? 'application/octet-stream' : body === undefined ? null : 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: requestHeaders(method, contentType),
      ...(body === undefined ? {} : { body }),
      credentials: 'same-origin',
      signal: options.signal ?? null,
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('unreachable', 'The Kindling server did not answer.');
  }

  if (response.status === 204) return { status: 204, body: null };
  const answer = await readJson(response);
  if (response.ok || options.acceptStatuses?.includes(response.status)) {
    if (answer === undefined) {
      throw new ApiError('invalid-response', `${path} did not return JSON.`, response.status);
    }
    return { status: response.status, body: answer };
  }

  const apiError = errorFromBody(response.status, answer);
  if (apiError) {
    if (response.status === 401 && options.reportSessionLoss !== false) {
      for (const listener of sessionLossListeners) listener(apiError);
    }
    throw apiError;
  }
  // The Vite dev proxy answers a bare 500 when nothing listens behind it; the real server always sends an error body.
  if (GATEWAY_STATUSES.has(response.status) || (response.status === 500 && answer === undefined)) {
    throw new ApiError('unreachable', 'The Kindling server did not answer.', response.status);
  }
  throw new ApiError('http', `The server answered with HTTP status ${String(response.status)}.`, response.status);
}

function parsed<T>(path: string, body: unknown, parse: (body: unknown) => T): T {
  try {
    return parse(body);
  } catch (error) {
    const detail = error instanceof Error ? ` ${error.message}` : '';
    throw new ApiError('invalid-response', `${path} returned data this version of the app does not understand.${detail}`);
  }
}

/** GET a JSON resource and turn its body into a typed value with `parse`, which throws on bad shapes. */
export async function getJson<T>(
  path: string,
  parse: (body: unknown) => T,
  signal?: AbortSignal,
  options: Pick<RequestOptions, 'reportSessionLoss'> = {},
): Promise<T> {
  const { body } = await requestJson(path, { ...options, signal });
  return parsed(path, body, parse);
}

/** Send a state-changing request (with the CSRF token once signed in) and parse its JSON answer. */
export async function sendJson<T>(
  method: Exclude<HttpMethod, 'GET'>,
  path: string,
  body: unknown,
  parse: (body: unknown) => T,
  options: Pick<RequestOptions, 'reportSessionLoss' | 'signal'> = {},
): Promise<T> {
  const response = await requestJson(path, { ...options, method, body });
  return parsed(path, response.body, parse);
}

/** Send a state-changing request whose answer carries nothing to read (204 No Content, or a body to ignore). */
export async function send(
  method: Exclude<HttpMethod, 'GET'>,
  path: string,
  body?: unknown,
  options: Pick<RequestOptions, 'reportSessionLoss' | 'signal'> = {},
): Promise<void> {
  await requestJson(path, { ...options, method, ...(body === undefined ? {} : { body }) });
}
