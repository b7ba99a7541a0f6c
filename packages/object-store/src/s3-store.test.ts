import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { S3Client } from '@aws-sdk/client-s3';
import { createDataProtection, createInMemoryKeyStore } from '@kindling/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncryptedObjectStore } from './encrypted-object-store.js';
import { createS3Store } from './s3-store.js';

// s3rver ships no types; this is the part of its API the test uses.
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const bucket = 'kindling-test';
let server: S3rverServer;
let directory: string;
let client: S3Client;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'kindling-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  client = new S3Client({
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- s3rver on loopback, started and stopped by this test
    endpoint: `http://127.0.0.1:${String(port)}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('S3 store against s3rver on loopback', () => {
  it('round-trips a multi-megabyte stream, lists, checks existence and deletes', async () => {
    const store = createS3Store({ client, bucket });
    const chunks = Array.from({ length: 70 }, (_, index) => Buffer.alloc(100_000, index));
    await store.put('uploads/big.bin', Readable.from(chunks));
    await store.put('uploads/small.txt', Buffer.from('small'));
    expect((await buffer(store.get('uploads/big.bin'))).equals(Buffer.concat(chunks))).toBe(true);
    expect((await store.list('uploads/')).map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'uploads/big.bin', size: 7_000_000 },
      { key: 'uploads/small.txt', size: 5 },
    ]);
    expect(await store.exists('uploads/small.txt')).toBe(true);
    await store.delete('uploads/small.txt');
    expect(await store.exists('uploads/small.txt')).toBe(false);
    await expect(buffer(store.get('uploads/small.txt'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.put('../x', Buffer.from('x'))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('works as the backend of the encrypted store', async () => {
    const orgId = randomUUID();
    const backend = createS3Store({ client, bucket });
    const store = createEncryptedObjectStore({ backend, dataProtection: createDataProtection({ keyStore: createInMemoryKeyStore() }), orgId });
    await store.put('a.csv', Buffer.from('PLAINTEXT-MARKER'));
    const raw = await buffer(backend.get(`org/${orgId}/a.csv`));
    expect(raw.includes(Buffer.from('PLAINTEXT-MARKER'))).toBe(false);
    expect((await buffer(store.get('a.csv'))).toString()).toBe('PLAINTEXT-MARKER');
  });
});
