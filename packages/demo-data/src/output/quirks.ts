import type { Random } from '../random/seeded-random.js';

/**
 * Real exports are untidy. Each quirk fires at `rate` (per cell, or per contact for duplicates),
 * from the contact's own random stream, so the same seed gives the same mess.
 */
export interface Quirks {
  readonly rate: number;
  readonly random: Random;
}

/** Fields that go missing in real data more than others. */
const blankable = new Set(['email', 'phone', 'postcode', 'date_of_birth', 'address_lines', 'payment_method', 'region']);

export function blanks(quirks: Quirks, field: string): boolean {
  return blankable.has(field) && quirks.random.chance(quirks.rate);
}

export function trailingSpace(quirks: Quirks, text: string): string {
  return text !== '' && quirks.random.chance(quirks.rate) ? `${text} ` : text;
}

export function oddDate(quirks: Quirks): boolean {
  return quirks.random.chance(quirks.rate);
}

export function strayCurrencySymbol(quirks: Quirks, symbol: string, amount: string): string {
  return quirks.random.chance(quirks.rate) ? `${symbol}${amount}` : amount;
}

export function duplicates(quirks: Quirks): boolean {
  return quirks.random.chance(quirks.rate);
}
