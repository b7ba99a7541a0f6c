import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '@kindling/errors';
import { readXlsxSheet } from './xlsx-reader.js';

const limits = { maxEntries: 100, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 200 };

function fixture(name: string): AsyncIterable<Uint8Array> {
  return createReadStream(fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url)), { highWaterMark: 1024 });
}

describe('readXlsxSheet (workbooks written by openpyxl)', () => {
  it('reads shared strings, dates with and without time, booleans and numbers, keeping row numbers', async () => {
    const workbook = await readXlsxSheet(fixture('gifts-openpyxl.xlsx'), { fileName: 'gifts.xlsx', limits });
    expect(workbook.sheetNames).toEqual(['Gifts']);
    const records = [];
    for await (const record of workbook.records) records.push(record);
    expect(records).toEqual([
      { line: 1, fields: ['Gift ID', 'Donor ID', 'Date', 'Amount', 'Gift Aid', 'Note'] },
      { line: 2, fields: ['G1', 'C001', '2024-03-31', '25.5', 'TRUE', 'Zoë — “thanks”'] },
      { line: 3, fields: ['G2', 'C002', '2023-12-24T18:30:00', '1234', 'FALSE'] },
      { line: 4, fields: ['G3', 'C003', '05/04/2024', '$1,000.00', '', '=HYPERLINK("http://example.org")'] },
      { line: 6, fields: ['G4', '', '1900-01-01', '0.1', '', 'after a blank row'] },
    ]);
  });

  it('asks which sheet when there are several, and reads the one named', async () => {
    try {
      await readXlsxSheet(fixture('two-sheets-openpyxl.xlsx'), { fileName: 'crm.xlsx', limits });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe('crm.xlsx has 2 sheets (Contacts, Gifts): choose the one to import.');
      expect((error as AppError).details).toMatchObject({ cause: 'several_sheets', sheets: ['Contacts', 'Gifts'] });
    }
    const gifts = await readXlsxSheet(fixture('two-sheets-openpyxl.xlsx'), { fileName: 'crm.xlsx', sheet: 'Gifts', limits });
    const records = [];
    for await (const record of gifts.records) records.push(record.fields);
    expect(records).toEqual([['id', 'amount']]);
    await expect(readXlsxSheet(fixture('two-sheets-openpyxl.xlsx'), { fileName: 'crm.xlsx', sheet: 'Donors', limits })).rejects.toMatchObject({
      details: { cause: 'unknown_sheet' },
    });
  });
});
