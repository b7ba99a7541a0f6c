import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface IssuedToken {
  /** Given to the holder once; never stored. */
  readonly token: string;
  /** What the database keeps: a SHA-256 of the token (the token has 256 bits of entropy, so no salt or slow hash is needed). */
  readonly hash: Buffer;
}

/**
 * A 256-bit random bearer token. The prefix names its kind (`kdl_s_` session, `kdl_t_` API token,
 * `kdl_i_` invitation) so leaked tokens are recognisable to people and secret scanners.
 */
export function issueToken(prefix: string): IssuedToken {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function tokenHashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
