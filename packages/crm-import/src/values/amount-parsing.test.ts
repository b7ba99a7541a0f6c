import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferAmountColumn, parseAmount, parseAmountInFull, type AmountParseOptions } from './amount-parsing.js';

const dotDecimal: AmountParseOptions = { decimalSeparator: '.', dollarCurrency: 'USD' };
const commaDecimal: AmountParseOptions = { decimalSeparator: ',', dollarCurrency: 'USD' };

describe('parseAmount', () => {
  it.each([
    ['$1,234.50', dotDecimal, 1234.5, 'USD'],
    ['1.234,50 €', commaDecimal, 1234.5, 'EUR'],
    ['(12.00)', dotDecimal, -12, null],
    ['-£5', dotDecimal, -5, 'GBP'],
    ['£-5.25', dotDecimal, -5.25, 'GBP'],
    ['($1,000.00)', dotDecimal, -1000, 'USD'],
    ['EUR 12,5', commaDecimal, 12.5, 'EUR'],
    ['12.00 GBP', dotDecimal, 12, 'GBP'],
    ['CHF 1\u2019000.00'.replace('\u2019', "'"), dotDecimal, 1000, 'CHF'],
    ['1 234 567,89', commaDecimal, 1234567.89, null],
    ['\u00a025\u00a0', dotDecimal, 25, null],
    ['A$20', dotDecimal, 20, 'AUD'],
    ['$20', { decimalSeparator: '.', dollarCurrency: 'CAD' }, 20, 'CAD'],
    ['1,234', dotDecimal, 1234, null],
    ['1,234', commaDecimal, 1.234, null],
    ['0.5', dotDecimal, 0.5, null],
  ] as const)('reads %s', (text, options, amount, currency) => {
    expect(parseAmount(text, options)).toEqual({ ok: true, value: { amount, currency } });
  });

  it('reads blanks as not given', () => {
    expect(parseAmount('', dotDecimal)).toEqual({ ok: true, value: null });
    expect(parseAmount('  \u00a0', dotDecimal)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['twelve', 'is not an amount'],
    ['1.234,567.89', 'misplaced thousands separators'],
    ['1,23,456.00', 'misplaced thousands separators'],
    ['--5', 'two minus signs'],
    ['(-5)', 'two minus signs'],
    ['£5 EUR', 'two different currencies'],
    ['XYZ 5', 'unknown currency'],
    ['1,5', 'uses "," as the decimal separator where this column uses "."'],
    ['=HYPERLINK("x")', 'is not an amount'],
    ['9'.repeat(20), 'too large'],
    ['1'.repeat(100_000), 'too long'],
  ])('rejects %s with a reason', (text, reason) => {
    const result = parseAmount(text, dotDecimal);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(reason);
      // The reason never repeats the cell (it may be personal data in a mis-mapped column).
      expect(result.reason).not.toContain(text);
    }
  });

  it('reads back any amount written in either convention, with or without grouping', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.boolean(), fc.boolean(), (cents, comma, grouped) => {
        const whole = Math.floor(cents / 100).toString();
        const withCommas = Number(whole).toLocaleString('en-US');
        const groups = grouped ? (comma ? withCommas.replaceAll(',', '.') : withCommas) : whole;
        const text = `${groups}${comma ? ',' : '.'}${(cents % 100).toString().padStart(2, '0')}`;
        const parsed = parseAmount(text, comma ? commaDecimal : dotDecimal);
        expect(parsed).toEqual({ ok: true, value: { amount: cents / 100, currency: null } });
      }),
    );
  });
});

describe('inferAmountColumn', () => {
  it('takes the separator a column proves, by majority, and counts what contradicts it', () => {
    expect(inferAmountColumn(['$1,234.50', '12', '1,000'])).toEqual({ status: 'resolved', decimalSeparator: '.', contradicting: 0 });
    expect(inferAmountColumn(['1.234,50 €', '7,5', ''])).toEqual({ status: 'resolved', decimalSeparator: ',', contradicting: 0 });
    expect(inferAmountColumn(['1.000.000', '25'])).toEqual({ status: 'resolved', decimalSeparator: ',', contradicting: 0 });
    expect(inferAmountColumn(['1.5', '2.25', '3,5'])).toEqual({ status: 'resolved', decimalSeparator: '.', contradicting: 1 });
  });

  it('leaves a column that reads the same either way undetermined', () => {
    expect(inferAmountColumn(['12', '1,000', '2.500', '', 'n/a'])).toEqual({ status: 'undetermined' });
  });
});

describe('the fast path of parseAmount', () => {
  it('reads every cell exactly as the full parser does', () => {
    const cell = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', ',', '.', '£', '$', '€', '-', ' '), maxLength: 14 });
    fc.assert(
      fc.property(cell, fc.constantFrom<'.' | ','>('.', ','), (text, decimalSeparator) => {
        const options = { decimalSeparator, dollarCurrency: 'CAD' };
        const trimmed = text.trim();
        fc.pre(trimmed !== '');
        expect(parseAmount(text, options)).toEqual(parseAmountInFull(trimmed, options));
      }),
      { numRuns: 20_000 },
    );
  });
});
