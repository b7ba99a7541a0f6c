import { AppError } from '@kindling/errors';

/** Longest accepted object key, in characters (all keys are ASCII). */
export const maxObjectKeyLength = 512;
const keyPattern = /^[a-z0-9][a-z0-9/_.-]*$/;

function invalidKey(problem: string): AppError {
  // Keys never hold personal data, so naming the problem (not echoing the key) is enough and safe.
  return new AppError('BAD_REQUEST', `Invalid object key: ${problem}.`, { details: { reason: 'invalid_object_key', problem } });
}

/**
 * Throws `AppError` `BAD_REQUEST` unless `key` is a safe object key: `[a-z0-9][a-z0-9/_.-]*`,
 * at most 512 characters, no leading `/`, no empty or `.`/`..` path segment. Object keys are
 * identifiers (organisation ids, upload ids), never personal data such as names or e-mails.
 */
export function validateObjectKey(key: string): void {
  if (key.length === 0) throw invalidKey('it is empty');
  if (key.length > maxObjectKeyLength) throw invalidKey(`it is longer than ${String(maxObjectKeyLength)} characters`);
  if (key.startsWith('/')) throw invalidKey('it starts with "/"');
  if (!keyPattern.test(key)) throw invalidKey('it must start with a-z or 0-9 and contain only a-z, 0-9, "/", "_", "." and "-"');
  const segments = key.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) throw invalidKey('it contains a "." or ".." segment');
  if (segments.some((segment) => segment === '')) throw invalidKey('it contains an empty segment ("//" or a trailing "/")');
}

/** Throws unless `prefix` is empty or a prefix that some valid key could start with. */
export function validateObjectKeyPrefix(prefix: string): void {
  if (prefix === '') return;
  if (prefix.length > maxObjectKeyLength) throw invalidKey(`the prefix is longer than ${String(maxObjectKeyLength)} characters`);
  if (!keyPattern.test(prefix)) throw invalidKey('the prefix must start with a-z or 0-9 and contain only a-z, 0-9, "/", "_", "." and "-"');
  if (prefix.split('/').some((segment) => segment === '..')) throw invalidKey('the prefix contains a ".." segment');
}
