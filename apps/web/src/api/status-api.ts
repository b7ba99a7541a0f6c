import { ApiError, getJson, requestJson } from './api-client';
import { field, isBoolean, isNumber, isNumberOrNull, isString, isStringOrNull, object } from './json-shape';

export interface ServerStatus {
  version: string;
  uptimeSeconds: number;
  time: string;
  database: {
    reachable: boolean;
    serverVersion: string | null;
    latencyMs: number | null;
    migrations: { applied: number; latest: string | null };
  };
  jobs: {
    dispatcher: { running: boolean; lastHeartbeatAt: string | null };
    queued: number;
    running: number;
    failedLast24h: number;
  };
}

/** Outcome of a /healthz or /readyz probe; `answer` is null when the server did not answer. */
export interface ProbeResult {
  path: ProbePath;
  httpStatus: number | null;
  answer: string | null;
  error: ApiError | null;
}

export type ProbePath = '/healthz' | '/readyz';

export function parseServerStatus(body: unknown): ServerStatus {
  const root = object(body, 'status');
  const database = object(root.database, 'status.database');
  const migrations = object(database.migrations, 'status.database.migrations');
  const jobs = object(root.jobs, 'status.jobs');
  const dispatcher = object(jobs.dispatcher, 'status.jobs.dispatcher');
  return {
    version: field(root, 'version', 'status', isString),
    uptimeSeconds: field(root, 'uptimeSeconds', 'status', isNumber),
    time: field(root, 'time', 'status', isString),
    database: {
      reachable: field(database, 'reachable', 'status.database', isBoolean),
      serverVersion: field(database, 'serverVersion', 'status.database', isStringOrNull),
      latencyMs: field(database, 'latencyMs', 'status.database', isNumberOrNull),
      migrations: {
        applied: field(migrations, 'applied', 'status.database.migrations', isNumber),
        latest: field(migrations, 'latest', 'status.database.migrations', isStringOrNull),
      },
    },
    jobs: {
      dispatcher: {
        running: field(dispatcher, 'running', 'status.jobs.dispatcher', isBoolean),
        lastHeartbeatAt: field(dispatcher, 'lastHeartbeatAt', 'status.jobs.dispatcher', isStringOrNull),
      },
      queued: field(jobs, 'queued', 'status.jobs', isNumber),
      running: field(jobs, 'running', 'status.jobs', isNumber),
      failedLast24h: field(jobs, 'failedLast24h', 'status.jobs', isNumber),
    },
  };
}

export function fetchServerStatus(signal?: AbortSignal): Promise<ServerStatus> {
  return getJson('/api/v1/status', parseServerStatus, signal);
}

/** Never rejects except on abort: a failed probe is itself a result worth showing. */
export async function probe(path: ProbePath, signal?: AbortSignal): Promise<ProbeResult> {
  try {
    // /readyz answers 503 with a JSON body while the database is down; that is a result, not a failure.
    const { status, body } = await requestJson(path, { signal, acceptStatuses: [503] });
    const answer = typeof body === 'object' && body !== null && 'status' in body ? String(body.status) : null;
    return { path, httpStatus: status, answer, error: null };
  } catch (error) {
    if (signal?.aborted) throw error;
    const apiError = error instanceof ApiError ? error : new ApiError('unreachable', 'The Kindling server did not answer.');
    return { path, httpStatus: apiError.status, answer: null, error: apiError };
  }
}
