import { createHash, randomInt } from 'node:crypto';

export const recoveryCodeCount = 10;
// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const groups = 4;
const groupLength = 4;

export interface RecoveryCodes {
  /** Shown once, for the person to keep offline. */
  readonly codes: readonly string[];
  /** Stored; each code has 80 bits of entropy, so SHA-256 is enough to make the stored form useless. */
  readonly hashes: readonly Buffer[];
}

export function generateRecoveryCodes(): RecoveryCodes {
  const codes = Array.from({ length: recoveryCodeCount }, () =>
    Array.from({ length: groups }, () => Array.from({ length: groupLength }, () => alphabet[randomInt(alphabet.length)]).join('')).join('-'),
  );
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Accepts what people type: any case, spaces or dashes, and the letters Crockford maps to digits. */
export function normaliseRecoveryCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(`kindling-recovery-code:${normaliseRecoveryCode(code)}`, 'utf8').digest();
}
