import type { CsvRecord } from '../files/csv-tokenizer.js';
import type { ColumnMapping } from '../reference/column-mapping.js';
import type { ReferenceEntity } from '../reference/reference-schema.js';
import { inferAmountColumn, type DecimalSeparator } from '../values/amount-parsing.js';
import { inferDateColumn, type DayMonthOrder } from '../values/date-parsing.js';
import type { ColumnFormats } from './row-reading.js';

/** A column the data cannot decide and the person importing must: shown in the mapping step. */
export interface FormatQuestion {
  readonly field: string;
  readonly column: string;
  readonly kind: 'date-order' | 'decimal-separator';
  /** Values from the file that read two ways (dates only; amounts fall back to the preset). */
  readonly examples: readonly string[];
}

export interface FormatDecision {
  readonly formats: ColumnFormats;
  readonly questions: readonly FormatQuestion[];
}

export interface FormatDefaults {
  /** What the preset or the organisation says when a column does not decide. */
  readonly dateOrder?: DayMonthOrder;
  readonly decimalSeparator?: DecimalSeparator;
  /** Answers the person gave to earlier questions, by field; they win over everything. */
  readonly answers?: Readonly<Record<string, DayMonthOrder | DecimalSeparator>>;
}

/**
 * Decides each date column's day-month order and each amount column's decimal separator from
 * the column's values (a sample of the file's records), never cell by cell. What the values
 * prove wins over the preset's default. A column whose values read both ways takes the person's
 * earlier answer or the preset's or organisation's default, and otherwise becomes a question.
 */
export function decideColumnFormats(
  records: readonly CsvRecord[],
  entity: ReferenceEntity,
  mapping: ColumnMapping,
  headers: readonly string[],
  defaults: FormatDefaults = {},
): FormatDecision {
  const dateOrders: Record<string, DayMonthOrder> = {};
  const decimalSeparators: Record<string, DecimalSeparator> = {};
  const questions: FormatQuestion[] = [];
  for (const field of entity.fields) {
    const column = mapping.columns[field.name];
    if (column === undefined || (field.type !== 'date' && field.type !== 'amount')) continue;
    const header = headers[column] ?? field.name;
    const answer = defaults.answers?.[field.name];
    const cells = records.map((record) => record.fields[column] ?? '');
    if (field.type === 'date') {
      const inference = inferDateColumn(cells);
      if (answer === 'dmy' || answer === 'mdy') dateOrders[field.name] = answer;
      else if (inference.status === 'resolved') dateOrders[field.name] = inference.order;
      else if (defaults.dateOrder !== undefined) dateOrders[field.name] = defaults.dateOrder;
      else questions.push({ field: field.name, column: header, kind: 'date-order', examples: inference.examples });
    } else {
      const inference = inferAmountColumn(cells);
      if (answer === '.' || answer === ',') decimalSeparators[field.name] = answer;
      else if (inference.status === 'resolved') decimalSeparators[field.name] = inference.decimalSeparator;
      else if (defaults.decimalSeparator !== undefined) decimalSeparators[field.name] = defaults.decimalSeparator;
      else questions.push({ field: field.name, column: header, kind: 'decimal-separator', examples: [] });
    }
  }
  return { formats: { dateOrders, decimalSeparators }, questions };
}
