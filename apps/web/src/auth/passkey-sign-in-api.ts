import { getJson, sendJson } from '../api/api-client';
import { field, isBoolean, object } from '../api/json-shape';
import { signWithPasskey } from './passkey-ceremony';

// In the sign-in steps a 401 means a refused factor, not a lost session.
const signInStep = { reportSessionLoss: false } as const;

function parseFactors(body: unknown): boolean {
  return field(object(body, 'factors'), 'passkey', 'factors', isBoolean);
}

/** Whether the half-signed-in person has a passkey to use instead of a code. */
export function hasPasskeyFactor(signal?: AbortSignal): Promise<boolean> {
  return getJson('/api/v1/auth/mfa/factors', parseFactors, signal, signInStep);
}

/** The second factor with a passkey: the server's challenge, the browser's prompt, the server's check. */
export async function verifyWithPasskey(): Promise<void> {
  const options = await sendJson('POST', '/api/v1/auth/passkey/options', {}, (body) => body, signInStep);
  const credential = await signWithPasskey(options);
  await sendJson('POST', '/api/v1/auth/passkey/verify', { credential }, (body) => body, signInStep);
}
