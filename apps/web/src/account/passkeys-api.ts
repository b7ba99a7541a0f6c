import { getJson, send, sendJson } from '../api/api-client';
import { array, field, isString, isStringOrNull, object } from '../api/json-shape';
import { createPasskey } from '../auth/passkey-ceremony';

/** One of the current person's passkeys. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

function parsePasskey(value: unknown, index = 0): Passkey {
  const at = `passkeys[${String(index)}]`;
  const source = object(value, at);
  return {
    id: field(source, 'id', at, isString),
    name: field(source, 'name', at, isString),
    createdAt: field(source, 'createdAt', at, isString),
    lastUsedAt: field(source, 'lastUsedAt', at, isStringOrNull),
  };
}

export function fetchPasskeys(signal?: AbortSignal): Promise<Passkey[]> {
  return getJson('/api/v1/account/passkeys', (body) => array(body, 'passkeys').map(parsePasskey), signal);
}

/** The whole ceremony: the server's challenge, the browser's prompt, the server's check and storage. */
export async function addPasskey(name: string): Promise<Passkey> {
  const options = await sendJson('POST', '/api/v1/account/passkeys/options', {}, (body) => body);
  const credential = await createPasskey(options);
  return sendJson('POST', '/api/v1/account/passkeys', { name, credential }, (body) => parsePasskey(body));
}

export function renamePasskey(id: string, name: string): Promise<Passkey> {
  return sendJson('PATCH', `/api/v1/account/passkeys/${encodeURIComponent(id)}`, { name }, (body) => parsePasskey(body));
}

export function removePasskey(id: string): Promise<void> {
  return send('DELETE', `/api/v1/account/passkeys/${encodeURIComponent(id)}`);
}
