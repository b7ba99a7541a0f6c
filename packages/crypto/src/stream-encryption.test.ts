import { randomBytes, randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore, isCryptoFailure, readEnvelopeHeader, type ObjectContext } from './index.js';
import { failsWithCryptoFailure } from './test-support/expect-failure.js';

// Small segments, so short inputs span many segments and every boundary case is cheap to reach.
const segmentSize = 64;
const frameSize = segmentSize + 16;
const headerLength = 97;
const keyStore = createInMemoryKeyStore();
const protection = createDataProtection({ keyStore, streamSegmentSize: segmentSize });
const context: ObjectContext = { orgId: randomUUID(), purpose: 'object', objectKey: 'exports/donors.csv' };

/** Feeds `pieces` through a transform; returns what came out and the error, if any. */
async function through(transform: NodeJS.ReadWriteStream, pieces: readonly Uint8Array[]): Promise<{ output: Buffer; chunks: Buffer[]; error: unknown }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  let error: unknown;
  try {
    await pipeline(Readable.from(pieces.map((p) => Buffer.from(p))), transform, sink);
  } catch (caught) {
    error = caught;
  }
  return { output: Buffer.concat(chunks), chunks, error };
}

async function encrypt(plaintext: Uint8Array, pieces = 1, ctx: ObjectContext = context): Promise<Buffer> {
  const size = Math.max(1, Math.ceil(plaintext.length / pieces));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < plaintext.length; i += size) parts.push(plaintext.subarray(i, i + size));
  const { output, error } = await through(protection.createEncryptStream(ctx), parts);
  if (error !== undefined) throw error instanceof Error ? error : new Error('encryption failed', { cause: error });
  return output;
}

async function decrypt(ciphertext: Uint8Array, ctx: ObjectContext = context, pieceSize = 37): Promise<{ output: Buffer; chunks: Buffer[]; error: unknown }> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < ciphertext.length; i += pieceSize) parts.push(ciphertext.subarray(i, i + pieceSize));
  return through(protection.createDecryptStream(ctx), parts);
}

/** Splits an envelope into its header and its segment frames (ciphertext ‖ tag). */
function frames(envelope: Buffer): { header: Buffer; frames: Buffer[] } {
  const result: Buffer[] = [];
  for (let i = headerLength; i < envelope.length; i += frameSize) result.push(envelope.subarray(i, Math.min(i + frameSize, envelope.length)));
  return { header: envelope.subarray(0, headerLength), frames: result };
}

const multiSegment = fc.uint8Array({ minLength: segmentSize * 2 + 1, maxLength: segmentSize * 8, size: 'max' });

