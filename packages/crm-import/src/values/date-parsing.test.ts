import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferDateColumn, parseDate } from './date-parsing.js';

const referenceYear = 2026;

describe('parseDate', () => {
  it.each([
    ['2024-03-31', 'dmy', '2024-03-31'],
    ['2024-03-31T14:05:00Z', 'mdy', '2024-03-31'],
    ['2024-03-31 14:05', 'dmy', '2024-03-31'],
    ['2024/3/7', 'mdy', '2024-03-07'],
    ['20240331', 'dmy', '2024-03-31'],
    ['31/03/2024', 'dmy', '2024-03-31'],
    ['31.03.2024', 'dmy', '2024-03-31'],
    ['03/31/2024', 'mdy', '2024-03-31'],
    ['3/31/2024 2:15 PM', 'mdy', '2024-03-31'],
    ['05/04/2024', 'dmy', '2024-04-05'],
    ['05/04/2024', 'mdy', '2024-05-04'],
    ['31/03/24', 'dmy', '2024-03-31'],
    ['31/03/98', 'dmy', '1998-03-31'],
    ['5 Mar 2024', 'mdy', '2024-03-05'],
    ['05-Mar-2024', 'mdy', '2024-03-05'],
    ['March 5, 2024', 'dmy', '2024-03-05'],
    ['Sept 1st 2024', 'dmy', '2024-09-01'],
    ['45382', 'dmy', '2024-03-31'],
    ['45382.5', 'mdy', '2024-03-31'],
    ['59', 'dmy', '1900-02-28'],
    ['61', 'dmy', '1900-03-01'],
    ['29/02/2024', 'dmy', '2024-02-29'],
  ] as const)('reads %s (%s) as %s', (text, order, iso) => {
    expect(parseDate(text, { order, referenceYear })).toEqual({ ok: true, value: iso });
  });

  it.each(['1'.repeat(100_000), '31/02/2024', '2023-02-29', '13/13/2024', 'yesterday', '60', '2024-03-31 later', '1 Smarch 2024', '=NOW()', '0', '1700-01-01'])(
    'rejects %s with a reason that does not repeat it',
    (text) => {
      const result = parseDate(text, { order: 'dmy', referenceYear });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^is (not|too long to be) a date/);
    },
  );

  it('reads blanks as not given', () => {
    expect(parseDate(' ', { order: 'dmy' })).toEqual({ ok: true, value: null });
  });

  it('reads every calendar date back in every form it writes', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1901-01-01'), max: new Date('2150-12-31'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        const [year, month, day] = iso.split('-');
        expect(parseDate(iso, { order: 'mdy' })).toEqual({ ok: true, value: iso });
        expect(parseDate(`${day ?? ''}/${month ?? ''}/${year ?? ''}`, { order: 'dmy' })).toEqual({ ok: true, value: iso });
        expect(parseDate(`${month ?? ''}/${day ?? ''}/${year ?? ''}`, { order: 'mdy' })).toEqual({ ok: true, value: iso });
        const serial = Math.round((Date.UTC(Number(year), Number(month) - 1, Number(day)) - Date.UTC(1899, 11, 30)) / 86_400_000);
        expect(parseDate(String(serial), { order: 'dmy' })).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe('inferDateColumn', () => {
  it('decides the order from the cells that can only be read one way', () => {
    expect(inferDateColumn(['01/02/2024', '25/12/2023', ''], referenceYear)).toEqual({ status: 'resolved', order: 'dmy', contradicting: 0 });
    expect(inferDateColumn(['01/02/2024', '12/25/2023', '2024-01-01'], referenceYear)).toEqual({ status: 'resolved', order: 'mdy', contradicting: 0 });
  });

  it('asks when every day-month cell reads both ways, showing examples', () => {
    expect(inferDateColumn(['01/02/2024', '03/04/2024', '2024-05-06'], referenceYear)).toEqual({ status: 'ambiguous', examples: ['01/02/2024', '03/04/2024'] });
  });

  it('is not ambiguous when the two readings agree, or there are no day-month cells', () => {
    expect(inferDateColumn(['05/05/2024', '2024-01-31', '45382'], referenceYear)).toEqual({ status: 'resolved', order: 'dmy', contradicting: 0 });
  });

  it('takes the majority of a mixed column and counts the cells that contradict it, never guessing per cell', () => {
    const inference = inferDateColumn(['25/12/2023', '31/01/2024', '12/31/2023'], referenceYear);
    expect(inference).toEqual({ status: 'resolved', order: 'dmy', contradicting: 1 });
    expect(parseDate('12/31/2023', { order: 'dmy', referenceYear }).ok).toBe(false);
  });
});
