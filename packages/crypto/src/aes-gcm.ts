import { createCipheriv, createDecipheriv } from 'node:crypto';
import { decryptionFailure } from './crypto-failure.js';

/** AES-256: 32-byte keys. */
export const keyLength = 32;
/**
 * 96-bit nonces: the length GCM is designed for. Any other length is hashed into the counter
 * block with GHASH, which makes collisions between distinct nonces possible and voids the
 * usual bounds, so we never use one.
 */
export const nonceLength = 12;
/** Full 128-bit tags: shorter tags lower the forgery bound (NIST SP 800-38D, appendix C). */
export const tagLength = 16;

export interface Sealed {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function checkParameters(key: Uint8Array, nonce: Uint8Array): void {
  // Programming errors, not data errors: a wrong-length key or nonce would otherwise be reported
  // by OpenSSL with an error naming lengths, or (for nonces) silently accepted.
  if (key.length !== keyLength) throw new RangeError(`AES-256-GCM needs a ${String(keyLength)}-byte key`);
  if (nonce.length !== nonceLength) throw new RangeError(`AES-256-GCM nonces must be ${String(nonceLength)} bytes`);
}

/**
 * AES-256-GCM encryption of one message. The caller owns nonce uniqueness per key: every caller
 * in this package either uses a fresh random key per message or a random 96-bit nonce, well below
 * the 2^32-messages-per-key limit for random nonces (SP 800-38D §8.3).
 */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  checkParameters(key, nonce);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
  cipher.setAAD(aad);
  const first = cipher.update(plaintext);
  const last = cipher.final();
  return { ciphertext: last.length === 0 ? first : Buffer.concat([first, last]), tag: cipher.getAuthTag() };
}

/**
 * AES-256-GCM decryption of one message. Returns the plaintext only after the tag verified:
 * `decipher.update()` hands out plaintext before verification, so nothing it returns leaves this
 * function unless `final()` succeeded.
 */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer {
  checkParameters(key, nonce);
  // Node accepts tags as short as 4 bytes in setAuthTag unless authTagLength is fixed, which
  // would let a forger try 2^32 tags instead of 2^128. Both the option and this check pin 16.
  if (tag.length !== tagLength) throw decryptionFailure('malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
  decipher.setAuthTag(tag);
  decipher.setAAD(aad);
  const first = decipher.update(ciphertext);
  try {
    const last = decipher.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch (error) {
    // The unverified plaintext is wiped, not just dropped, so it cannot outlive the failure in a
    // heap snapshot or a reused buffer.
    first.fill(0);
    throw decryptionFailure('integrity', error);
  }
}
