import { accepted, blank, rejected, trimCell, type CellResult } from '../values/cell-result.js';

/** Longest text a reference field takes; notes are the long ones. */
export const maxTextLength = 10_000;

// A spreadsheet formula: "=" (or "+"/"-"/"@" as spreadsheets also accept) followed by a
// function call or a cell reference. Refused on import so that a value can never turn back into
// a live formula when a list is exported and opened in a spreadsheet (CSV injection).
const formula = /^[=+@-]\s*(?:[A-Za-z_][A-Za-z0-9_.]*\s*\(|[A-Za-z]{1,3}\$?\d+)/u;

export function parseText(text: string): CellResult<string> {
  const cell = trimCell(text);
  if (cell === '') return blank;
  if (formula.test(cell)) return rejected('is a spreadsheet formula, not a value: formulas are refused so they can never run when data is exported again');
  if (cell.length > maxTextLength) return rejected(`is longer than ${String(maxTextLength)} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u.test(cell)) return rejected('contains control characters (binary data in a text column?)');
  return accepted(cell);
}

export function parseInteger(text: string): CellResult<number> {
  const cell = trimCell(text).replace(/\.0+$/u, '');
  if (cell === '') return blank;
  if (!/^-?\d{1,15}$/u.test(cell)) return rejected('is not a whole number');
  return accepted(Number(cell));
}

const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

export function parseCurrency(text: string): CellResult<string> {
  const cell = trimCell(text).toUpperCase();
  if (cell === '') return blank;
  return isoCurrencies.has(cell) ? accepted(cell) : rejected('is not an ISO 4217 currency code (e.g. GBP, EUR, USD)');
}

/**
 * A choice cell: the CRM's own word through the preset's vocabulary, else the reference value
 * itself (compared case- and spacing-blind).
 */
export function parseChoice(text: string, values: readonly string[], vocabulary: Readonly<Record<string, string>> = {}): CellResult<string> {
  const cell = trimCell(text);
  if (cell === '') return blank;
  const key = cell.toLowerCase().replaceAll(/\s+/gu, ' ');
  const mapped = Object.entries(vocabulary).find(([word]) => word.toLowerCase() === key)?.[1] ?? values.find((value) => value.toLowerCase() === key);
  return mapped === undefined ? rejected(`is not one of: ${values.join(', ')}`) : accepted(mapped);
}
