import type { CsvRecord } from '../files/csv-tokenizer.js';
import type { PresetAttribute } from '../presets/preset-types.js';
import { headerKey } from '../reference/column-mapping.js';
import { inferAmountColumn, type DecimalSeparator } from '../values/amount-parsing.js';
import type { AttributeColumn } from './attribute-cells.js';

/**
 * Where each attribute's column is and, for a numeric one, its decimal separator: decided from the
 * column's sample like an amount column's (never cell by cell), else the preset's default.
 */
export function attributeColumns(attributes: readonly PresetAttribute[], headers: readonly string[], sample: readonly CsvRecord[], defaultSeparator: DecimalSeparator): AttributeColumn[] {
  const columnOf = new Map(headers.map((header, index) => [headerKey(header), index]));
  return attributes.flatMap((attribute) => {
    const column = columnOf.get(headerKey(attribute.header));
    if (column === undefined) return [];
    const inference = attribute.kind === 'numeric' ? inferAmountColumn(sample.map((record) => record.fields[column] ?? '')) : undefined;
    return [{ column, name: attribute.name, kind: attribute.kind, decimalSeparator: inference?.status === 'resolved' ? inference.decimalSeparator : defaultSeparator }];
  });
}

/** Attributes whose column the file lacks, as the import names them ("attribute wealth (column Wealth)"). */
export function missingAttributeColumns(attributes: readonly PresetAttribute[], headers: readonly string[]): string[] {
  const keys = new Set(headers.map(headerKey));
  return attributes.filter((attribute) => !keys.has(headerKey(attribute.header))).map((attribute) => `attribute ${attribute.name} (column ${attribute.header})`);
}
