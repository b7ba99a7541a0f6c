import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '@kindling/errors';
import { readZipEntries, type ZipLimits } from './zip-entries.js';

const limits: ZipLimits = { maxEntries: 10, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 100 };

async function* chunked(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    await Promise.resolve();
    yield bytes.subarray(offset, offset + size);
  }
}

async function entriesOf(bytes: Uint8Array, options: { limits?: ZipLimits; readFirstOnly?: boolean } = {}): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for await (const entry of readZipEntries(chunked(bytes), { fileName: 'export.zip', limits: options.limits ?? limits })) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry.data) {
      chunks.push(chunk);
      if (options.readFirstOnly === true) break;
    }
    found[entry.name] = Buffer.concat(chunks).toString('utf8');
  }
  return found;
}

async function causeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { cause: error.details?.['cause'], message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('readZipEntries', () => {
  const contacts = `id,name\n${Array.from({ length: 20_000 }, (_, index) => `${String(index)},Jo ${String((index * 7919) % 10_007)}`).join('\n')}\n`;
  const archive = zipSync({
    'export/contacts.csv': strToU8(contacts),
    'export/gifts.csv': strToU8('id,amount\n1,5\n'),
    'export/': new Uint8Array(0),
    '__MACOSX/export/._gifts.csv': strToU8('resource fork'),
  });

  it('streams each file of the archive in order, skipping folders and macOS litter', async () => {
    expect(await entriesOf(archive)).toEqual({ 'export/contacts.csv': contacts, 'export/gifts.csv': 'id,amount\n1,5\n' });
  });

  it('skips what the reader of an entry leaves unread and still finds the next entry', async () => {
    const found = await entriesOf(archive, { readFirstOnly: true });
    expect(Object.keys(found)).toEqual(['export/contacts.csv', 'export/gifts.csv']);
    expect(found['export/gifts.csv']).toBe('id,amount\n1,5\n');
  });

  it('stops a zip bomb while it inflates', async () => {
    const bomb = zipSync({ 'zeros.csv': new Uint8Array(200 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await causeOf(entriesOf(bomb))).toMatchObject({ cause: 'zip_bomb', message: expect.stringContaining('export.zip') as unknown });
    expect(await causeOf(entriesOf(bomb, { limits: { ...limits, maxRatio: 10_000, maxTotalBytes: 10 * 1024 * 1024 } }))).toMatchObject({ cause: 'archive_too_large' });
  });

  it('names an archive cut short, a file that is no zip, too many files and an empty archive', async () => {
    expect(archive.length).toBeGreaterThan(20_000);
    expect(await causeOf(entriesOf(archive.subarray(0, 10_000)))).toMatchObject({ cause: 'truncated_zip', message: expect.stringContaining('export/contacts.csv') as unknown });
    expect(await causeOf(entriesOf(strToU8('id,name\n1,Jo\n')))).toMatchObject({ cause: 'not_a_zip' });
    const many = zipSync(Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`file-${String(index)}.csv`, strToU8('x')])));
    expect(await causeOf(entriesOf(many))).toMatchObject({ cause: 'too_many_entries' });
    expect(await causeOf(entriesOf(zipSync({})))).toMatchObject({ cause: 'not_a_zip' });
  });
});
