import { isCryptoFailure, type CryptoFailureReason, type DataProtection, type KeyStore } from '@kindling/crypto';
import type { ObjectStore } from '@kindling/object-store';

/** What the re-wrap jobs need from the platform: never a way to read plaintext. */
export interface KeyRewrapServices {
  readonly fields: Pick<DataProtection, 'rewrapObject'>;
  readonly keyStore: Pick<KeyStore, 'currentKek'>;
  /** The object store's backend (ciphertext), under which each scope owns `org/<scopeId>/`. */
  readonly objectBackend: Pick<ObjectStore, 'list' | 'get' | 'put'>;
}

/** Counts of one pass, as the job's result and the audit event's details. */
export interface RewrapCounts {
  /** The KEK version everything was moved to. */
  version: number;
  rowsRewrapped: number;
  objectsRewrapped: number;
  /**
   * Values that could not be re-wrapped (not an envelope, another scope's envelope, changed
   * concurrently): left as they are and counted, so one bad value cannot block the rest.
   */
  skipped: number;
}

/** The 4 big-endian bytes of a KEK version, as they sit at bytes 22–26 of every envelope header. */
export function versionBytes(version: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(version);
  return bytes;
}

/** The scope's current KEK version, without keeping the key. */
export async function currentVersion(keyStore: Pick<KeyStore, 'currentKek'>, scopeId: string): Promise<number> {
  const kek = await keyStore.currentKek(scopeId);
  kek.key.fill(0);
  return kek.version;
}

/**
 * True for a value that re-wrapping can never move: not an envelope, or failing its wrap tag.
 * Outages (root key unavailable) and shredded keys are not: they fail the job, to be retried.
 */
export function isUnmovable(error: unknown): boolean {
  return ['integrity', 'malformed', 'unsupported_format', 'truncated'].some((reason) => isCryptoFailure(error, reason as CryptoFailureReason));
}
