import { AppError } from '@kindling/errors';

/**
 * A calendar day as a whole number: days since 1970-01-01 (UTC). Histories, cutoffs and windows
 * are all in day numbers, so comparing two dates in a hot loop is comparing two integers.
 */
export type Day = number;

const millisecondsPerDay = 86_400_000;
/** The average month in days, for "months since" features (a month is not a fixed length). */
export const daysPerMonth = 30.436875;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** `2025-12-31` → its day number; throws VALIDATION_FAILED on anything else. */
export function dayFromIso(iso: string): Day {
  const match = isoDatePattern.exec(iso);
  if (match === null) throw new AppError('VALIDATION_FAILED', `Not an ISO date (YYYY-MM-DD): ${iso}`);
  const [, year, month, day] = match;
  const value = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const date = new Date(value);
  if (date.getUTCDate() !== Number(day)) throw new AppError('VALIDATION_FAILED', `Not a calendar date: ${iso}`);
  return value / millisecondsPerDay;
}

/** A day number → `YYYY-MM-DD`. */
export function isoFromDay(day: Day): string {
  return new Date(day * millisecondsPerDay).toISOString().slice(0, 10);
}

/**
 * Year and month (1–12) of a day number, without a Date object (civil-from-days, H. Hinnant):
 * called once per event when a history is built.
 */
export function civilOf(day: Day): { year: number; month: number; dayOfMonth: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth };
}

/** Months since January 1970 (0-based), the key for "distinct giving months" and the month of year. */
export function monthIndexOf(day: Day): number {
  const { year, month } = civilOf(day);
  return (year - 1970) * 12 + month - 1;
}

/**
 * The same day of the month `months` months later (negative: earlier), clamped to the month's
 * last day (31 March − 1 month = 28/29 February). Windows are calendar months, not 30-day blocks.
 */
export function addMonths(day: Day, months: number): Day {
  const { year, month, dayOfMonth } = civilOf(day);
  const target = (year * 12 + month - 1) + months;
  const targetYear = Math.floor(target / 12);
  const targetMonth = target - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(targetYear, targetMonth, Math.min(dayOfMonth, lastDay)) / millisecondsPerDay;
}
