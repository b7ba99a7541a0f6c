import { accepted, blank, rejected, trimCell, type CellResult } from './cell-result.js';

/** Which of the first two numbers of `05/04/2024` is the day. */
export type DayMonthOrder = 'dmy' | 'mdy';

export interface DateParseOptions {
  /** Decided once per column (`inferDateColumn`, or the user when it is ambiguous), never per cell. */
  readonly order: DayMonthOrder;
  /** Two-digit years up to this many years after `referenceYear` are read as this century. */
  readonly referenceYear?: number;
}

export type DateColumnInference =
  | { readonly status: 'resolved'; readonly order: DayMonthOrder; readonly contradicting: number }
  /** Every day-month date in the column reads both ways (all days ≤ 12): the user must say which. */
  | { readonly status: 'ambiguous'; readonly examples: readonly string[] };

const isoDate = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?<time>.*)$/u;
const compactDate = /^(\d{4})(\d{2})(\d{2})$/u;
const dayMonthDate = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?<time>.*)$/u;
const dayNamedMonth = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})$/iu;
const namedMonthDay = /^([a-z]{3,9})\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4}|\d{2})$/iu;
const excelSerial = /^\d{1,5}$|^\d{1,5}\.\d{1,15}$/u;
/** Longer cells are refused before any pattern runs, so no cell can make parsing slow. */
const maxDateLength = 40;
// What may follow a date: a time of day, as exports write it; the time itself is dropped.
// eslint-disable-next-line security/detect-unsafe-regex -- runs on at most maxDateLength characters
const timeOfDay = /^(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$/iu;

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1–12 for an English month name or its usual abbreviation (`Mar`, `Sept`). */
function monthOfName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = monthNames.findIndex((month) => lower === month || lower === month.slice(0, 3) || (month === 'september' && lower === 'sept'));
  return index < 0 ? undefined : index + 1;
}

function fullYear(year: string, referenceYear: number): number {
  const value = Number(year);
  if (year.length === 4) return value;
  const century = Math.floor(referenceYear / 100) * 100;
  return value <= (referenceYear % 100) + 1 ? century + value : century - 100 + value;
}

// Read once: two-digit years are rare, and a Date per cell is not.
const currentYear = new Date().getUTCFullYear();

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `YYYY-MM-DD` of a calendar date, or undefined when there is no such day. No Date objects: this runs per cell. */
function isoOf(year: number, month: number, day: number): string | undefined {
  if (year < 1800 || year > 2200 || month < 1 || month > 12 || day < 1) return undefined;
  const length = month === 2 && isLeapYear(year) ? 29 : (monthLengths[month - 1] ?? 0);
  if (day > length) return undefined;
  return `${String(year)}-${month < 10 ? '0' : ''}${String(month)}-${day < 10 ? '0' : ''}${String(day)}`;
}

/**
 * Excel's day numbers count from 1900-01-01 = 1 and keep Lotus 1-2-3's phantom 1900-02-29 (60),
 * so serials after it are one day ahead of a plain count.
 */
function excelSerialDate(serial: number): string | undefined {
  const whole = Math.floor(serial);
  if (whole < 1 || whole === 60 || whole > 109_574) return undefined;
  const base = Date.UTC(1899, 11, whole < 60 ? 31 : 30);
  return new Date(base + whole * 86_400_000).toISOString().slice(0, 10);
}

/** The two readings of a day-month cell, or undefined when the cell is not one. */
function dayMonthReadings(cell: string, referenceYear: number): { dmy: string | undefined; mdy: string | undefined } | undefined {
  const match = dayMonthDate.exec(cell);
  if (match === null || !timeOfDay.test(match.groups?.['time'] ?? '')) return undefined;
  const [, first = '', second = '', year = ''] = match;
  const fullYearValue = fullYear(year, referenceYear);
  return { dmy: isoOf(fullYearValue, Number(second), Number(first)), mdy: isoOf(fullYearValue, Number(first), Number(second)) };
}

