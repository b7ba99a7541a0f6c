import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entityNamed, importPresetNamed, inferAmountColumn, inferDateColumn, parseAmount, parseBoolean, parseDate,
  presetChoiceValue, presetColumnMapping, presetFileFor, presetKeepsRow, type PresetFile,
} from '@kindling/crm-import';
import { generateDemoData } from './generate-demo-data.js';
import { demoFormats, formatLayouts } from './output/format-layouts.js';
import { groundTruthFileName } from './output/ground-truth-writer.js';
import { readDemoFile, type DemoFile } from './test-support/read-demo-file.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-import-'));
  await Promise.all(demoFormats.map((format) => generateDemoData({ contacts: 400, years: 6, seed: 'import', format, outDir: path.join(root, format), quirkRate: 0.05 })));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

// NPSP layouts hold individuals only, so they write no Account file.
const layoutFiles = demoFormats.flatMap((format) =>
  [...new Set(Object.entries(formatLayouts[format].files).filter(([kind]) => kind !== 'organisations' || formatLayouts[format].allowOrganisations).map(([, file]) => file.fileName))].map((fileName) => ({ format, fileName })),
);

function checkCells(file: PresetFile, data: DemoFile, dayMonthOrder: 'dmy' | 'mdy' | null): void {
  const fields = entityNamed(file.entity).fields;
  for (const column of file.columns) {
    const field = fields.find((candidate) => candidate.name === column.field);
    if (field === undefined) continue;
    const cells = data.column(column.header).filter((cell) => cell.trim() !== '');
    if (field.type === 'date') {
      const inference = inferDateColumn(cells, 2026);
      const order = inference.status === 'resolved' ? inference.order : (dayMonthOrder ?? 'dmy');
      if (inference.status === 'resolved') expect(inference.contradicting, column.header).toBe(0);
      if (dayMonthOrder !== null && inference.status === 'resolved' && cells.some((cell) => cell.includes('/'))) expect(order, column.header).toBe(dayMonthOrder);
      for (const cell of cells) expect(parseDate(cell, { order }).ok, `${column.header} ${cell}`).toBe(true);
    }
    if (field.type === 'amount') {
      const inference = inferAmountColumn(cells);
      if (inference.status === 'resolved') expect(inference.decimalSeparator).toBe('.');
      for (const cell of cells) expect(parseAmount(cell, { decimalSeparator: '.', dollarCurrency: 'USD' }).ok, `${column.header} ${cell}`).toBe(true);
    }
    if (field.type === 'boolean') for (const cell of cells) expect(parseBoolean(cell).ok, `${column.header} ${cell}`).toBe(true);
  }
}

describe('every generated file imports with its preset', () => {
  it.each(layoutFiles)('$format $fileName: recognised, headers exact, rows kept, values known', async ({ format, fileName }) => {
    const preset = importPresetNamed(formatLayouts[format].preset);
    const file = presetFileFor(preset, fileName);
    expect(file, 'file name recognised').toBeDefined();
    if (file === undefined) return;
    const data = await readDemoFile(path.join(root, format), fileName);
    expect(data.headers).toEqual(file.columns.map((column) => column.header));
    expect(presetColumnMapping(file, data.headers).missingRequired).toEqual([]);
    expect(data.rows.length).toBeGreaterThan(0);
    const choiceFields = entityNamed(file.entity).fields.filter((field) => field.type === 'choice').map((field) => field.name);
    for (const row of data.rows) {
      const cellOf = (header: string): string | undefined => {
        const index = data.headers.indexOf(header);
        return index < 0 ? undefined : row[index];
      };
      expect(presetKeepsRow(file, cellOf)).toBe(true);
      for (const field of choiceFields) {
        const header = file.columns.find((column) => column.field === field)?.header;
        const cell = header === undefined ? '' : (cellOf(header) ?? '');
        if (cell.trim() !== '') expect(presetChoiceValue(file, field, cellOf), `${field} ${cell}`).toBeDefined();
      }
    }
    checkCells(file, data, preset.dayMonthOrder);
  });

  it('names the ground truth so that no preset would import it', () => {
    for (const format of demoFormats) expect(presetFileFor(importPresetNamed(formatLayouts[format].preset), groundTruthFileName)).toBeUndefined();
    for (const presetId of ['donorfy', 'civicrm'] as const) expect(presetFileFor(importPresetNamed(presetId), groundTruthFileName)).toBeUndefined();
  });

  it('writes only fictional contact details', async () => {
    const contacts = await readDemoFile(path.join(root, 'generic'), 'contacts.csv');
    for (const email of contacts.column('email').filter((cell) => cell !== '')) expect(email.trim().toLowerCase()).toMatch(/@example\.(?:org|com|net)$/u);
    for (const phone of contacts.column('phone').filter((cell) => cell !== '')) expect(phone.trim()).toMatch(/^07700 900\d{3}$/u);
    for (const postcode of contacts.column('postcode').filter((cell) => cell !== '')) expect(postcode.trim()).toMatch(/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/u);
    const npsp = await readDemoFile(path.join(root, 'npsp'), 'Contact.csv');
    for (const phone of npsp.column('Phone').filter((cell) => cell !== '')) expect(phone.trim()).toMatch(/^\(\d{3}\) 555-01\d{2}$/u);
  });

  it('links every gift, plan and communication to a written contact and campaign', async () => {
    const directory = path.join(root, 'generic');
    const [contacts, gifts, campaigns, communications] = await Promise.all([
      readDemoFile(directory, 'contacts.csv'),
      readDemoFile(directory, 'gifts.csv'),
      readDemoFile(directory, 'campaigns.csv'),
      readDemoFile(directory, 'communications.csv'),
    ]);
    const contactIds = new Set(contacts.column('external_id').map((id) => id.trim()));
    const campaignIds = new Set(campaigns.column('external_id'));
    expect(gifts.column('contact_external_id').every((id) => contactIds.has(id))).toBe(true);
    expect(gifts.column('campaign_external_id').filter((id) => id !== '').every((id) => campaignIds.has(id))).toBe(true);
    expect(communications.column('package_external_id').every((id) => campaignIds.has(id))).toBe(true);
    expect(new Set(gifts.column('external_id')).size).toBe(gifts.rows.length);
  });
});
