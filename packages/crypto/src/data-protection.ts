import { createHmac, hash, randomBytes, randomFillSync } from 'node:crypto';
import type { Transform } from 'node:stream';
import { decryptionFailure, invalidInput } from './crypto-failure.js';
import { keyLength, nonceLength, open, seal } from './aes-gcm.js';
import { canonicalOrgId, encodeContext, isWellFormedText, orgIdBytes, type EncryptionContext, type FieldContext } from './encryption-context.js';
import {
  algorithmIds,
  envelopeFormatVersion,
  envelopeMagic,
  maxSegmentSize,
  messageHeaderLength,
  minSegmentSize,
  offsets,
  readEnvelopeHeader,
  streamHeaderLength,
  streamNoncePrefixLength,
  wrapAadEnd,
  type AlgorithmName,
  type EnvelopeInfo,
} from './envelope-header.js';
import { blindIndexKey, dataKeyWrappingKey } from './kek-derivation.js';
import type { Kek, KeyStore } from './key-store.js';
import { SegmentDecryptor, SegmentEncryptor } from './stream-segments.js';
import { DecryptTransform, EncryptTransform } from './stream-transforms.js';

/** Plaintext bytes per stream segment unless configured: large enough that the 16-byte tag and
 * per-segment cipher set-up cost little, small enough that a reader holds little unverified. */
export const defaultStreamSegmentSize = 64 * 1024;

export interface DataProtectionOptions {
  readonly keyStore: KeyStore;
  /** Plaintext bytes per stream segment, 64 B … 16 MiB; default 64 KiB. Readers take it from the header. */
  readonly streamSegmentSize?: number;
}

/**
 * Envelope encryption for one deployment: every ciphertext gets a fresh 256-bit data key,
 * wrapped by the organisation's current KEK and bound to its context (see README.md).
 */
