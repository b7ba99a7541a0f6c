import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../reference/column-mapping.js';
import { entityNamed } from '../reference/reference-schema.js';
import { decideColumnFormats } from './column-formats.js';
import { readReferenceRow, type FileReadPlan } from './row-reading.js';

const gifts = entityNamed('gifts');
const headers = ['Gift ID', 'Donor ID', 'Gift Date', 'Amount', 'Currency', 'Gift Type', 'Appeal ID'];
const mapping = suggestMapping('gifts', headers).mapping;

function plan(overrides: Partial<FileReadPlan> = {}): FileReadPlan {
  return {
    fileName: 'gifts.csv',
    entity: gifts,
    headers,
    mapping,
    formats: { dateOrders: { date: 'dmy' }, decimalSeparators: { amount: '.' } },
    organisationCurrency: 'GBP',
    vocabularies: { type: { 'Recurring Gift Pay-Cash': 'recurring instalment', Cash: 'one-off' } },
    ...overrides,
  };
}

const record = (line: number, ...fields: string[]) => ({ line, fields });

describe('readReferenceRow', () => {
  it('turns a record into typed reference values, with the organisation currency by default', () => {
    expect(readReferenceRow(record(2, 'G1', 'C9', '31/03/2024', '£1,250.00', '', 'Recurring Gift Pay-Cash', 'XMAS24'), plan())).toEqual({
      ok: true,
      row: {
        external_id: 'G1',
        contact_external_id: 'C9',
        date: '2024-03-31',
        amount: 1250,
        currency: 'GBP',
        payment_method: null,
        campaign_external_id: 'XMAS24',
        package_external_id: null,
        type: 'recurring instalment',
        recurring_plan_external_id: null,
        soft_credit_contact_external_ids: null,
      },
    });
  });

  it('takes the currency an amount names when the currency column is blank, and refuses a contradiction', () => {
    const euro = readReferenceRow(record(3, 'G2', 'C9', '01/04/2024', '12,00 €'.replace(',', '.'), '', 'Cash', ''), plan());
    expect(euro).toMatchObject({ ok: true, row: { amount: 12, currency: 'EUR' } });
    const contradiction = readReferenceRow(record(4, 'G3', 'C9', '01/04/2024', '€12.00', 'USD', 'Cash', ''), plan());
    expect(contradiction).toEqual({ ok: false, rejections: [{ file: 'gifts.csv', line: 4, column: null, value: null, reason: 'names EUR in an amount but USD as its currency' }] });
  });

  it('reports every problem of a row at once, naming file, line, column, value and reason', () => {
    const result = readReferenceRow(record(7, 'G4', '', '31/02/2024', 'ten pounds', 'XYZ', 'Gift Aid', '=HYPERLINK("http://x")'), plan());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejections.map(({ column, value, reason }) => [column, value, reason.split(' (')[0]?.split(':')[0]])).toEqual([
      ['Donor ID', '', 'is required'],
      ['Gift Date', '31/02/2024', 'is not a date'],
      ['Amount', 'ten pounds', 'is not an amount'],
      ['Currency', 'XYZ', 'is not an ISO 4217 currency code'],
      ['Appeal ID', '=HYPERLINK("http://x")', 'is a spreadsheet formula, not a value'],
      ['Gift Type', 'Gift Aid', 'is not one of'],
    ]);
    expect(result.rejections.every((rejection) => rejection.file === 'gifts.csv' && rejection.line === 7)).toBe(true);
  });

  it('refuses a record with more values than the header has columns', () => {
    expect(readReferenceRow(record(9, 'G5', 'C1', '01/01/2024', '5', 'GBP', 'Cash', 'A', 'extra'), plan())).toMatchObject({
      ok: false,
      rejections: [{ line: 9, column: null, reason: 'has 8 values where the header has 7 columns (a delimiter inside an unquoted value?)' }],
    });
  });
});

describe('decideColumnFormats', () => {
  const rows = (dates: string[], amounts: string[]) => dates.map((date, index) => record(index + 2, `G${String(index)}`, 'C1', date, amounts[index] ?? '', '', '', ''));

  it('decides from the values, and the values win over the preset', () => {
    const decision = decideColumnFormats(rows(['12/31/2024', '01/02/2024'], ['1.234,50', '7']), gifts, mapping, headers, { dateOrder: 'dmy', decimalSeparator: '.' });
    expect(decision).toEqual({ formats: { dateOrders: { date: 'mdy' }, decimalSeparators: { amount: ',' } }, questions: [] });
  });

  it('asks about a date column that reads both ways when neither preset nor answer says', () => {
    const decision = decideColumnFormats(rows(['01/02/2024', '03/04/2024'], ['5', '1,000']), gifts, mapping, headers);
    expect(decision.questions).toEqual([
      { field: 'date', column: 'Gift Date', kind: 'date-order', examples: ['01/02/2024', '03/04/2024'] },
      { field: 'amount', column: 'Amount', kind: 'decimal-separator', examples: [] },
    ]);
    const answered = decideColumnFormats(rows(['01/02/2024'], ['5']), gifts, mapping, headers, { answers: { date: 'mdy', amount: '.' } });
    expect(answered).toEqual({ formats: { dateOrders: { date: 'mdy' }, decimalSeparators: { amount: '.' } }, questions: [] });
  });
});
