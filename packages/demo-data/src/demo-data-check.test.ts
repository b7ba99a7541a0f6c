import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImport, importPresetNamed } from '@kindling/crm-import';
import { generateDemoData } from './generate-demo-data.js';
import { demoFormats, formatLayouts } from './output/format-layouts.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-check-'));
  await Promise.all(demoFormats.map((format) => generateDemoData({ contacts: 300, years: 5, seed: 'check', format, outDir: path.join(root, format), quirkRate: 0.02 })));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('a generated organisation passes the import check of its preset', () => {
  it.each(demoFormats)('%s', async (format) => {
    const folder = path.join(root, format);
    const names = (await fs.readdir(folder)).filter((name) => name.endsWith('.csv') && !name.startsWith('ground-truth'));
    const check = await checkImport(
      names.map((name) => ({ name, bytes: createReadStream(path.join(folder, name)) })),
      { preset: importPresetNamed(formatLayouts[format].preset), organisationCurrency: formatLayouts[format].currency, mode: 'complete', limits: { maxEntries: 10, maxTotalBytes: 1e9, maxRatio: 200 } },
    );
    expect(check.unrecognisedFiles).toEqual([]);
    for (const file of check.files) expect(file.questions, file.file).toEqual([]);
    expect(check.read).toBeGreaterThan(1000);
    // The generator's quirks are meant to be readable: what is refused is rare and named.
    expect(check.rejected / check.read, JSON.stringify(check.rejectedByReason)).toBeLessThan(0.01);
  });
});
