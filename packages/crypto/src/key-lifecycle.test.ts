import { randomBytes, randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore, isCryptoFailure, readEnvelopeHeader, type FieldContext, type ObjectContext } from './index.js';
import { failureOf } from './test-support/expect-failure.js';

async function collect(source: Readable, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await pipeline(source, transform, sink);
  return Buffer.concat(chunks);
}

describe('KEK rotation', () => {
  it('round trip: v1 ciphertext, rotate, v2 ciphertext, both decrypt; rewrap moves v1 to v2 without touching the payload', async () => {
    const keyStore = createInMemoryKeyStore();
    const protection = createDataProtection({ keyStore });
    const orgId = randomUUID();
    const context: ObjectContext = { orgId, purpose: 'object', objectKey: 'uploads/gifts.csv' };

    const v1 = await protection.encryptBuffer(Buffer.from('written under version 1'), context);
    expect(readEnvelopeHeader(v1).kekVersion).toBe(1);
    await keyStore.rotate(orgId);
    const v2 = await protection.encryptBuffer(Buffer.from('written under version 2'), context);
    expect(readEnvelopeHeader(v2).kekVersion).toBe(2);

    expect((await protection.decryptBuffer(v1, context)).toString()).toBe('written under version 1');
    expect((await protection.decryptBuffer(v2, context)).toString()).toBe('written under version 2');

    const rewrapped = await protection.rewrapObject(v1);
    expect(readEnvelopeHeader(rewrapped)).toMatchObject({ orgId, kekVersion: 2 });
    // Only bytes 22–86 (KEK version and the wrapped data key) change; payload nonce, ciphertext
    // and tag are the very same bytes.
    expect(rewrapped.subarray(0, 22).equals(v1.subarray(0, 22))).toBe(true);
    expect(rewrapped.subarray(86).equals(v1.subarray(86))).toBe(true);
    expect(rewrapped.subarray(22, 86).equals(v1.subarray(22, 86))).toBe(false);
    expect((await protection.decryptBuffer(rewrapped, context)).toString()).toBe('written under version 1');

    // Already current: returned unchanged.
    expect((await protection.rewrapObject(v2)).equals(v2)).toBe(true);
    // A tampered wrap is not blessed with a fresh one.
    const tampered = Buffer.from(v1);
    tampered[40] = (tampered[40] ?? 0) ^ 1;
    expect(isCryptoFailure(await failureOf(protection.rewrapObject(tampered)), 'integrity')).toBe(true);
  });

  it('rewraps a large stream object from its header alone', async () => {
    const keyStore = createInMemoryKeyStore();
    const protection = createDataProtection({ keyStore, streamSegmentSize: 1024 });
    const orgId = randomUUID();
    const context: ObjectContext = { orgId, purpose: 'object', objectKey: 'exports/big.bin' };
    const plaintext = randomBytes(10_000);
    const envelope = await collect(Readable.from([plaintext]), protection.createEncryptStream(context));
    await keyStore.rotate(orgId);
    const { headerLength } = readEnvelopeHeader(envelope);
    const newHeader = await protection.rewrapObject(envelope.subarray(0, headerLength));
    expect(readEnvelopeHeader(newHeader).kekVersion).toBe(2);
    const moved = Buffer.concat([newHeader, envelope.subarray(headerLength)]);
    expect((await collect(Readable.from([moved]), protection.createDecryptStream(context))).equals(plaintext)).toBe(true);
  });

  it('keeps fields readable across several rotations', async () => {
    const keyStore = createInMemoryKeyStore();
    const protection = createDataProtection({ keyStore });
    const orgId = randomUUID();
    const written: { version: number; context: FieldContext; ciphertext: Buffer }[] = [];
    for (let version = 1; version <= 4; version += 1) {
      const context: FieldContext = { orgId, purpose: 'field', table: 'donor', column: 'phone', rowId: `row-${String(version)}` };
      written.push({ version, context, ciphertext: await protection.encryptField(`0770090012${String(version)}`, context) });
      await keyStore.rotate(orgId);
    }
    for (const { version, context, ciphertext } of written) {
      expect(readEnvelopeHeader(ciphertext).kekVersion).toBe(version);
      expect(await protection.decryptField(ciphertext, context)).toBe(`0770090012${String(version)}`);
      const moved = await protection.rewrapObject(ciphertext);
      expect(readEnvelopeHeader(moved).kekVersion).toBe(5);
      expect(await protection.decryptField(moved, context)).toBe(`0770090012${String(version)}`);
    }
  });
});

describe('crypto-shredding', () => {
  it('makes every ciphertext of the organisation, old versions and streams included, fail with keys_destroyed; other organisations are untouched', async () => {
    const keyStore = createInMemoryKeyStore();
    const protection = createDataProtection({ keyStore });
    const [doomed, survivor] = [randomUUID(), randomUUID()];
    const contextOf = (orgId: string): FieldContext => ({ orgId, purpose: 'field', table: 'donor', column: 'email', rowId: 'r1' });

    const before = await protection.encryptField('leaving@example.org', contextOf(doomed));
    await keyStore.rotate(doomed);
    const after = await protection.encryptField('leaving@example.org', contextOf(doomed));
    const streamed = await collect(Readable.from([randomBytes(5000)]), protection.createEncryptStream({ orgId: doomed, purpose: 'object', objectKey: 'o' }));
    // A "backup": copies taken before the shredding.
    const backup = [Buffer.from(before), Buffer.from(after)];
    const kept = await protection.encryptField('staying@example.org', contextOf(survivor));

    await keyStore.destroy(doomed);

    for (const ciphertext of [before, after, ...backup]) {
      const error = await failureOf(protection.decryptField(ciphertext, contextOf(doomed)));
      expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/destroyed/) as unknown });
    }
    const streamError = await failureOf(collect(Readable.from([streamed]), protection.createDecryptStream({ orgId: doomed, purpose: 'object', objectKey: 'o' })));
    expect(isCryptoFailure(streamError, 'keys_destroyed')).toBe(true);
    // No new writes, no rewraps, no blind indexes for a shredded organisation.
    expect(isCryptoFailure(await failureOf(protection.encryptField('x', contextOf(doomed))), 'keys_destroyed')).toBe(true);
    expect(isCryptoFailure(await failureOf(protection.rewrapObject(before)), 'keys_destroyed')).toBe(true);
    expect(isCryptoFailure(await failureOf(protection.blindIndex(doomed, 'email', 'a@b.c')), 'keys_destroyed')).toBe(true);

    expect(await protection.decryptField(kept, contextOf(survivor))).toBe('staying@example.org');
  });
});
