import { accepted, blank, rejected, trimCell, type CellResult } from './cell-result.js';

export type DecimalSeparator = '.' | ',';

export interface AmountParseOptions {
  /** Decided once per column (`inferAmountColumn`), never per cell: `1,234` means one thing in a column. */
  readonly decimalSeparator: DecimalSeparator;
  /** What a bare `$` means for this organisation (a dollar sign alone does not say which dollar). */
  readonly dollarCurrency: string;
}

export interface Amount {
  readonly amount: number;
  /** ISO 4217 code when the cell names a currency, by code or symbol; null when it names none. */
  readonly currency: string | null;
}

const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

// Symbols that name exactly one currency. `$` is resolved through the options; prefixed dollars
// (US$, A$, ...) name their country's.
const currencySymbols: Readonly<Record<string, string>> = {
  '£': 'GBP',
  '€': 'EUR',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₪': 'ILS',
  '₺': 'TRY',
  '₱': 'PHP',
  '₦': 'NGN',
  'R$': 'BRL',
  'US$': 'USD',
  'A$': 'AUD',
  'AU$': 'AUD',
  'C$': 'CAD',
  'CA$': 'CAD',
  'NZ$': 'NZD',
  'HK$': 'HKD',
  'S$': 'SGD',
  'zł': 'PLN',
  'Fr.': 'CHF',
};

const dollarSign = '$';
const symbolsLongestFirst = [...Object.keys(currencySymbols), dollarSign].sort((a, b) => b.length - a.length);
const isoCode = /^[A-Z]{3}$/u;
const separatorCharacters = new Set(['.', ',', ' ', '\u00a0', '\u202f', "'"]);
/** Longer cells are refused before any pattern runs, so no cell can make parsing slow. */
const maxAmountLength = 40;

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** Digits with separators between them, nothing else: `1,234.50`, `1 234,5`, `12`. */
function isPlainNumber(text: string): boolean {
  if (!isDigit(text[0]) || !isDigit(text.at(-1))) return false;
  let previousWasSeparator = false;
  for (const character of text) {
    const separator = separatorCharacters.has(character);
    if (!separator && !isDigit(character)) return false;
    if (separator && previousWasSeparator) return false;
    previousWasSeparator = separator;
  }
  return true;
}

/** `1234` or digits grouped in threes by one separator that is not the decimal one: `1,234,567`. */
function isGroupedInteger(text: string, decimalSeparator: DecimalSeparator): boolean {
  const separators = new Set(text.match(/\D/gu));
  if (separators.size === 0) return true;
  const [separator = ''] = separators;
  if (separators.size > 1 || separator === decimalSeparator) return false;
  const [head = '', ...groups] = text.split(separator);
  return head.length >= 1 && head.length <= 3 && groups.every((group) => group.length === 3);
}

function takeLeadingCurrency(text: string): { token: string; rest: string } | undefined {
  const symbol = symbolsLongestFirst.find((candidate) => text.startsWith(candidate));
  if (symbol !== undefined) return { token: symbol, rest: text.slice(symbol.length) };
  const code = text.slice(0, 3);
  const next = text[3];
  if (isoCode.test(code) && (next === ' ' || next === '(' || next === '-' || isDigit(next))) return { token: code, rest: text.slice(3) };
  return undefined;
}

function takeTrailingCurrency(text: string): { token: string; rest: string } | undefined {
  const symbol = symbolsLongestFirst.find((candidate) => text.endsWith(candidate));
  if (symbol !== undefined) return { token: symbol, rest: text.slice(0, -symbol.length) };
  const code = text.slice(-3);
  const before = text.at(-4);
  if (isoCode.test(code) && (before === ' ' || before === ')' || isDigit(before))) return { token: code, rest: text.slice(0, -3) };
  return undefined;
}

interface AmountParts {
  readonly negative: boolean;
  readonly currency: string | null;
  readonly number: string;
}

function currencyOf(token: string, dollarCurrency: string): string | null {
  const trimmed = token.trim();
  if (trimmed === dollarSign) return dollarCurrency;
  return currencySymbols[trimmed] ?? (isoCurrencies.has(trimmed) ? trimmed : null);
}

/** Peels signs, parentheses and currency tokens off both ends, in whatever order the export wrote them. */
function splitAmount(cell: string, dollarCurrency: string): AmountParts | string {
  let rest = cell;
  let negative = false;
  let currency: string | null = null;
  for (let pass = 0; pass < 4; pass += 1) {
    const before = rest;
    const parenthesised = /^\((.*)\)$/u.exec(rest);
    if (parenthesised?.[1] !== undefined) {
      if (negative) return 'has two minus signs';
      negative = true;
      rest = parenthesised[1].trim();
    }
    if (/^[-−]/u.test(rest) || /[-−]$/u.test(rest)) {
      if (negative) return 'has two minus signs';
      negative = true;
      rest = rest.replace(/^[-−]\s*|\s*[-−]$/u, '');
    }
    for (const take of [takeLeadingCurrency, takeTrailingCurrency]) {
      const taken = take(rest.trim());
      if (taken === undefined) continue;
      const found = currencyOf(taken.token, dollarCurrency);
      if (found === null) return 'names an unknown currency';
      if (currency !== null && currency !== found) return 'names two different currencies';
      currency = found;
      rest = taken.rest.trim();
    }
    rest = rest.trim();
    if (rest === before) break;
  }
  if (!isPlainNumber(rest)) return 'is not an amount (expected e.g. 1234.50, $1,234.50, 1.234,50 €, (12.00))';
  return { negative, currency, number: rest };
}

