import type { Readable } from 'node:stream';

/** Small metadata of a stored object, as a listing returns it. */
export interface ObjectInfo {
  readonly key: string;
  /** Bytes as stored by the backend (ciphertext size for an encrypted store's backend). */
  readonly size: number;
  readonly modified: Date;
}

/**
 * A flat key → bytes store. Keys are validated (`validateObjectKey`); they never contain
 * personal data, since they appear in file names, bucket listings and logs.
 *
 * - `put` replaces an object atomically: a reader sees the old bytes or the new, never a part,
 *   and a failed source stream leaves nothing behind.
 * - `get` of a missing key fails the returned stream with `AppError` `NOT_FOUND`.
 * - `delete` of a missing key is not an error.
 * - `list(prefix)` returns every object whose key starts with `prefix`, sorted by key.
 */
export interface ObjectStore {
  put(key: string, body: Readable | Uint8Array): Promise<void>;
  get(key: string): Readable;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<ObjectInfo[]>;
}
