import { AppError } from '@kindling/errors';

/**
 * Why a cryptographic operation failed, as `details.reason` of the AppError. Callers branch on
 * the reason (or on isCryptoFailure), never on the message.
 *
 * Codes (no new ones were needed in @kindling/errors):
 * - `integrity`, `malformed`, `unsupported_format`, `truncated` → INTERNAL. Ciphertexts come from
 *   our own storage, so a ciphertext that fails to decrypt is a server-side integrity fault
 *   (tampering, corruption, or a caller passing the wrong context), not a bad client request.
 *   INTERNAL is a 500, so the API shows neither message nor details, and it is alarmed on.
 * - `keys_destroyed` → NOT_FOUND: the organisation was crypto-shredded; its data is gone for good.
 * - `root_key_unavailable` → UNAVAILABLE: the root key (KMS, key file) could not be used right now.
 * - `invalid_input` → BAD_REQUEST: the caller passed a context or value we refuse to encode.
 */
export const cryptoFailureReasons = [
  'integrity',
  'malformed',
  'unsupported_format',
  'truncated',
  'keys_destroyed',
  'root_key_unavailable',
  'invalid_input',
] as const;
export type CryptoFailureReason = (typeof cryptoFailureReasons)[number];

// Messages are fixed strings: a message must never carry key material, plaintext, ciphertext
// bytes or anything derived from them, because messages reach logs (and, for non-500 codes,
// clients). The underlying error, when there is one, goes in `cause`, which only reaches logs.
const failureMessages: Readonly<Record<Exclude<CryptoFailureReason, 'invalid_input'> | 'organisation_gone', string>> = {
  integrity: 'Encrypted data failed its integrity check: it was altered, is corrupt, or belongs to another context',
  malformed: 'Encrypted data is not in a recognised format',
  unsupported_format: 'Encrypted data uses a format version or algorithm this build does not support',
  truncated: 'Encrypted data ended early: it was truncated',
  keys_destroyed: "This organisation's encryption keys have been destroyed; its encrypted data can no longer be read",
  organisation_gone: 'This organisation no longer exists; its encrypted data can no longer be read',
  root_key_unavailable: 'The root key that protects organisation keys is unavailable',
};

/** The AppError for a decryption (or unwrap) that must not yield data. */
export function decryptionFailure(reason: 'integrity' | 'malformed' | 'unsupported_format' | 'truncated', cause?: unknown): AppError {
  return new AppError('INTERNAL', failureMessages[reason], { details: { reason }, ...(cause === undefined ? {} : { cause }) });
}

/**
 * The organisation's key lineage was destroyed (crypto-shredding), or the organisation itself was
 * deleted, taking its keys with it: the same reason, since callers must treat both alike.
 */
export function keysDestroyed(organisationGone = false): AppError {
  return new AppError('NOT_FOUND', organisationGone ? failureMessages.organisation_gone : failureMessages.keys_destroyed, {
    details: { reason: 'keys_destroyed' },
  });
}

/** The root key provider (KMS, key file) failed for a reason other than a bad ciphertext. */
export function rootKeyUnavailable(cause: unknown): AppError {
  return new AppError('UNAVAILABLE', failureMessages.root_key_unavailable, { details: { reason: 'root_key_unavailable' }, cause });
}

/** A context or argument the caller got wrong; `what` names the field, never its value. */
export function invalidInput(what: string): AppError {
  return new AppError('BAD_REQUEST', `Invalid input to encryption: ${what}`, { details: { reason: 'invalid_input' } });
}

/** True when `error` is a crypto failure, optionally of one reason. */
export function isCryptoFailure(error: unknown, reason?: CryptoFailureReason): error is AppError {
  if (!(error instanceof AppError)) return false;
  const actual = error.details?.['reason'];
  if (typeof actual !== 'string' || !(cryptoFailureReasons as readonly string[]).includes(actual)) return false;
  return reason === undefined || actual === reason;
}
