import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inferAmountColumn, parseAmount } from '../values/amount-parsing.js';
import { openCsvFile } from './csv-reader.js';

// Real files from ../../test-fixtures (see SOURCE.md there).
function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url));
}

async function readFixture(name: string) {
  const file = await openCsvFile(createReadStream(fixture(name), { highWaterMark: 4096 }), { fileName: name });
  const records = [];
  for await (const record of file.records) records.push(record);
  return { ...file, records };
}

describe('real export files', () => {
  it('reads the charity file with bare CR line ends and no final line end', async () => {
    const { encoding, delimiter, records } = await readFixture('charity-bare-cr-head.csv');
    expect({ encoding, delimiter }).toEqual({ encoding: 'utf-8', delimiter: ',' });
    expect(records).toHaveLength(201);
    expect(records[0]?.fields.slice(0, 3)).toEqual(['ID', 'reg1', 'reg2']);
    expect(new Set(records.map((record) => record.fields.length))).toEqual(new Set([24]));
    expect(records.at(-1)?.line).toBe(201);
  });

  it('reads the formatted PVA97NK file: quoted currency strings with grouping, and blanks', async () => {
    const { records } = await readFixture('pva97nk-formatted-head.csv');
    const [header, ...rows] = records;
    expect(rows).toHaveLength(200);
    const cellsOf = (name: string): string[] => rows.map((record) => record.fields[header?.fields.indexOf(name) ?? -1] ?? '');
    expect(inferAmountColumn(cellsOf('GiftAvgLast'))).toEqual({ status: 'resolved', decimalSeparator: '.', contradicting: 0 });
    // Whole dollars with thousands groups ("$186,800") read the same in both conventions: the
    // column does not decide, the preset or the organisation's setting does.
    const cells = cellsOf('DemMedHomeValue');
    expect(inferAmountColumn(cells)).toEqual({ status: 'undetermined' });
    const parsed = cells.map((cell) => parseAmount(cell, { decimalSeparator: '.', dollarCurrency: 'USD' }));
    expect(parsed.every((result) => result.ok)).toBe(true);
    expect(parsed[1]).toEqual({ ok: true, value: { amount: 186_800, currency: 'USD' } });
    const giftAverage = header?.fields.indexOf('GiftAvgCard36') ?? -1;
    const blanks = rows.filter((record) => parseAmount(record.fields[giftAverage] ?? '', { decimalSeparator: '.', dollarCurrency: 'USD' }).ok && (record.fields[giftAverage] ?? '') === '');
    expect(blanks.length).toBeGreaterThan(0);
  });
});
