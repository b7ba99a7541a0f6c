import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalFolderStore } from './local-folder-store.js';
import type { ObjectStore } from './object-store.js';

let root: string;
let store: ObjectStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kindling-object-store-'));
  store = createLocalFolderStore({ root: path.join(root, 'objects') });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function allFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('local folder store', () => {
  it('round-trips a multi-megabyte stream with 0600 files and 0700 folders', async () => {
    const chunks = Array.from({ length: 40 }, (_, index) => Buffer.alloc(100_000, index));
    await store.put('uploads/2026/big.bin', Readable.from(chunks));
    const back = await buffer(store.get('uploads/2026/big.bin'));
    expect(back.equals(Buffer.concat(chunks))).toBe(true);
    expect((await stat(path.join(root, 'objects/uploads/2026/big.bin'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(root, 'objects/uploads/2026'))).mode & 0o777).toBe(0o700);
    expect(await store.exists('uploads/2026/big.bin')).toBe(true);
    await store.delete('uploads/2026/big.bin');
    expect(await store.exists('uploads/2026/big.bin')).toBe(false);
    await expect(buffer(store.get('uploads/2026/big.bin'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    ['', /empty/],
    ['/abs', /starts with "\/"/],
    ['Upper', /only a-z/],
    ['a/../b', /"\.\." segment/],
    ['a//b', /empty segment/],
    ['x'.repeat(513), /longer than 512/],
  ])('rejects the key %j with a message naming the problem', async (key, message) => {
    const error = await store.put(key, Buffer.from('x')).then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(error instanceof Error ? error.message : '').toMatch(message);
    await expect(store.exists(key)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('leaves neither object nor temp file when the source stream fails', async () => {
    await store.put('keep/old.txt', Buffer.from('old'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(70_000, 1));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(store.put('keep/new.txt', failing)).rejects.toThrow('source broke');
    expect(await store.exists('keep/new.txt')).toBe(false);
    expect(await allFiles(path.join(root, 'objects'))).toEqual(['old.txt']);
  });

  it('replaces an object atomically and lists by prefix with size and mtime', async () => {
    await store.put('a/one.txt', Buffer.from('1'));
    await store.put('a/one.txt', Buffer.from('111'));
    await store.put('a/b/two.txt', Buffer.from('22'));
    await store.put('ab.txt', Buffer.from('x'));
    await store.put('c.txt', Buffer.from('c'));
    const listed = await store.list('a');
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'a/b/two.txt', size: 2 },
      { key: 'a/one.txt', size: 3 },
      { key: 'ab.txt', size: 1 },
    ]);
    expect(listed[0]?.modified).toBeInstanceOf(Date);
    expect((await store.list('a/')).map((info) => info.key)).toEqual(['a/b/two.txt', 'a/one.txt']);
    expect((await store.list('')).length).toBe(4);
    expect(await store.list('missing/')).toEqual([]);
  });
});
