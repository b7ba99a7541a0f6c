import { describe, expect, it } from 'vitest';
import { calendarOf, dayFromIso, dayOf, isoOf } from './day-numbers.js';

describe('day numbers', () => {
  it('agree with Date for every day from 1900 to 2100, month overflow included', () => {
    for (let day = dayOf(1900, 1, 1); day <= dayOf(2100, 12, 31); day += 1) {
      const expected = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(isoOf(day)).toBe(expected);
      const { year, month, day: dayOfMonth } = calendarOf(day);
      expect(dayOf(year, month, dayOfMonth)).toBe(day);
    }
    expect(dayOf(2025, 13, 1)).toBe(dayFromIso('2026-01-01'));
    expect(dayOf(1970, 1, 1)).toBe(0);
  });
});
