import { randomUUID } from 'node:crypto';
import { readFile, rename, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createDataProtection, createInMemoryKeyStore, isCryptoFailure } from '@kindling/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptedObjectStore } from './encrypted-object-store.js';
import { createLocalFolderStore } from './local-folder-store.js';

const dataProtection = createDataProtection({ keyStore: createInMemoryKeyStore() });
const marker = 'PLAINTEXT-MARKER-donor-row';
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kindling-encrypted-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('encrypted object store', () => {
  it('stores only ciphertext under org/<orgId>/ and round-trips', async () => {
    const orgId = randomUUID();
    const backend = createLocalFolderStore({ root });
    const store = createEncryptedObjectStore({ backend, dataProtection, orgId });
    const plaintext = Buffer.from(`${marker}\n`.repeat(50_000));
    await store.put('uploads/donors.csv', Readable.from([plaintext.subarray(0, 100_000), plaintext.subarray(100_000)]));

    const files = await readdir(root, { recursive: true });
    expect(files).toContain(path.join('org', orgId, 'uploads', 'donors.csv'));
    const onDisk = await readFile(path.join(root, 'org', orgId, 'uploads', 'donors.csv'));
    expect(onDisk.includes(Buffer.from(marker))).toBe(false);
    expect(onDisk.includes(Buffer.from('PLAINTEXT'))).toBe(false);

    expect((await buffer(store.get('uploads/donors.csv'))).equals(plaintext)).toBe(true);
    expect((await store.list('uploads/')).map((info) => info.key)).toEqual(['uploads/donors.csv']);
    expect(await store.exists('uploads/donors.csv')).toBe(true);
  });

  it('fails to decrypt an object file moved to another key or another organisation', async () => {
    const orgId = randomUUID();
    const otherOrgId = randomUUID();
    const backend = createLocalFolderStore({ root });
    const store = createEncryptedObjectStore({ backend, dataProtection, orgId });
    const otherStore = createEncryptedObjectStore({ backend, dataProtection, orgId: otherOrgId });
    await store.put('a.csv', Buffer.from(marker));
    await otherStore.put('placeholder.csv', Buffer.from('x'));

    await rename(path.join(root, 'org', orgId, 'a.csv'), path.join(root, 'org', orgId, 'b.csv'));
    const moved = await buffer(store.get('b.csv')).catch((error: unknown) => error);
    expect(isCryptoFailure(moved, 'integrity')).toBe(true);

    await mkdir(path.join(root, 'org', otherOrgId), { recursive: true });
    await rename(path.join(root, 'org', orgId, 'b.csv'), path.join(root, 'org', otherOrgId, 'b.csv'));
    const otherOrg = await buffer(otherStore.get('b.csv')).catch((error: unknown) => error);
    expect(isCryptoFailure(otherOrg)).toBe(true);
    expect(otherOrg).toMatchObject({ code: 'INTERNAL' });
  });

  it('leaves no object when the plaintext stream fails, and reports missing objects as NOT_FOUND', async () => {
    const store = createEncryptedObjectStore({ backend: createLocalFolderStore({ root }), dataProtection, orgId: randomUUID() });
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(200_000, 7));
        this.destroy(new Error('upload aborted'));
      },
    });
    await expect(store.put('x.bin', failing)).rejects.toThrow();
    expect(await store.exists('x.bin')).toBe(false);
    expect((await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())).toEqual([]);
    await expect(buffer(store.get('x.bin'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