/** The decimal separator a cell proves, if any: `1,234.5` and `1.234.567` do; `1,234` does not. */
function decimalEvidence(number: string): DecimalSeparator | undefined {
  const dot = number.lastIndexOf('.');
  const comma = number.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
  const separator = dot >= 0 ? '.' : comma >= 0 ? ',' : undefined;
  if (separator === undefined) return undefined;
  const occurrences = number.split(separator).length - 1;
  if (occurrences > 1) return separator === '.' ? ',' : '.';
  const digitsAfter = number.length - number.lastIndexOf(separator) - 1;
  return digitsAfter === 3 ? undefined : separator;
}

export type AmountColumnInference =
  | { readonly status: 'resolved'; readonly decimalSeparator: DecimalSeparator; readonly contradicting: number }
  /** Every value reads the same either way (`12`, `1,000`): the preset or the organisation decides. */
  | { readonly status: 'undetermined' };

/** Decides a column's decimal separator from all its cells: the majority of the cells that prove one. */
export function inferAmountColumn(cells: Iterable<string>): AmountColumnInference {
  const votes = { '.': 0, ',': 0 };
  for (const text of cells) {
    const cell = trimCell(text);
    if (cell.length > maxAmountLength) continue;
    const parts = splitAmount(cell, 'USD');
    if (typeof parts === 'string') continue;
    const evidence = decimalEvidence(parts.number);
    if (evidence !== undefined) votes[evidence] += 1;
  }
  if (votes['.'] === 0 && votes[','] === 0) return { status: 'undetermined' };
  const decimalSeparator: DecimalSeparator = votes['.'] >= votes[','] ? '.' : ',';
  return { status: 'resolved', decimalSeparator, contradicting: decimalSeparator === '.' ? votes[','] : votes['.'] };
}

/** One amount cell, read with the column's decimal separator. Blank is null. */
export function parseAmount(text: string, options: AmountParseOptions): CellResult<Amount> {
  const cell = trimCell(text);
  if (cell === '') return blank;
  if (cell.length > maxAmountLength) return rejected('is too long to be an amount');
  const plain = plainAmount(cell, options);
  return plain === undefined ? parseAmountInFull(cell, options) : accepted(plain);
}

const zero = 0x30;
const nine = 0x39;

/**
 * The common case in one pass over the characters — an optional £, € or $ and a positive amount
 * in the column's convention (`25`, `£1,234.50`) — or undefined for anything else, which the full
 * parser then reads (and explains when it must refuse). It runs for every amount cell of every
 * import, so it builds no strings and runs no regular expressions; a test holds it to the full
 * parser.
 */
function plainAmount(cell: string, options: AmountParseOptions): Amount | undefined {
  const first = cell.charCodeAt(0);
  const currency = first === 0xa3 ? 'GBP' : first === 0x20ac ? 'EUR' : first === 0x24 ? options.dollarCurrency : null;
  const group = options.decimalSeparator === '.' ? 0x2c : 0x2e;
  const decimal = options.decimalSeparator.charCodeAt(0);
  let index = currency === null ? 0 : 1;
  let whole = 0;
  let digits = 0;
  let inGroup = 0;
  let grouped = false;
  for (; index < cell.length; index += 1) {
    const code = cell.charCodeAt(index);
    if (code >= zero && code <= nine) {
      whole = whole * 10 + (code - zero);
      digits += 1;
      inGroup += 1;
    } else if (code === group) {
      if (inGroup === 0 || (grouped ? inGroup !== 3 : inGroup > 3)) return undefined;
      grouped = true;
      inGroup = 0;
    } else if (code === decimal) {
      break;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 12 || (grouped && inGroup !== 3)) return undefined;
  if (index === cell.length) return { amount: whole, currency };
  const fractionStart = index + 1;
  for (index = fractionStart; index < cell.length; index += 1) {
    const code = cell.charCodeAt(index);
    if (code < zero || code > nine || index - fractionStart >= 6) return undefined;
  }
  if (fractionStart === cell.length) return undefined;
  return { amount: Number(`${String(whole)}.${cell.slice(fractionStart)}`), currency };
}

/** Every form `parseAmount` accepts, with the reason when it refuses. Exported for the test that holds the fast path to it. */
export function parseAmountInFull(cell: string, options: AmountParseOptions): CellResult<Amount> {
  const parts = splitAmount(cell, options.dollarCurrency);
  if (typeof parts === 'string') return rejected(parts);
  const evidence = decimalEvidence(parts.number);
  if (evidence !== undefined && evidence !== options.decimalSeparator) {
    return rejected(`uses "${evidence}" as the decimal separator where this column uses "${options.decimalSeparator}"`);
  }
  const [integerPart = '', fraction = '', ...extra] = parts.number.split(options.decimalSeparator);
  if (extra.length > 0 || !isGroupedInteger(integerPart, options.decimalSeparator) || !/^\d*$/u.test(fraction)) {
    return rejected('has misplaced thousands separators');
  }
  const digits = integerPart.replaceAll(/\D/gu, '');
  const amount = Number(`${digits}.${fraction === '' ? '0' : fraction}`);
  if (!Number.isFinite(amount) || amount > 1e12) return rejected('is too large to be an amount');
  return accepted({ amount: parts.negative ? -amount : amount, currency: parts.currency });
}
