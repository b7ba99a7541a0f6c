import type { DayMonthOrder } from '@kindling/crm-import';
import { calendarOf, type Day } from '../simulation/day-numbers.js';

const monthAbbreviations = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (value: number): string => String(value).padStart(2, '0');

/** A date as the CRM writes it: its day-month order, or ISO when it has none. */
export function formatDate(day: Day, order: DayMonthOrder | null): string {
  const { year, month, day: dayOfMonth } = calendarOf(day);
  if (order === 'dmy') return `${two(dayOfMonth)}/${two(month)}/${String(year)}`;
  if (order === 'mdy') return `${two(month)}/${two(dayOfMonth)}/${String(year)}`;
  return `${String(year)}-${two(month)}-${two(dayOfMonth)}`;
}

/**
 * The other form a column sometimes holds (rows edited by hand, merged exports). Never the other
 * day-month order: the importer decides that per column, so a column mixes only unambiguous forms.
 */
export function formatDateOddly(day: Day, order: DayMonthOrder | null): string {
  if (order !== null) return formatDate(day, null);
  const { year, month, day: dayOfMonth } = calendarOf(day);
  return `${String(dayOfMonth)} ${monthAbbreviations[month - 1] ?? ''} ${String(year)}`;
}

export function formatAmount(amount: number): string {
  return amount.toFixed(2);
}

export type BooleanStyle = readonly [yes: string, no: string];
