import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@kindling/errors';
import { generateDemoData } from './generate-demo-data.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-determinism-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function digests(directory: string): Promise<Record<string, string>> {
  const names = (await fs.readdir(directory)).sort();
  const entries = await Promise.all(names.map(async (name) => [name, createHash('sha256').update(await fs.readFile(path.join(directory, name))).digest('hex')] as const));
  return Object.fromEntries(entries);
}

describe('demo data is deterministic under its seed', () => {
  it.each(['generic', 'npsp', 're-nxt', 'dynamics'] as const)('%s: the same seed writes byte-identical files; another seed does not', async (format) => {
    const run = (name: string, seed: string) => generateDemoData({ contacts: 300, years: 5, seed, format, outDir: path.join(root, `${format}-${name}`) });
    await run('first', 'alpha');
    await run('second', 'alpha');
    await run('other', 'beta');
    const first = await digests(path.join(root, `${format}-first`));
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(6);
    expect(await digests(path.join(root, `${format}-second`))).toEqual(first);
    const other = await digests(path.join(root, `${format}-other`));
    expect(other['ground-truth.csv']).not.toBe(first['ground-truth.csv']);
  });

  it('refuses a folder that already holds files, and impossible options', async () => {
    const occupied = path.join(root, 'occupied');
    await fs.mkdir(occupied);
    await fs.writeFile(path.join(occupied, 'keep.csv'), 'precious\n');
    await expect(generateDemoData({ contacts: 10, years: 2, seed: 's', format: 'generic', outDir: occupied })).rejects.toSatisfy((error) => isAppError(error) && error.code === 'CONFLICT');
    expect(await fs.readFile(path.join(occupied, 'keep.csv'), 'utf8')).toBe('precious\n');
    await expect(generateDemoData({ contacts: 0, years: 2, seed: 's', format: 'generic', outDir: path.join(root, 'zero') })).rejects.toSatisfy((error) => isAppError(error) && error.code === 'VALIDATION_FAILED');
  });
});
