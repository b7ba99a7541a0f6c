import { getJson, send } from '../api/api-client';
import { array, field, isBoolean, isString, isStringOrNull, object } from '../api/json-shape';

/** One signed-in browser or device of the current person. */
export interface AccountSession {
  id: string;
  /** The session making this request. */
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  clientAddress: string | null;
  userAgent: string | null;
}

function parseSession(value: unknown, index: number): AccountSession {
  const at = `sessions[${String(index)}]`;
  const source = object(value, at);
  return {
    id: field(source, 'id', at, isString),
    current: field(source, 'current', at, isBoolean),
    createdAt: field(source, 'createdAt', at, isString),
    lastSeenAt: field(source, 'lastSeenAt', at, isString),
    clientAddress: source.clientAddress === undefined ? null : field(source, 'clientAddress', at, isStringOrNull),
    userAgent: source.userAgent === undefined ? null : field(source, 'userAgent', at, isStringOrNull),
  };
}

export function parseSessions(body: unknown): AccountSession[] {
  // Accept a bare list or `{ sessions: [...] }`.
  const list = Array.isArray(body) ? body : object(body, 'sessions').sessions;
  return array(list, 'sessions').map(parseSession);
}

export function fetchAccountSessions(signal?: AbortSignal): Promise<AccountSession[]> {
  return getJson('/api/v1/account/sessions', parseSessions, signal);
}

export function revokeSession(id: string): Promise<void> {
  return send('DELETE', `/api/v1/account/sessions/${encodeURIComponent(id)}`);
}
