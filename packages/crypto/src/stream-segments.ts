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

/**
 * Cuts input arriving in pieces into units of `unitSize` bytes, always holding the latest full
 * unit back until more input proves it is not the last one: the final flag of a segment cannot
 * be changed once sealed or checked, so the last unit is only known at the end of input.
 */
class HoldBackFramer {
  readonly #unitSize: number;
  readonly #pending: Buffer;
  #filled = 0;

  constructor(unitSize: number) {
    this.#unitSize = unitSize;
    this.#pending = Buffer.alloc(unitSize);
  }

  /** Hands every unit that is certainly not the last to `onUnit`. */
  push(data: Buffer, onUnit: (unit: Buffer) => void): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.#filled === this.#unitSize) {
        onUnit(this.#pending);
        this.#filled = 0;
      }
      // Fast path: a whole unit straight from the input, no copy, when more input follows it.
      if (this.#filled === 0 && data.length - offset > this.#unitSize) {
        onUnit(data.subarray(offset, offset + this.#unitSize));
        offset += this.#unitSize;
        continue;
      }
      const n = Math.min(this.#unitSize - this.#filled, data.length - offset);
      data.copy(this.#pending, this.#filled, offset, offset + n);
      this.#filled += n;
      offset += n;
    }
  }

  /** What is held back: the last unit (0…unitSize bytes). */
  rest(): Buffer {
    return this.#pending.subarray(0, this.#filled);
  }

  wipe(): void {
    this.#pending.fill(0);
  }
}

/** Seals a plaintext of any length, fed in pieces, into segments. */
export class SegmentEncryptor {
  readonly #key: Buffer;
  readonly #noncePrefix: Buffer;
  readonly #aadPrefix: Buffer;
  readonly #framer: HoldBackFramer;
  #index = 0;
  #finished = false;

  constructor(dataKey: Buffer, noncePrefix: Buffer, aadPrefix: Buffer, segmentSize: number) {
    this.#key = dataKey;
    this.#noncePrefix = noncePrefix;
    this.#aadPrefix = aadPrefix;
    this.#framer = new HoldBackFramer(segmentSize);
  }

  #seal(plaintext: Buffer, final: boolean, emit: Emit): void {
    if (this.#index >= maxSegments) throw new RangeError('stream too long for one envelope');
    const { ciphertext, tag } = seal(this.#key, segmentNonce(this.#noncePrefix, this.#index, final), plaintext, segmentAad(this.#aadPrefix, this.#index, final));
    this.#index += 1;
    emit(Buffer.concat([ciphertext, tag]));
  }

  push(data: Buffer, emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    this.#framer.push(data, (segment) => {
      this.#seal(segment, false, emit);
    });
  }

  /** Seals what is left as the final segment (possibly empty: even an empty stream has one). */
  finish(emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    this.#finished = true;
    this.#seal(this.#framer.rest(), true, emit);
    this.wipe();
  }

  /** Best-effort zeroing of key and buffered plaintext (JS cannot promise no other copy exists). */
  wipe(): void {
    this.#key.fill(0);
    this.#framer.wipe();
  }
}

/** Opens segments as they arrive; emits a segment's plaintext only after its tag verified. */
export class SegmentDecryptor {
  readonly #key: Buffer;
  readonly #noncePrefix: Buffer;
  readonly #aadPrefix: Buffer;
  readonly #framer: HoldBackFramer;
  #index = 0;
  #finished = false;

  constructor(dataKey: Buffer, noncePrefix: Buffer, aadPrefix: Buffer, segmentSize: number) {
    this.#key = dataKey;
    this.#noncePrefix = noncePrefix;
    this.#aadPrefix = aadPrefix;
    this.#framer = new HoldBackFramer(segmentSize + tagLength);
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
    // A full frame followed by at least one more byte cannot be the last one.
    this.#framer.push(data, (frame) => {
      this.#open(frame, false, emit);
    });
  }

  /**
   * End of input: what is buffered must be the final segment. A stream cut anywhere fails here
   * (or earlier): too few bytes for a tag, or a segment sealed as non-final opened as final.
   */
  finish(emit: Emit): void {
    if (this.#finished) throw new Error('stream already finished');
    this.#finished = true;
    try {
      const last = this.#framer.rest();
      if (last.length < tagLength) throw decryptionFailure('truncated');
      this.#open(last, true, emit);
    } finally {
      this.wipe();
    }
  }

  wipe(): void {
    this.#key.fill(0);
    this.#framer.wipe();
  }
}
