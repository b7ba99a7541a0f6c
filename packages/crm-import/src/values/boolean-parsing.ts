import { accepted, blank, rejected, trimCell, type CellResult } from './cell-result.js';

// Spellings seen in CRM exports: checkbox fields (TRUE/FALSE, 1/0, X), yes/no pick-lists, and the
// same in the languages of European charities' CRMs. Compared lower-cased and trimmed.
const trueSpellings = new Set(['true', 't', 'yes', 'y', '1', '-1', 'x', '✓', '✔', 'on', 'checked', 'ja', 'j', 'oui', 'si', 'sí', 'wahr', 'vrai', 'waar']);
const falseSpellings = new Set(['false', 'f', 'no', 'n', '0', 'off', 'unchecked', 'nein', 'non', 'nee', 'falsch', 'faux', 'onwaar']);

/** A yes/no cell. Blank is "not given" (null); the caller decides what that means for the field. */
export function parseBoolean(text: string): CellResult<boolean> {
  const cell = trimCell(text).toLowerCase();
  if (cell === '') return blank;
  if (trueSpellings.has(cell)) return accepted(true);
  if (falseSpellings.has(cell)) return accepted(false);
  return rejected('is not a yes/no value (expected e.g. true/false, yes/no, 1/0)');
}
