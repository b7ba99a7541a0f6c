import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmount, parseDate } from '@kindling/crm-import';
import { generateDemoData, type DemoDataSummary } from './generate-demo-data.js';
import { readDemoFile, type DemoFile } from './test-support/read-demo-file.js';

// 2,000 contacts over 10 years: big enough for shares to settle within the documented ranges
// (docs/demo-data.md), small enough to run in about a second.
let directory: string;
let summary: DemoDataSummary;
let gifts: DemoFile;
let contacts: DemoFile;
let plans: DemoFile;
let truth: DemoFile;

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-scale-'));
  summary = await generateDemoData({ contacts: 2000, years: 10, seed: 'scale', format: 'generic', outDir: directory });
  [gifts, contacts, plans, truth] = await Promise.all([
    readDemoFile(directory, 'gifts.csv'),
    readDemoFile(directory, 'contacts.csv'),
    readDemoFile(directory, 'recurring_plans.csv'),
    readDemoFile(directory, 'ground-truth.csv'),
  ]);
});
afterAll(async () => {
  await fs.rm(directory, { recursive: true, force: true });
});

const share = (part: number, whole: number): number => part / whole;

describe('a generated organisation looks like a charity database', () => {
  it('has the documented volumes: gifts per contact, regular givers, duplicates', () => {
    expect(contacts.rows.length).toBe(summary.contacts + summary.duplicateContacts);
    expect(gifts.rows.length).toBe(summary.gifts);
    const giftsPerContact = share(summary.gifts, summary.contacts);
    const regularGivers = share(new Set(plans.column('contact_external_id')).size, summary.contacts);
    const duplicates = share(summary.duplicateContacts, summary.contacts);
    console.info({ giftsPerContact, regularGivers, duplicates });
    expect(giftsPerContact).toBeGreaterThan(5);
    expect(giftsPerContact).toBeLessThan(16);
    expect(regularGivers).toBeGreaterThan(0.18);
    expect(regularGivers).toBeLessThan(0.4);
    expect(duplicates).toBeGreaterThan(0.005);
    expect(duplicates).toBeLessThan(0.04);
  });

  it('peaks in December: one-off gifts cluster around Christmas', () => {
    const types = gifts.column('type');
    const months = gifts.column('date').map((cell) => {
      const parsed = parseDate(cell, { order: 'dmy' });
      if (!parsed.ok || parsed.value === null) throw new Error('unreadable gift date');
      return Number(parsed.value.slice(5, 7));
    });
    const oneOffMonths = months.filter((_, index) => types[index] === 'one-off');
    const december = share(oneOffMonths.filter((month) => month === 12).length, oneOffMonths.length);
    console.info({ december });
    expect(december).toBeGreaterThan(0.17);
    expect(december).toBeLessThan(0.35);
  });

  it('has every kind of income, and amounts with a long tail', () => {
    const types = new Set(gifts.column('type'));
    for (const type of ['one-off', 'recurring instalment', 'event income']) expect(types).toContain(type);
    const amounts = gifts.column('amount').map((cell) => {
      const parsed = parseAmount(cell, { decimalSeparator: '.', dollarCurrency: 'USD' });
      if (!parsed.ok || parsed.value === null) throw new Error('unreadable amount');
      return parsed.value.amount;
    });
    const sorted = [...amounts].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const top = sorted.at(-1) ?? 0;
    console.info({ median, top });
    expect(median).toBeGreaterThanOrEqual(5);
    expect(median).toBeLessThanOrEqual(40);
    expect(top).toBeGreaterThan(1000);
  });

  it('lapses a documented share of supporters and records deaths', () => {
    // Lapsed: no gift for 24 months, among living supporters on file for at least two years.
    const ids = contacts.column('external_id').map((id) => id.trim());
    const deceasedCells = contacts.column('deceased');
    const createdOn = new Map(contacts.column('created_on').map((cell, index) => [ids[index] ?? '', parseDate(cell, { order: 'dmy' })]));
    const deceasedIds = new Set(ids.filter((_, index) => deceasedCells[index] === 'true'));
    const settled = truth.rows.filter((row) => {
      const created = createdOn.get(row[0] ?? '');
      return created?.ok === true && created.value !== null && created.value <= '2023-12-31' && !deceasedIds.has(row[0] ?? '');
    });
    expect(settled.length).toBeGreaterThan(800);
    const lapsed = share(settled.filter((row) => row[1] === 'true').length, settled.length);
    const deceased = share(contacts.column('deceased').filter((cell) => cell === 'true').length, contacts.rows.length);
    console.info({ lapsed, deceased });
    expect(lapsed).toBeGreaterThan(0.25);
    expect(lapsed).toBeLessThan(0.6);
    expect(deceased).toBeGreaterThan(0.005);
    expect(deceased).toBeLessThan(0.08);
  });
});
