import { Transform, type TransformCallback } from 'node:stream';
import { decryptionFailure, isCryptoFailure } from './crypto-failure.js';
import { readEnvelopePrefix, streamHeaderLength } from './envelope-header.js';
import type { SegmentDecryptor, SegmentEncryptor } from './stream-segments.js';

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Prepared by the caller once the KEK is at hand: the header to write first, and the sealer. */
export interface EncryptStart {
  readonly header: Buffer;
  readonly encryptor: SegmentEncryptor;
}

/**
 * Plaintext in, envelope out (header, then segments). Key acquisition is asynchronous (a KEK
 * may come from PostgreSQL and KMS), so it starts at construction and the first write or the
 * end waits for it; from then on every write is processed synchronously.
 */
export class EncryptTransform extends Transform {
  readonly #starting: Promise<EncryptStart>;
  #encryptor: SegmentEncryptor | undefined;

  constructor(start: () => Promise<EncryptStart>) {
    super();
    this.#starting = start();
    // Observed here so a failure before the first write is not an unhandled rejection; it is
    // reported through the stream at the first write or at end().
    this.#starting.catch(() => undefined);
  }

  #withEncryptor(callback: TransformCallback, work: (encryptor: SegmentEncryptor) => void): void {
    const run = (encryptor: SegmentEncryptor): void => {
      try {
        work(encryptor);
      } catch (error) {
        callback(asError(error));
        return;
      }
      callback();
    };
    if (this.#encryptor !== undefined) {
      run(this.#encryptor);
      return;
    }
    this.#starting.then(
      ({ header, encryptor }) => {
        this.#encryptor = encryptor;
        this.push(header);
        run(encryptor);
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#withEncryptor(callback, (encryptor) => {
      encryptor.push(chunk, (segment) => this.push(segment));
    });
  }

  override _flush(callback: TransformCallback): void {
    this.#withEncryptor(callback, (encryptor) => {
      encryptor.finish((segment) => this.push(segment));
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#encryptor?.wipe();
    callback(error);
  }
}

/** Checks the header against the caller's context, fetches the KEK and returns the opener. */
export type DecryptStart = (header: Buffer) => Promise<SegmentDecryptor>;

/**
 * Envelope in, plaintext out. Each segment's plaintext is pushed only after that segment's tag
 * verified, but a truncated stream can only be detected at its end: a consumer must treat
 * everything it received as untrusted until the stream ended without an error (for example,
 * write to a temporary location and publish only after `pipeline()` resolved).
 */
export class DecryptTransform extends Transform {
  readonly #start: DecryptStart;
  #headerParts: Buffer[] = [];
  #headerBytes = 0;
  #decryptor: SegmentDecryptor | undefined;

  constructor(start: DecryptStart) {
    super();
    this.#start = start;
  }

  #process(decryptor: SegmentDecryptor, data: Buffer, callback: TransformCallback): void {
    try {
      decryptor.push(data, (plaintext) => this.push(plaintext));
    } catch (error) {
      callback(asError(error));
      return;
    }
    callback();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#decryptor !== undefined) {
      this.#process(this.#decryptor, chunk, callback);
      return;
    }
    this.#headerParts.push(chunk);
    this.#headerBytes += chunk.length;
    const available = Buffer.concat(this.#headerParts);
    this.#headerParts = [available];
    if (this.#headerBytes < streamHeaderLength) {
      // Fail fast on input that is not a stream envelope, without waiting for more of it.
      try {
        if (readEnvelopePrefix(available) !== 'stream') throw decryptionFailure('unsupported_format');
      } catch (error) {
        if (!isCryptoFailure(error, 'truncated')) {
          callback(asError(error));
          return;
        }
      }
      callback();
      return;
    }
    this.#headerParts = [];
    const header = available.subarray(0, streamHeaderLength);
    const rest = available.subarray(streamHeaderLength);
    this.#start(header).then(
      (decryptor) => {
        this.#decryptor = decryptor;
        this.#process(decryptor, rest, callback);
      },
      (error: unknown) => {
        callback(asError(error));
      },
    );
  }

  override _flush(callback: TransformCallback): void {
    const decryptor = this.#decryptor;
    if (decryptor === undefined) {
      callback(decryptionFailure(this.#headerBytes === 0 ? 'malformed' : 'truncated'));
      return;
    }
    try {
      decryptor.finish((plaintext) => this.push(plaintext));
    } catch (error) {
      callback(asError(error));
      return;
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#decryptor?.wipe();
    callback(error);
  }
}
