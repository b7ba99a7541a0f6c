/** Dates inside the simulation are whole days since 1970-01-01 (UTC): cheap to compare and add. */
export type Day = number;

/** Day number of a civil date (H. Hinnant's days_from_civil); month 13 is January of the next year. */
export function dayOf(year: number, month: number, dayOfMonth: number): Day {
  const y = year + Math.floor((month - 1) / 12) - (((month - 1) % 12 + 12) % 12 + 1 <= 2 ? 1 : 0);
  const m = (((month - 1) % 12) + 12) % 12 + 1;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + dayOfMonth - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function dayFromIso(iso: string): Day {
  const [year = '', month = '', dayOfMonth = ''] = iso.split('-');
  return dayOf(Number(year), Number(month), Number(dayOfMonth));
}

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Civil date of a day number without a Date object (H. Hinnant's civil_from_days): the writers
 * format tens of millions of dates, and allocating a Date for each one dominated the profile.
 */
export function calendarOf(day: Day): CalendarDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1 };
}

export function isoOf(day: Day): string {
  const { year, month, day: dayOfMonth } = calendarOf(day);
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

export const daysPerMonth = 365.25 / 12;

export function monthsBetween(from: Day, to: Day): number {
  return (to - from) / daysPerMonth;
}
