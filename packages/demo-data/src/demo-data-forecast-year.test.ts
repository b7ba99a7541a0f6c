import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from './generate-demo-data.js';
import { readDemoFile, type DemoFile } from './test-support/read-demo-file.js';

/*
 * With the forecast year written, the files go on a year past the ground truth's day while the
 * truth stays the forecast made on that day: what model benchmarks score against.
 */
let root: string;
const options = { contacts: 400, years: 4, seed: 'forecast', format: 'generic', quirkRate: 0 } as const;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-forecast-'));
  await generateDemoData({ ...options, outDir: path.join(root, 'plain') });
  await generateDemoData({ ...options, writeForecastYear: true, outDir: path.join(root, 'forecast') });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Generic dates are dd/mm/yyyy. */
const yearOf = (cell: string): number => Number(cell.slice(6, 10));
const giftKeys = (file: DemoFile, lastYear: number): string[] => {
  const [contacts, dates, amounts] = [file.column('contact_external_id'), file.column('date'), file.column('amount')];
  return dates.flatMap((date, index) => (yearOf(date) <= lastYear ? [`${contacts[index] ?? ''}|${date}|${amounts[index] ?? ''}`] : [])).sort();
};

describe('demo data with the forecast year written', () => {
  it('keeps the ground truth byte for byte', async () => {
    const truth = (folder: string) => fs.readFile(path.join(root, folder, 'ground-truth.csv'), 'utf8');
    expect(await truth('forecast')).toBe(await truth('plain'));
  });

  it('writes gifts in the year after the truth day and none later; the plain run stops at the truth day', async () => {
    const [plain, forecast] = await Promise.all([readDemoFile(path.join(root, 'plain'), 'gifts.csv'), readDemoFile(path.join(root, 'forecast'), 'gifts.csv')]);
    const years = (file: DemoFile) => file.column('date').map(yearOf);
    expect(Math.max(...years(plain))).toBe(2025);
    expect(Math.max(...years(forecast))).toBe(2026);
    expect(years(forecast).filter((year) => year === 2026).length).toBeGreaterThan(100);
    // The history up to the truth day is the one the truth was computed from.
    // The history up to the truth day is the one the truth was computed from, except that draws
    // for gifts arriving in the last weeks (lags across the year end) come in another order.
    const [longer, plain2025] = [giftKeys(forecast, 2025), giftKeys(plain, 2025)];
    const inPlain = new Set(plain2025);
    const different = longer.filter((key) => !inPlain.has(key));
    expect(different.length).toBeLessThanOrEqual(plain2025.length * 0.01);
    for (const key of different) expect(key.split('|')[1]).toMatch(/^\d\d\/12\/2025$/);
  });
});