export interface DataProtection {
  /** Encrypts a whole buffer (AES-256-GCM, random 96-bit nonce). */
  encryptBuffer(plaintext: Uint8Array, context: EncryptionContext): Promise<Buffer>;
  /**
   * Decrypts what encryptBuffer (or, read whole, an encrypt stream) produced for the same
   * context. Throws an AppError (see isCryptoFailure) and yields nothing if any byte was changed.
   */
  decryptBuffer(ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer>;
  /** The form for a `bytea` column: a text value bound to one org/table/column/row. */
  encryptField(value: string, context: FieldContext): Promise<Buffer>;
  decryptField(ciphertext: Uint8Array, context: FieldContext): Promise<string>;
  /** A Transform from plaintext to envelope, in constant memory (STREAM, 64 KiB segments). */
  createEncryptStream(context: EncryptionContext): Transform;
  /**
   * A Transform from envelope to plaintext. Only verified segments are emitted, but truncation
   * is detectable only at the end: treat the output as untrusted until the stream ends without
   * an error (e.g. until `pipeline()` resolves).
   */
  createDecryptStream(context: EncryptionContext): Transform;
  /**
   * Moves an envelope to the organisation's current KEK version by re-wrapping its data key.
   * The payload is copied unchanged and never decrypted. Works on a whole envelope, or on the
   * first `headerLength` bytes of a large stream object (the rest is not needed).
   */
  rewrapObject(ciphertext: Uint8Array): Promise<Buffer>;
  /**
   * HMAC-SHA256 of a normalised value (normaliseEmail, normaliseExternalId) under the
   * organisation's index key for `purpose`, for exact-match look-ups of encrypted columns.
   * Stable across KEK rotation (see README.md for the trade-off).
   */
  blindIndex(orgId: string, purpose: string, normalisedValue: string): Promise<Buffer>;
  /**
   * encryptField and blindIndex for one organisation as synchronous calls, with its keys fetched
   * and their HKDF subkeys derived once: for bulk work such as importing a million contacts, where
   * deriving per value cost more than encrypting it. The output is exactly what encryptField and
   * blindIndex give (a fresh data key per value, the same context binding); only the derivation is
   * shared. The derived keys live as long as the returned object: hold it for one job, no longer.
   */
  organisationKeys(orgId: string): Promise<OrganisationKeys>;
}

/** See DataProtection.organisationKeys. */
export interface OrganisationKeys {
  encryptField(value: string, context: FieldContext): Buffer;
  blindIndex(purpose: string, normalisedValue: string): Buffer;
}

const blindIndexPurposePattern = /^[a-z][a-z0-9_.-]{0,63}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function checkKek(kek: Kek, orgId: string, version?: number): Kek {
  // A KeyStore bug that returned another organisation's or version's key would silently
  // cross-wire tenants; it costs two comparisons to make that impossible.
  if (kek.orgId !== orgId || (version !== undefined && kek.version !== version) || kek.key.length !== keyLength) {
    throw new Error('key store returned a KEK for a different organisation or version');
  }
  if (!Number.isInteger(kek.version) || kek.version < 1 || kek.version > 0xffff_ffff) throw new Error('KEK version out of range');
  return kek;
}

/** Writes the KEK version and a fresh wrap of `dataKey` into bytes 22–86 of `header`. */
/** Where random bytes come from: the CSPRNG per call, or a pool of it (randomPool) for bulk work. */
type RandomSource = (length: number) => Buffer;

/**
 * CSPRNG bytes drawn 4 KiB at a time: one call per ~50 values instead of three per value (a
 * large share of a field encryption's cost). Each byte is handed out once and wiped from the pool.
 */
function randomPool(): RandomSource {
  const pool = Buffer.alloc(4096);
  let offset = pool.length;
  return (length) => {
    if (offset + length > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const bytes = Buffer.from(pool.subarray(offset, offset + length));
    pool.fill(0, offset, offset + length);
    offset += length;
    return bytes;
  };
}

/**
 * HMAC-SHA256 (RFC 2104) under one key, as a function: the padded keys are computed once and each
 * message costs two one-shot hashes, several times cheaper than a createHmac object per message
 * when an import hashes tens of millions of rows. Equal to createHmac('sha256', key) (tested).
 */
export function hmacSha256(key: Buffer): (message: string) => Buffer {
  if (key.length > 64) throw new RangeError('HMAC keys longer than the block are hashed first; ours are 32 bytes');
  const inner = Buffer.alloc(64, 0x36);
  const outer = Buffer.alloc(64 + 32, 0x5c);
  for (let index = 0; index < key.length; index += 1) {
    inner[index] = (key[index] ?? 0) ^ 0x36;
    outer[index] = (key[index] ?? 0) ^ 0x5c;
  }
  return (message) => {
    const length = Buffer.byteLength(message, 'utf8');
    const block = Buffer.alloc(64 + length);
    inner.copy(block, 0);
    block.write(message, 64, 'utf8');
    hash('sha256', block, 'buffer').copy(outer, 64);
    return hash('sha256', outer, 'buffer');
  };
}

function writeWrappedDataKey(header: Buffer, kek: Kek, dataKey: Buffer, derivedWrappingKey?: Buffer, random: RandomSource = randomBytes): void {
  header.writeUInt32BE(kek.version, offsets.kekVersion);
  const wrappingKey = derivedWrappingKey ?? dataKeyWrappingKey(kek);
  // Random 96-bit wrap nonces under the (derived) KEK: one KEK version wraps one data key per
  // object, far fewer than 2^32, so a random nonce repeats with negligible probability.
  const nonce = random(nonceLength);
  const { ciphertext, tag } = seal(wrappingKey, nonce, dataKey, header.subarray(0, wrapAadEnd));
  if (derivedWrappingKey === undefined) wrappingKey.fill(0);
  nonce.copy(header, offsets.wrapNonce);
  ciphertext.copy(header, offsets.wrappedKey);
  tag.copy(header, offsets.wrapTag);
}

function unwrapDataKey(header: Uint8Array, kek: Kek): Buffer {
  const wrappingKey = dataKeyWrappingKey(kek);
  try {
    return open(
      wrappingKey,
      header.subarray(offsets.wrapNonce, offsets.wrappedKey),
      header.subarray(offsets.wrappedKey, offsets.wrapTag),
      header.subarray(offsets.wrapTag, offsets.algorithmSpecific),
      header.subarray(0, wrapAadEnd),
    );
  } finally {
    wrappingKey.fill(0);
  }
}

function newHeader(algorithm: AlgorithmName, orgId: string, kek: Kek, dataKey: Buffer, derivedWrappingKey?: Buffer, random?: RandomSource): Buffer {
  const header = Buffer.alloc(algorithm === 'message' ? messageHeaderLength : streamHeaderLength);
  envelopeMagic.copy(header, 0);
  header[offsets.version] = envelopeFormatVersion;
  header[offsets.algorithm] = algorithmIds[algorithm];
  orgIdBytes(orgId).copy(header, offsets.keyId);
  writeWrappedDataKey(header, kek, dataKey, derivedWrappingKey, random);
  return header;
}

/** One message envelope: a fresh data key, wrapped under the KEK, sealing the plaintext bound to its context. */
function sealMessage(orgId: string, kek: Kek, plaintext: Uint8Array, encodedContext: Buffer, bulk?: { wrappingKey: Buffer; random: RandomSource }): Buffer {
  const random = bulk?.random ?? randomBytes;
  // A fresh data key per object: a nonce collision or a leaked data key exposes one object
  // only, and the 2^32 random-nonce limit applies per object rather than per organisation.
  const dataKey = random(keyLength);
  try {
    const header = newHeader('message', orgId, kek, dataKey, bulk?.wrappingKey, random);
    const nonce = random(nonceLength);
    nonce.copy(header, offsets.algorithmSpecific);
    const { ciphertext, tag } = seal(dataKey, nonce, plaintext, payloadAad(header, messageHeaderLength, encodedContext));
    return Buffer.concat([header, ciphertext, tag]);
  } finally {
    dataKey.fill(0);
  }
}

function checkFieldInput(context: FieldContext, value: string): void {
  // The types already say 'field'; this guards JavaScript callers and casts.
  if ((context as EncryptionContext).purpose !== 'field') throw invalidInput("field encryption needs purpose 'field'");
  if (typeof value !== 'string') throw invalidInput('field value must be a string');
  // A lone surrogate would be stored as U+FFFD: refuse rather than silently change the data.
  if (!isWellFormedText(value)) throw invalidInput('field value must be well-formed Unicode');
}

function checkIndexInput(purpose: string, normalisedValue: string): void {
  if (!blindIndexPurposePattern.test(purpose)) throw invalidInput('blind index purpose must be a short lower-case name');
  if (typeof normalisedValue !== 'string' || normalisedValue.length === 0) throw invalidInput('blind index value must be a non-empty string');
  if (!isWellFormedText(normalisedValue)) throw invalidInput('blind index value must be well-formed Unicode');
}

/**
 * The payload AAD: the header minus the part rewrapping replaces, then the context. The context
 * is not stored in the envelope; the reader must supply it, and a different one fails the tag.
 */
function payloadAad(header: Uint8Array, headerLength: number, encodedContext: Buffer): Buffer {
  return Buffer.concat([header.subarray(0, offsets.kekVersion), header.subarray(offsets.algorithmSpecific, headerLength), encodedContext]);
}

export function createDataProtection(options: DataProtectionOptions): DataProtection {
  const { keyStore } = options;
  const segmentSize = options.streamSegmentSize ?? defaultStreamSegmentSize;
  if (!Number.isInteger(segmentSize) || segmentSize < minSegmentSize || segmentSize > maxSegmentSize) {
    throw new RangeError(`streamSegmentSize must be an integer from ${String(minSegmentSize)} to ${String(maxSegmentSize)}`);
  }

  /** Reads the header, refuses another organisation's envelope, and unwraps the data key. */
  async function openHeader(ciphertext: Uint8Array, context: EncryptionContext): Promise<{ info: EnvelopeInfo; dataKey: Buffer }> {
    const orgId = canonicalOrgId(context.orgId);
    const info = readEnvelopeHeader(ciphertext);
    // Checked before any key is fetched: an envelope naming another organisation would fail its
    // tags anyway, but we never even load a key of an organisation the caller is not acting for.
    if (info.orgId !== orgId) throw decryptionFailure('integrity');
    const kek = checkKek(await keyStore.kekVersion(orgId, info.kekVersion), orgId, info.kekVersion);
    return { info, dataKey: unwrapDataKey(ciphertext, kek) };
  }

  function streamDecryptor(header: Uint8Array, info: EnvelopeInfo, dataKey: Buffer, encodedContext: Buffer): SegmentDecryptor {
    const prefixStart = offsets.algorithmSpecific + 4;
    const noncePrefix = Buffer.from(header.subarray(prefixStart, prefixStart + streamNoncePrefixLength));
    return new SegmentDecryptor(dataKey, noncePrefix, payloadAad(header, info.headerLength, encodedContext), info.segmentSize ?? segmentSize);
  }

  async function encryptBuffer(plaintext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    const encodedContext = encodeContext(context);
    const orgId = canonicalOrgId(context.orgId);
    const kek = checkKek(await keyStore.currentKek(orgId), orgId);
    return sealMessage(orgId, kek, plaintext, encodedContext);
  }

  async function decryptBuffer(ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    const encodedContext = encodeContext(context);
    const { info, dataKey } = await openHeader(ciphertext, context);
    try {
      const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
      if (info.algorithm === 'stream') {
        const parts: Buffer[] = [];
        const decryptor = streamDecryptor(bytes, info, Buffer.from(dataKey), encodedContext);
        decryptor.push(bytes.subarray(info.headerLength), (part) => parts.push(part));
        decryptor.finish((part) => parts.push(part));
        return Buffer.concat(parts);
      }
      if (bytes.length < messageHeaderLength + 16) throw decryptionFailure('truncated');
      const tagStart = bytes.length - 16;
      return open(
        dataKey,
        bytes.subarray(offsets.algorithmSpecific, messageHeaderLength),
        bytes.subarray(messageHeaderLength, tagStart),
        bytes.subarray(tagStart),
        payloadAad(bytes, messageHeaderLength, encodedContext),
      );
    } finally {
      dataKey.fill(0);
    }
  }

  function createEncryptStream(context: EncryptionContext): Transform {
    // Validated now, so a bad context throws at the call site rather than inside a pipeline.
    const encodedContext = encodeContext(context);
    const orgId = canonicalOrgId(context.orgId);
    return new EncryptTransform(async () => {
      const kek = checkKek(await keyStore.currentKek(orgId), orgId);
      const dataKey = randomBytes(keyLength);
      const header = newHeader('stream', orgId, kek, dataKey);
      header.writeUInt32BE(segmentSize, offsets.algorithmSpecific);
      // The data key is already unique per stream; the random prefix is defence in depth should a
      // data key ever be reused (e.g. a faulty RNG), keeping nonces distinct across streams.
      const noncePrefix = randomBytes(streamNoncePrefixLength);
      noncePrefix.copy(header, offsets.algorithmSpecific + 4);
      return { header, encryptor: new SegmentEncryptor(dataKey, noncePrefix, payloadAad(header, streamHeaderLength, encodedContext), segmentSize) };
    });
  }

  function createDecryptStream(context: EncryptionContext): Transform {
    const encodedContext = encodeContext(context);
    return new DecryptTransform(async (header) => {
      const info = readEnvelopeHeader(header);
      if (info.algorithm !== 'stream') throw decryptionFailure('unsupported_format');
      const { dataKey } = await openHeader(header, context);
      return streamDecryptor(header, info, dataKey, encodedContext);
    });
  }

  async function rewrapObject(ciphertext: Uint8Array): Promise<Buffer> {
    const info = readEnvelopeHeader(ciphertext);
    const current = checkKek(await keyStore.currentKek(info.orgId), info.orgId);
    const copy = Buffer.from(ciphertext);
    if (info.kekVersion === current.version) return copy;
    // A version above the current one was never issued: the header is corrupt.
    if (info.kekVersion > current.version) throw decryptionFailure('integrity');
    const old = checkKek(await keyStore.kekVersion(info.orgId, info.kekVersion), info.orgId, info.kekVersion);
    // Unwrapping verifies the old wrap, so a forged data key is never blessed with a new wrap.
    const dataKey = unwrapDataKey(copy, old);
    try {
      writeWrappedDataKey(copy, current, dataKey);
    } finally {
      dataKey.fill(0);
    }
    return copy;
  }

  /** The current KEK and the lineage's version 1, which blind-index keys hang off. */
  async function currentAndRoot(org: string): Promise<{ current: Kek; root: Kek }> {
    // The index key hangs off version 1 of the lineage, not the current version: an index must
    // give the same answer for a value written before and after a rotation, or look-ups would
    // miss until every row was re-indexed. currentKek first, so a new organisation gets its v1.
    const current = checkKek(await keyStore.currentKek(org), org);
    return { current, root: current.version === 1 ? current : checkKek(await keyStore.kekVersion(org, 1), org, 1) };
  }

  async function blindIndex(orgId: string, purpose: string, normalisedValue: string): Promise<Buffer> {
    const org = canonicalOrgId(orgId);
    checkIndexInput(purpose, normalisedValue);
    const { root } = await currentAndRoot(org);
    const key = blindIndexKey(root, purpose);
    try {
      return createHmac('sha256', key).update(normalisedValue, 'utf8').digest();
    } finally {
      key.fill(0);
    }
  }

  async function organisationKeys(orgId: string): Promise<OrganisationKeys> {
    const org = canonicalOrgId(orgId);
    const { current, root } = await currentAndRoot(org);
    const bulk = { wrappingKey: dataKeyWrappingKey(current), random: randomPool() };
    const indexes = new Map<string, (message: string) => Buffer>();
    return {
      encryptField(value, context) {
        checkFieldInput(context, value);
        const encodedContext = encodeContext(context);
        // Bound to one organisation: a context naming another would get this one's key.
        if (canonicalOrgId(context.orgId) !== org) throw invalidInput('field context names another organisation');
        return sealMessage(org, current, Buffer.from(value, 'utf8'), encodedContext, bulk);
      },
      blindIndex(purpose, normalisedValue) {
        checkIndexInput(purpose, normalisedValue);
        let index = indexes.get(purpose);
        if (index === undefined) {
          const key = blindIndexKey(root, purpose);
          index = hmacSha256(key);
          key.fill(0);
          indexes.set(purpose, index);
        }
        return index(normalisedValue);
      },
    };
  }

  return {
    encryptBuffer,
    decryptBuffer,
    async encryptField(value, context) {
      checkFieldInput(context, value);
      return encryptBuffer(Buffer.from(value, 'utf8'), context);
    },
    async decryptField(ciphertext, context) {
      if ((context as EncryptionContext).purpose !== 'field') throw invalidInput("field decryption needs purpose 'field'");
      const bytes = await decryptBuffer(ciphertext, context);
      try {
        return utf8.decode(bytes);
      } finally {
        bytes.fill(0);
      }
    },
    createEncryptStream,
    createDecryptStream,
    rewrapObject,
    blindIndex,
    organisationKeys,
  };
}
