import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from './generate-demo-data.js';
import { readDemoFile, type DemoFile } from './test-support/read-demo-file.js';

let root: string;
let campaigns: DemoFile;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-untagged-'));
  await generateDemoData({ contacts: 50, years: 4, endYear: 2025, seed: 'untagged', format: 'generic', outDir: root, quirkRate: 0, untaggedFromYear: 2024 });
  campaigns = await readDemoFile(root, 'campaigns.csv');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('untaggedFromYear', () => {
  it('writes campaigns and packages from that year on without category and channel, and the earlier ones with both', () => {
    // The generic layout writes British dates (31/12/2024): the year is the last part.
    const starts = campaigns.column('start_date').map((date) => Number(date.slice(-4)));
    const categories = campaigns.column('category');
    const channels = campaigns.column('channel');
    const late = starts.map((start, index) => ({ start, index })).filter(({ start }) => start >= 2024);
    const early = starts.map((start, index) => ({ start, index })).filter(({ start }) => start < 2024);
    expect(late.length).toBeGreaterThan(10);
    expect(early.length).toBeGreaterThan(10);
    for (const { index } of late) expect([categories[index], channels[index]]).toEqual(['', '']);
    for (const { index } of early) expect(categories[index] !== '' && channels[index] !== '').toBe(true);
  });
});
