import { decryptionFailure } from './crypto-failure.js';
import { open, seal, tagLength } from './aes-gcm.js';
import { streamNoncePrefixLength } from './envelope-header.js';

/**
 * The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015; the one Tink's streaming
 * AEAD uses): the plaintext is cut into fixed-size segments, each sealed with AES-256-GCM under
 * the stream's data key with
 *   nonce = 7-byte random prefix ‖ uint32 segment index ‖ final flag (0 or 1)
 *   AAD   = header-and-context prefix ‖ uint32 segment index ‖ final flag.
 * The index makes reordering, dropping or duplicating segments fail; the final flag makes
 * truncation at a segment boundary fail (the last segment left over was sealed as non-final) and
 * appending fail (the real last segment would have to decrypt as non-final); the per-stream data
 * key and prefix make a segment from another stream fail.
 *
 * Every segment but the last holds exactly `segmentSize` plaintext bytes, and the last holds
 * 0…segmentSize, so no length field is needed and a reader can tell the last segment only by the
 * end of input. Memory stays at about one segment, whatever the stream's length.
 */

/** 2^32 segments: the index field's range. At 64 KiB segments that is 256 TiB per stream. */
const maxSegments = 2 ** 32;

function segmentNonce(prefix: Buffer, index: number, final: boolean): Buffer {
  const nonce = Buffer.alloc(streamNoncePrefixLength + 5);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, streamNoncePrefixLength);
  nonce[streamNoncePrefixLength + 4] = final ? 1 : 0;
  return nonce;
}

function segmentAad(prefix: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(prefix.length + 5);
  prefix.copy(aad, 0);
  aad.writeUInt32BE(index, prefix.length);
  aad[prefix.length + 4] = final ? 1 : 0;
  return aad;
}

type Emit = (bytes: Buffer) => void;

/** Seals a plaintext of any length, fed in pieces, into segments. */
export class SegmentEncryptor {
  readonly #key: Buffer;
  readonly #noncePrefix: Buffer;
  readonly #aadPrefix: Buffer;
  readonly #segmentSize: number;
  readonly #pending: Buffer;
  #filled = 0;
  #index = 0;
  #finished = false;

  constructor(dataKey: Buffer, noncePrefix: Buffer, aadPrefix: Buffer, segmentSize: number) {
    this.#key = dataKey;
    this.#noncePrefix = noncePrefix;
    this.#aadPrefix = aadPrefix;
    this.#segmentSize = segmentSize;
    this.#pending = Buffer.alloc(segmentSize);
  }

  #seal(plaintext: Buffer, final: boolean, emit: Emit): void {
    if (this.#index >= maxSegments) throw new RangeError('stream too long for one envelope');
    const { ciphertext, tag } = seal(this.#key, segmentNonce(this.#noncePrefix, this.#index, final), plaintext, segmentAad(this.#aadPrefix, this.#index, final));
    this.#index += 1;
    emit(Buffer.concat([ciphertext, tag]));
  }

  push(data: Buffer, emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    let offset = 0;
    while (offset < data.length) {
      // A full pending segment is sealed as non-final only once more input proves it is not the
      // last one; until then it waits, because the final flag cannot be changed afterwards.
      if (this.#filled === this.#segmentSize) {
        this.#seal(this.#pending, false, emit);
        this.#filled = 0;
      }
      // Fast path: a whole segment straight from the input, no copy, when more input follows it.
      if (this.#filled === 0 && data.length - offset > this.#segmentSize) {
        this.#seal(data.subarray(offset, offset + this.#segmentSize), false, emit);
        offset += this.#segmentSize;
        continue;
      }
      const n = Math.min(this.#segmentSize - this.#filled, data.length - offset);
      data.copy(this.#pending, this.#filled, offset, offset + n);
      this.#filled += n;
      offset += n;
    }
  }

  /** Seals what is left as the final segment (possibly empty: even an empty stream has one). */
  finish(emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    this.#finished = true;
    this.#seal(this.#pending.subarray(0, this.#filled), true, emit);
    this.wipe();
  }

  /** Best-effort zeroing of key and buffered plaintext (JS cannot promise no other copy exists). */
  wipe(): void {
    this.#key.fill(0);
    this.#pending.fill(0);
  }
}

/** Opens segments as they arrive; emits a segment's plaintext only after its tag verified. */
export class SegmentDecryptor {
  readonly #key: Buffer;
  readonly #noncePrefix: Buffer;
  readonly #aadPrefix: Buffer;
  readonly #frameSize: number;
  readonly #pending: Buffer;
  #filled = 0;
  #index = 0;
  #finished = false;

  constructor(dataKey: Buffer, noncePrefix: Buffer, aadPrefix: Buffer, segmentSize: number) {
    this.#key = dataKey;
    this.#noncePrefix = noncePrefix;
    this.#aadPrefix = aadPrefix;
    this.#frameSize = segmentSize + tagLength;
    this.#pending = Buffer.alloc(this.#frameSize);
  }

  #open(frame: Buffer, final: boolean, emit: Emit): void {
    if (this.#index >= maxSegments) throw decryptionFailure('malformed');
    const split = frame.length - tagLength;
    // open() returns nothing unless the tag verified, so no unauthenticated byte is ever emitted.
    const plaintext = open(
      this.#key,
      segmentNonce(this.#noncePrefix, this.#index, final),
      frame.subarray(0, split),
      frame.subarray(split),
      segmentAad(this.#aadPrefix, this.#index, final),
    );
    this.#index += 1;
    emit(plaintext);
  }

  push(data: Buffer, emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    let offset = 0;
    while (offset < data.length) {
      // A full frame followed by at least one more byte cannot be the last one.
      if (this.#filled === this.#frameSize) {
        this.#open(this.#pending, false, emit);
        this.#filled = 0;
      }
      if (this.#filled === 0 && data.length - offset > this.#frameSize) {
        this.#open(data.subarray(offset, offset + this.#frameSize), false, emit);
        offset += this.#frameSize;
        continue;
      }
      const n = Math.min(this.#frameSize - this.#filled, data.length - offset);
      data.copy(this.#pending, this.#filled, offset, offset + n);
      this.#filled += n;
      offset += n;
    }
  }

  /**
   * End of input: what is buffered must be the final segment. A stream cut anywhere fails here
   * (or earlier): too few bytes for a tag, or a segment sealed as non-final opened as final.
   */
  finish(emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    this.#finished = true;
    try {
      if (this.#filled < tagLength) throw decryptionFailure('truncated');
      this.#open(this.#pending.subarray(0, this.#filled), true, emit);
    } finally {
      this.wipe();
    }
  }

  wipe(): void {
    this.#key.fill(0);
    this.#pending.fill(0);
  }
}
