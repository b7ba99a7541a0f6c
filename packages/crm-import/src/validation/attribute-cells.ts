import { parseAmount, type DecimalSeparator } from '../values/amount-parsing.js';
import { accepted, blank, rejected, type CellResult } from '../values/cell-result.js';
import { parseText } from './text-cells.js';

export type AttributeKind = 'numeric' | 'categorical';

/** A contact's custom attribute values by attribute name: model features, never personal data. */
export type CustomAttributeValues = Readonly<Record<string, string | number>>;

/** One column of a file kept as a custom contact attribute. */
export interface AttributeColumn {
  readonly column: number;
  readonly name: string;
  readonly kind: AttributeKind;
  /** Numeric attributes only: decided for the whole column, like an amount column's. */
  readonly decimalSeparator: DecimalSeparator;
}

/** Longest categorical value: a segment or branch name, not free text. */
export const maxCategoricalLength = 200;

// An address is personal data and would become a model feature here: refused, never stored.
const emailLike = /^[^\s@]{1,200}@[^\s@.]{1,200}\.[^\s@]{1,200}$/u;

/**
 * One attribute cell: a numeric attribute reads like an amount (`$186,800`, `1.234,5`, `(3)`),
 * a categorical one is trimmed text. Blanks are allowed (the contact has no value).
 */
export function parseAttributeCell(text: string, attribute: AttributeColumn, dollarCurrency: string): CellResult<string | number> {
  if (attribute.kind === 'numeric') {
    const amount = parseAmount(text, { decimalSeparator: attribute.decimalSeparator, dollarCurrency });
    if (!amount.ok) return rejected(`is not a number (the custom attribute ${attribute.name} is numeric)`);
    return amount.value === null ? blank : accepted(amount.value.amount);
  }
  const cell = parseText(text);
  if (!cell.ok || cell.value === null) return cell;
  if (cell.value.length > maxCategoricalLength) return rejected(`is longer than ${String(maxCategoricalLength)} characters (the custom attribute ${attribute.name} is categorical)`);
  if (emailLike.test(cell.value)) return rejected('looks like an e-mail address: custom attributes are model features and must not hold personal data');
  return cell;
}
