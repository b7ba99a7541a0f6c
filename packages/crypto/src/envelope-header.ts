import { decryptionFailure } from './crypto-failure.js';
import { nonceLength, tagLength } from './aes-gcm.js';
import { orgIdFromBytes } from './encryption-context.js';

/**
 * The envelope header (format version 1). Every multi-byte integer is big-endian.
 *
 * | offset | bytes | field                                                              |
 * |--------|-------|--------------------------------------------------------------------|
 * | 0      | 4     | magic `KDLE`                                                       |
 * | 4      | 1     | format version (1)                                                 |
 * | 5      | 1     | algorithm: 1 = AES-256-GCM message, 2 = AES-256-GCM STREAM         |
 * | 6      | 16    | key id: the organisation UUID, naming the KEK lineage             |
 * | 22     | 4     | KEK version                                                        |
 * | 26     | 12    | data-key wrap nonce                                                |
 * | 38     | 32    | wrapped data key                                                   |
 * | 70     | 16    | data-key wrap tag                                                  |
 * | 86     | 12    | algorithm 1: payload nonce (then ciphertext, then a 16-byte tag)   |
 * | 86     | 4 + 7 | algorithm 2: segment size, nonce prefix (then the segments)        |
 *
 * Every byte is authenticated, by one of two tags:
 * - bytes 0–26 (magic … KEK version) are the AAD of the data-key wrap, and 26–86 are that wrap,
 *   so the wrap tag covers the key id and version and the wrapped key itself;
 * - bytes 0–22 and 86–end-of-header (and the encryption context) are the AAD of the payload.
 * The split is what lets rewrapping replace bytes 22–86 (new KEK version, new wrap) without
 * touching, or even decrypting, the payload.
 */
export const envelopeMagic = Buffer.from('KDLE', 'latin1');
export const envelopeFormatVersion = 1;
export const algorithmIds = { message: 1, stream: 2 } as const;
export type AlgorithmName = keyof typeof algorithmIds;

export const offsets = {
  version: 4,
  algorithm: 5,
  keyId: 6,
  kekVersion: 22,
  wrapNonce: 26,
  wrappedKey: 38,
  wrapTag: 70,
  algorithmSpecific: 86,
} as const;
export const wrappedDataKeyLength = 32;
/** Bytes 0–26: the data-key wrap AAD. */
export const wrapAadEnd = offsets.wrapNonce;
/** Bytes 22–86: what rewrapping replaces. */
export const rewrapStart = offsets.kekVersion;
export const rewrapEnd = offsets.algorithmSpecific;

export const streamNoncePrefixLength = 7;
export const messageHeaderLength = offsets.algorithmSpecific + nonceLength;
export const streamHeaderLength = offsets.algorithmSpecific + 4 + streamNoncePrefixLength;
/** Header plus tag of an algorithm-1 envelope: the fixed cost of one encrypted field. */
export const messageOverhead = messageHeaderLength + tagLength;

/** What a header says, readable without any key (for rewrapping jobs and operators). */
export interface EnvelopeInfo {
  readonly algorithm: AlgorithmName;
  readonly orgId: string;
  readonly kekVersion: number;
  readonly headerLength: number;
  /** Plaintext bytes per segment (algorithm 2 only). */
  readonly segmentSize?: number;
}

/** Bounds on a stream's segment size: a header is read before it is verified, so its size is capped. */
export const minSegmentSize = 64;
export const maxSegmentSize = 16 * 1024 * 1024;

function algorithmName(id: number | undefined): AlgorithmName | undefined {
  if (id === algorithmIds.message) return 'message';
  if (id === algorithmIds.stream) return 'stream';
  return undefined;
}

/**
 * Checks magic, format version and algorithm on as many of the first six bytes as are there, so
 * a reader of a stream can refuse foreign input after a few bytes. Returns the algorithm, or
 * throws `truncated` when fewer than six bytes could not yet be told apart from an envelope.
 */
export function readEnvelopePrefix(bytes: Buffer): AlgorithmName {
  const magicBytes = Math.min(bytes.length, envelopeMagic.length);
  if (bytes.length === 0 || !bytes.subarray(0, magicBytes).equals(envelopeMagic.subarray(0, magicBytes))) throw decryptionFailure('malformed');
  const version = bytes[offsets.version];
  if (version !== undefined && version !== envelopeFormatVersion) throw decryptionFailure('unsupported_format');
  const id = bytes[offsets.algorithm];
  if (id === undefined) throw decryptionFailure('truncated');
  const algorithm = algorithmName(id);
  if (algorithm === undefined) throw decryptionFailure('unsupported_format');
  return algorithm;
}

/**
 * Reads the fixed part of a header and checks what can be checked without a key. Throws
 * `malformed` / `unsupported_format` / `truncated`; the caller still has to verify the tags.
 * `available` may be a prefix of the ciphertext (a stream's first bytes).
 */
export function readEnvelopeHeader(available: Uint8Array): EnvelopeInfo {
  const bytes = Buffer.from(available.buffer, available.byteOffset, available.byteLength);
  const algorithm = readEnvelopePrefix(bytes);
  const headerLength = algorithm === 'message' ? messageHeaderLength : streamHeaderLength;
  if (bytes.length < headerLength) throw decryptionFailure('truncated');
  const orgId = orgIdFromBytes(bytes.subarray(offsets.keyId, offsets.kekVersion));
  const kekVersion = bytes.readUInt32BE(offsets.kekVersion);
  if (kekVersion === 0) throw decryptionFailure('malformed');
  if (algorithm === 'message') return { algorithm, orgId, kekVersion, headerLength };
  const segmentSize = bytes.readUInt32BE(offsets.algorithmSpecific);
  if (segmentSize < minSegmentSize || segmentSize > maxSegmentSize) throw decryptionFailure('malformed');
  return { algorithm, orgId, kekVersion, headerLength, segmentSize };
}