describe('streaming encryption (STREAM construction)', () => {
  it('round-trips any input, however it is chunked on the way in and out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: segmentSize * 10, size: 'max' }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 300 }), async (plaintext, pieces, pieceSize) => {
        const envelope = await encrypt(plaintext, pieces);
        // Every segment full but the last, which holds 0…segmentSize bytes; an empty input still has one.
        expect(frames(envelope).frames.length).toBe(Math.max(1, Math.ceil(plaintext.length / segmentSize)));
        const { output, error } = await decrypt(envelope, context, pieceSize);
        expect(error).toBeUndefined();
        expect(output.equals(Buffer.from(plaintext))).toBe(true);
        // A whole stream envelope also opens with decryptBuffer.
        expect((await protection.decryptBuffer(envelope, context)).equals(Buffer.from(plaintext))).toBe(true);
      }),
    );
  });

  it('round-trips the sizes around segment boundaries, and names its segment size in the header', async () => {
    for (const length of [0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 2 * segmentSize, 2 * segmentSize + 1]) {
      const plaintext = randomBytes(length);
      const envelope = await encrypt(plaintext);
      expect(readEnvelopeHeader(envelope)).toMatchObject({ algorithm: 'stream', segmentSize, headerLength, kekVersion: 1 });
      const { output, error } = await decrypt(envelope);
      expect(error, `length ${String(length)}`).toBeUndefined();
      expect(output.equals(plaintext)).toBe(true);
    }
  });

  it('detects truncation at every segment boundary and inside segments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: segmentSize * 6, size: 'max' }), async (plaintext) => {
        const envelope = await encrypt(plaintext);
        const cuts = new Set<number>([0, 1, headerLength - 1, headerLength, headerLength + 15]);
        for (let end = headerLength + frameSize; end < envelope.length; end += frameSize) {
          cuts.add(end);
          cuts.add(end - 1);
          cuts.add(end + 1);
        }
        cuts.add(envelope.length - 1);
        for (const cut of [...cuts].filter((c) => c >= 0 && c < envelope.length)) {
          const { error } = await decrypt(envelope.subarray(0, cut));
          expect(isCryptoFailure(error), `cut at ${String(cut)} of ${String(envelope.length)}`).toBe(true);
          expect(await failsWithCryptoFailure(protection.decryptBuffer(envelope.subarray(0, cut), context))).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('detects truncation exactly at each segment boundary of a five-segment stream', async () => {
    const envelope = await encrypt(randomBytes(segmentSize * 4 + 10));
    expect(frames(envelope).frames).toHaveLength(5);
    for (let kept = 1; kept < 5; kept += 1) {
      const { output, error } = await decrypt(envelope.subarray(0, headerLength + kept * frameSize));
      expect(isCryptoFailure(error, 'integrity'), `${String(kept)} segments kept`).toBe(true);
      // The kept segments were genuine and were emitted except the last (opened as final, failed):
      // this is why output is untrusted until the stream ends without an error.
      expect(output.length).toBe((kept - 1) * segmentSize);
    }
  });

  it('detects reordered segments', async () => {
    await fc.assert(
      fc.asyncProperty(multiSegment, fc.nat(), fc.nat(), async (plaintext, x, y) => {
        const { header, frames: parts } = frames(await encrypt(plaintext));
        const i = x % parts.length;
        const j = y % parts.length;
        fc.pre(i !== j && !(parts[i]?.equals(parts[j] ?? Buffer.alloc(0)) ?? false));
        const swapped = [...parts];
        [swapped[i], swapped[j]] = [parts[j] ?? Buffer.alloc(0), parts[i] ?? Buffer.alloc(0)];
        expect(isCryptoFailure((await decrypt(Buffer.concat([header, ...swapped]))).error)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('detects a duplicated segment', async () => {
    await fc.assert(
      fc.asyncProperty(multiSegment, fc.nat(), async (plaintext, x) => {
        const { header, frames: parts } = frames(await encrypt(plaintext));
        const i = x % parts.length;
        const duplicated = [...parts.slice(0, i + 1), parts[i] ?? Buffer.alloc(0), ...parts.slice(i + 1)];
        expect(isCryptoFailure((await decrypt(Buffer.concat([header, ...duplicated]))).error)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('detects a segment swapped in from another stream of the same organisation and object', async () => {
    await fc.assert(
      fc.asyncProperty(multiSegment, fc.nat(), async (plaintext, x) => {
        const first = frames(await encrypt(plaintext));
        const second = frames(await encrypt(plaintext));
        const i = x % first.frames.length;
        const mixed = [...first.frames];
        mixed[i] = second.frames[i] ?? Buffer.alloc(0);
        expect(isCryptoFailure((await decrypt(Buffer.concat([first.header, ...mixed]))).error)).toBe(true);
        // The other way round too: the second stream's header with the first stream's segments.
        expect(isCryptoFailure((await decrypt(Buffer.concat([second.header, ...first.frames]))).error)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('detects appended data: a copy of the last segment, another stream’s segment, or stray bytes', async () => {
    const envelope = await encrypt(randomBytes(segmentSize * 3));
    const other = frames(await encrypt(randomBytes(segmentSize * 5)));
    const last = frames(envelope).frames.at(-1) ?? Buffer.alloc(0);
    for (const extra of [last, other.frames[3] ?? Buffer.alloc(0), other.frames.at(-1) ?? Buffer.alloc(0), Buffer.from([0]), randomBytes(frameSize)]) {
      expect(isCryptoFailure((await decrypt(Buffer.concat([envelope, extra]))).error)).toBe(true);
    }
  });

  it('fails when any byte is changed, and emits no plaintext of a segment whose tag did not verify', async () => {
    await fc.assert(
      fc.asyncProperty(multiSegment, fc.nat(), fc.integer({ min: 1, max: 255 }), async (plaintext, position, mask) => {
        const envelope = await encrypt(plaintext);
        const index = position % envelope.length;
        envelope[index] = (envelope[index] ?? 0) ^ mask;
        const { output, error } = await decrypt(envelope);
        expect(isCryptoFailure(error)).toBe(true);
        // Only whole segments before the damaged one may have been emitted, and they are genuine.
        const damagedSegment = index < headerLength ? 0 : Math.floor((index - headerLength) / frameSize);
        expect(output.length).toBeLessThanOrEqual(damagedSegment * segmentSize);
        expect(output.equals(Buffer.from(plaintext).subarray(0, output.length))).toBe(true);
      }),
    );
  });

  it('emits nothing at all when the first segment’s tag is wrong', async () => {
    const envelope = await encrypt(randomBytes(segmentSize * 4));
    envelope[headerLength + frameSize - 1] = (envelope[headerLength + frameSize - 1] ?? 0) ^ 1;
    const { output, chunks, error } = await decrypt(envelope, context, 1);
    expect(isCryptoFailure(error, 'integrity')).toBe(true);
    expect(chunks).toEqual([]);
    expect(output).toHaveLength(0);
  });

  it('does not decrypt in another context', async () => {
    const envelope = await encrypt(randomBytes(100));
    expect(isCryptoFailure((await decrypt(envelope, { ...context, objectKey: 'exports/other.csv' })).error, 'integrity')).toBe(true);
    expect(isCryptoFailure((await decrypt(envelope, { ...context, orgId: randomUUID() })).error, 'integrity')).toBe(true);
  });

  it('refuses input that is not a stream envelope, or too short to hold a header', async () => {
    const message = await protection.encryptBuffer(randomBytes(200), context);
    expect(isCryptoFailure((await decrypt(message)).error, 'unsupported_format')).toBe(true);
    expect(isCryptoFailure((await decrypt(Buffer.from('PK\u0003\u0004 a zip file, not an envelope'))).error, 'malformed')).toBe(true);
    expect(isCryptoFailure((await decrypt(Buffer.alloc(0))).error, 'malformed')).toBe(true);
    expect(isCryptoFailure((await decrypt((await encrypt(randomBytes(10))).subarray(0, 50))).error, 'truncated')).toBe(true);
  });

  it('reports a key-store failure through the stream, even for empty input', async () => {
    const orgId = randomUUID();
    await keyStore.destroy(orgId);
    const { error } = await through(protection.createEncryptStream({ ...context, orgId }), []);
    expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
  });

  it('throws at once for a context it cannot encode', () => {
    expect(() => protection.createEncryptStream({ ...context, orgId: 'nope' })).toThrow(/orgId must be a UUID/);
    expect(() => protection.createDecryptStream({ ...context, objectKey: '' })).toThrow(/objectKey/);
  });

  it('uses 64 KiB segments by default', async () => {
    const defaults = createDataProtection({ keyStore });
    const { output } = await through(defaults.createEncryptStream(context), [randomBytes(200_000)]);
    expect(readEnvelopeHeader(output).segmentSize).toBe(65_536);
    expect(output.length).toBe(headerLength + 200_000 + 4 * 16);
    expect(() => createDataProtection({ keyStore, streamSegmentSize: 10 })).toThrow(RangeError);
  });
});
