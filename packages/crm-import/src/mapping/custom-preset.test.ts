import { describe, expect, it } from 'vitest';
import { readFileRows, type RowBatch } from '../import-check/file-rows.js';
import { presetFileFor } from '../presets/preset-application.js';
import type { ImportPreset } from '../presets/preset-types.js';
import { presetFromMappings } from './custom-preset.js';
import type { SavedMapping } from './saved-mapping.js';

const limits = { maxEntries: 10, maxTotalBytes: 1024 * 1024, maxRatio: 100 };

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield new TextEncoder().encode(text);
}

const supporters: SavedMapping = {
  entity: 'contacts',
  columns: [
    { header: 'Donor Ref', target: { field: 'external_id' } },
    { header: 'Sex', target: { field: 'gender' } },
    { header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } },
    { header: 'Branch', target: { attribute: 'branch', kind: 'categorical' } },
    { header: 'Notes to self', target: null },
  ],
};

async function readAll(preset: ImportPreset, fileName: string, text: string): Promise<{ batches: RowBatch[]; missing: readonly string[] }> {
  const presetFile = presetFileFor(preset, fileName);
  if (presetFile === undefined) throw new Error(`${fileName} is not in the preset`);
  const { start, batches } = await readFileRows({ name: fileName, bytes: bytes(text) }, { preset, presetFile, organisationCurrency: 'USD', limits });
  const read: RowBatch[] = [];
  for await (const batch of batches) read.push(batch);
  return { batches: read, missing: start.mapping.missingRequired };
}

describe('presetFromMappings', () => {
  it('recognises exactly the mapped file names', () => {
    const preset = presetFromMappings([{ fileName: 'supporters export.csv', mapping: supporters }], { dayMonthOrder: 'dmy' });
    expect(preset).toMatchObject({ id: 'custom', dayMonthOrder: 'dmy', decimalSeparator: '.' });
    expect(presetFileFor(preset, 'supporters export.csv')?.entity).toBe('contacts');
    expect(presetFileFor(preset, 'archive.zip/SUPPORTERS EXPORT.CSV')?.entity).toBe('contacts');
    expect(presetFileFor(preset, 'supporters exportXcsv')).toBeUndefined();
    expect(presetFileFor(preset, 'old supporters export.csv')).toBeUndefined();
  });

  it('reads custom attributes into contact rows: numbers like amounts, categories as trimmed text, blanks left out', async () => {
    const preset = presetFromMappings([{ fileName: 'supporters.csv', mapping: supporters }]);
    const text = ['Donor Ref,Sex,Wealth,Branch,Notes to self', 'D1,F,"$186,800", North ,likes cats', 'D2,m,,South,', 'D3,U,(12.50),,'].join('\n');
    const { batches } = await readAll(preset, 'supporters.csv', text);
    const rows = batches.flatMap((batch) => batch.rows);
    expect(rows.map((row) => [row['external_id'], row['gender'], row['custom_attributes']])).toEqual([
      ['D1', 'female', { wealth: 186_800, branch: 'North' }],
      ['D2', 'male', { branch: 'South' }],
      ['D3', 'unknown', { wealth: -12.5 }],
    ]);
    // "Notes to self" is mapped to nothing: its text goes nowhere, not even into notes.
    expect(rows[0]?.['notes']).toBeNull();
  });

  it('refuses a non-number in a numeric attribute and personal data in a categorical one, naming line, column and value', async () => {
    const preset = presetFromMappings([{ fileName: 'supporters.csv', mapping: supporters }]);
    const text = ['Donor Ref,Sex,Wealth,Branch,Notes to self', 'D1,F,NA,North,', 'D2,M,12,ann@example.org,', `D3,F,1,${'x'.repeat(201)},`, 'D4,F,2,=HYPERLINK("x"),'].join('\n');
    const { batches } = await readAll(preset, 'supporters.csv', text);
    expect(batches.flatMap((batch) => batch.rows)).toEqual([]);
    expect(batches.flatMap((batch) => batch.rejections).map(({ line, column, value, reason }) => ({ line, column, value, reason: reason.split(':')[0] }))).toEqual([
      { line: 2, column: 'Wealth', value: 'NA', reason: 'is not a number (the custom attribute wealth is numeric)' },
      { line: 3, column: 'Branch', value: 'ann@example.org', reason: 'looks like an e-mail address' },
      { line: 4, column: 'Branch', value: 'x'.repeat(201), reason: 'is longer than 200 characters (the custom attribute branch is categorical)' },
      { line: 5, column: 'Branch', value: '=HYPERLINK("x")', reason: 'is a spreadsheet formula, not a value' },
    ]);
  });

  it('decides a numeric attribute column\'s decimal separator from its values', async () => {
    const preset = presetFromMappings([{ fileName: 'supporters.csv', mapping: supporters }]);
    const text = ['Donor Ref;Sex;Wealth;Branch;Notes to self', 'D1;F;1.234,50;;', 'D2;F;2,5;;'].join('\n');
    const { batches } = await readAll(preset, 'supporters.csv', text);
    expect(batches.flatMap((batch) => batch.rows).map((row) => row['custom_attributes'])).toEqual([{ wealth: 1234.5 }, { wealth: 2.5 }]);
  });

  it('names an attribute column the file lacks as missing, like a required field', async () => {
    const preset = presetFromMappings([{ fileName: 'supporters.csv', mapping: supporters }]);
    const { missing } = await readAll(preset, 'supporters.csv', 'Donor Ref,Sex,Branch\nD1,F,North');
    expect(missing).toEqual(['attribute wealth (column Wealth)']);
  });

  it('refuses a bad mapping naming the file, a file mapped twice and a path for a name', () => {
    const bad: SavedMapping = { entity: 'payment_failures', columns: [{ header: 'Plan', target: { field: 'plan_external_id' } }] };
    expect(() => presetFromMappings([{ fileName: 'failures.csv', mapping: bad }])).toThrow('The mapping for failures.csv cannot be used: required field date has no column.');
    expect(() => presetFromMappings([{ fileName: 'a.csv', mapping: supporters }, { fileName: 'A.CSV', mapping: supporters }])).toThrow('A.CSV has two mappings');
    expect(() => presetFromMappings([{ fileName: 'exports/a.csv', mapping: supporters }])).toThrow('is not a file name');
    expect(() => presetFromMappings([])).toThrow('at least one file');
  });
});