/** Decides a column's day-month order from all its cells; never from one cell alone. */
export function inferDateColumn(cells: Iterable<string>, referenceYear = new Date().getUTCFullYear()): DateColumnInference {
  let dmyOnly = 0;
  let mdyOnly = 0;
  const readBothWays: string[] = [];
  for (const text of cells) {
    const cell = trimCell(text);
    if (cell.length > maxDateLength) continue;
    const readings = dayMonthReadings(cell, referenceYear);
    if (readings === undefined) continue;
    if (readings.dmy !== undefined && readings.mdy === undefined) dmyOnly += 1;
    else if (readings.mdy !== undefined && readings.dmy === undefined) mdyOnly += 1;
    else if (readings.dmy !== readings.mdy && readBothWays.length < 5) readBothWays.push(cell);
  }
  if (dmyOnly === 0 && mdyOnly === 0) {
    // Cells like 05/05/2024 read the same either way; only unequal ones make the column ambiguous.
    return readBothWays.length === 0 ? { status: 'resolved', order: 'dmy', contradicting: 0 } : { status: 'ambiguous', examples: readBothWays };
  }
  const order: DayMonthOrder = dmyOnly >= mdyOnly ? 'dmy' : 'mdy';
  return { status: 'resolved', order, contradicting: order === 'dmy' ? mdyOnly : dmyOnly };
}

/** One date cell as `YYYY-MM-DD`; times of day are dropped. Blank is null. */
export function parseDate(text: string, options: DateParseOptions): CellResult<string> {
  const cell = trimCell(text);
  if (cell === '') return blank;
  if (cell.length > maxDateLength) return rejected('is too long to be a date');
  const parsed = plainDate(cell, options.order) ?? readDate(cell, options.order, options.referenceYear ?? currentYear);
  return parsed === undefined ? rejected(`is not a date (expected e.g. 2024-03-31, ${options.order === 'dmy' ? '31/03/2024' : '03/31/2024'}, 31 Mar 2024 or an Excel day number)`) : accepted(parsed);
}

/** The number of the digits at [start, end), or -1 when any is not a digit. */
function digitsAt(cell: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index += 1) {
    const code = cell.charCodeAt(index) - 0x30;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/**
 * The two forms nearly every export writes — `2024-03-31` and `31/03/2024` (or `.`/`-`) — read
 * in one pass without regular expressions; undefined for anything else (and for a day that does
 * not exist), which `readDate` then reads or explains. This runs for every date cell of every import.
 */
function plainDate(cell: string, order: DayMonthOrder): string | undefined {
  if (cell.length !== 10) return undefined;
  if (cell[4] === '-' && cell[7] === '-') return isoOf(digitsAt(cell, 0, 4), digitsAt(cell, 5, 7), digitsAt(cell, 8, 10));
  const separator = cell[2];
  if ((separator !== '/' && separator !== '.' && separator !== '-') || cell[5] !== separator) return undefined;
  const first = digitsAt(cell, 0, 2);
  const second = digitsAt(cell, 3, 5);
  const year = digitsAt(cell, 6, 10);
  return order === 'dmy' ? isoOf(year, second, first) : isoOf(year, first, second);
}

function readDate(cell: string, order: DayMonthOrder, referenceYear: number): string | undefined {
  const iso = isoDate.exec(cell);
  if (iso !== null) return timeOfDay.test(iso.groups?.['time'] ?? '') ? isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3])) : undefined;
  const compact = compactDate.exec(cell);
  if (compact !== null) return isoOf(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  if (excelSerial.test(cell)) return excelSerialDate(Number(cell));
  const readings = dayMonthReadings(cell, referenceYear);
  if (readings !== undefined) return readings[order];
  const dayFirst = dayNamedMonth.exec(cell);
  if (dayFirst !== null) {
    const month = monthOfName(dayFirst[2] ?? '');
    return month === undefined ? undefined : isoOf(fullYear(dayFirst[3] ?? '', referenceYear), month, Number(dayFirst[1]));
  }
  const monthFirst = namedMonthDay.exec(cell);
  if (monthFirst !== null) {
    const month = monthOfName(monthFirst[1] ?? '');
    return month === undefined ? undefined : isoOf(fullYear(monthFirst[3] ?? '', referenceYear), month, Number(monthFirst[2]));
  }
  return undefined;
}
