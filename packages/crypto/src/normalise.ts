import { invalidInput } from './crypto-failure.js';
import { isWellFormedText } from './encryption-context.js';

/**
 * The one spelling of an e-mail address for blind indexes: Unicode NFC (so a composed and a
 * decomposed "é" index alike), surrounding whitespace removed, lower-cased. Lower-casing the
 * local part is what people expect, though RFC 5321 lets a server treat it case-sensitively.
 */
export function normaliseEmail(value: string): string {
  // NFC again after lower-casing: a few characters lower-case to a decomposed sequence (İ → i̇),
  // and the result must be a fixed point, or normalising twice would give two index values.
  const normalised = value.normalize('NFC').toLowerCase().normalize('NFC').trim();
  if (normalised.length === 0 || !isWellFormedText(normalised)) throw invalidInput('e-mail address is empty or not well-formed');
  return normalised;
}

/**
 * The one spelling of an identifier from another system (CRM constituent ids, Gift Aid
 * references): NFC, surrounding whitespace removed. Case is kept, since such ids may be
 * case-sensitive; a caller that knows its source is not can lower-case first.
 */
export function normaliseExternalId(value: string): string {
  const normalised = value.normalize('NFC').trim();
  if (normalised.length === 0 || !isWellFormedText(normalised)) throw invalidInput('external id is empty or not well-formed');
  return normalised;
}
