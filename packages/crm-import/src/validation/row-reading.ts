import type { CsvRecord } from '../files/csv-tokenizer.js';
import type { ColumnMapping } from '../reference/column-mapping.js';
import type { ReferenceEntity, ReferenceField } from '../reference/reference-schema.js';
import { parseAmount, type DecimalSeparator } from '../values/amount-parsing.js';
import { parseBoolean } from '../values/boolean-parsing.js';
import type { CellResult } from '../values/cell-result.js';
import { parseDate, type DayMonthOrder } from '../values/date-parsing.js';
import { parseAttributeCell, type AttributeColumn, type CustomAttributeValues } from './attribute-cells.js';
import { parseChoice, parseCurrency, parseInteger, parseText } from './text-cells.js';

/** A field's value; a contact row's `custom_attributes` holds the organisation's own attributes. */
export type ReferenceValue = string | number | boolean | null | CustomAttributeValues;
export type ReferenceRow = Readonly<Record<string, ReferenceValue>>;

/** Per-column conventions, decided once for the whole column (see column-formats.ts). */
export interface ColumnFormats {
  readonly dateOrders: Readonly<Record<string, DayMonthOrder>>;
  readonly decimalSeparators: Readonly<Record<string, DecimalSeparator>>;
}

export interface FileReadPlan {
  readonly fileName: string;
  readonly entity: ReferenceEntity;
  readonly headers: readonly string[];
  readonly mapping: ColumnMapping;
  readonly formats: ColumnFormats;
  /** The organisation's currency: a blank currency means this one, and so does a bare `$` when it is a dollar. */
  readonly organisationCurrency: string;
  /** The preset's words for choice values, by field (e.g. "Monthly" → "monthly"). */
  readonly vocabularies?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Columns kept as custom contact attributes (a saved mapping's); their values go to `custom_attributes`. */
  readonly attributes?: readonly AttributeColumn[];
}

/** One refused cell or row, as the validation report shows it. `value` may be personal: store it encrypted. */
export interface Rejection {
  readonly file: string;
  readonly line: number;
  /** The file's header for the cell, or null for a problem of the whole row. */
  readonly column: string | null;
  readonly value: string | null;
  readonly reason: string;
}

export type RowResult = { readonly ok: true; readonly row: ReferenceRow } | { readonly ok: false; readonly rejections: readonly Rejection[] };

function cellOf(field: ReferenceField, text: string, plan: FileReadPlan): CellResult<ReferenceValue> {
  switch (field.type) {
    case 'external-id':
    case 'text':
      return parseText(text);
    case 'date':
      return parseDate(text, { order: plan.formats.dateOrders[field.name] ?? 'dmy' });
    case 'amount': {
      const amount = parseAmount(text, { decimalSeparator: plan.formats.decimalSeparators[field.name] ?? '.', dollarCurrency: plan.organisationCurrency });
      return amount.ok ? { ok: true, value: amount.value?.amount ?? null } : amount;
    }
    case 'currency':
      return parseCurrency(text);
    case 'boolean':
      return parseBoolean(text);
    case 'integer':
      return parseInteger(text);
    case 'choice':
      return parseChoice(text, field.values ?? [], plan.vocabularies?.[field.name]);
  }
}

/** The currency an amount cell names, if any ("£5" names GBP), for checking it against the row's currency. */
function currencyNamedBy(text: string, field: ReferenceField, plan: FileReadPlan): string | null {
  const amount = parseAmount(text, { decimalSeparator: plan.formats.decimalSeparators[field.name] ?? '.', dollarCurrency: plan.organisationCurrency });
  return amount.ok ? (amount.value?.currency ?? null) : null;
}

/**
 * A field's text for this row when it does not come from its own cell: a preset's derived value
 * or default (e.g. an NPSP opportunity with a recurring donation is an instalment). Undefined: the cell decides.
 */
export type FieldOverride = (field: string) => string | undefined;

/**
 * One record of a file as a reference row, or every reason it is refused: all problems of a row
 * are reported at once, so a person fixes the file in one go.
 */
export function readReferenceRow(record: CsvRecord, plan: FileReadPlan, override?: FieldOverride): RowResult {
  const rejections: Rejection[] = [];
  const reject = (column: string | null, value: string | null, reason: string): void => {
    rejections.push({ file: plan.fileName, line: record.line, column, value, reason });
  };
  if (record.fields.length > plan.headers.length) {
    reject(null, null, `has ${String(record.fields.length)} values where the header has ${String(plan.headers.length)} columns (a delimiter inside an unquoted value?)`);
    return { ok: false, rejections };
  }
  const row: Record<string, ReferenceValue> = {};
  let namedCurrency: string | null = null;
  for (const field of plan.entity.fields) {
    const column = plan.mapping.columns[field.name];
    const text = override?.(field.name) ?? (column === undefined ? '' : (record.fields[column] ?? ''));
    const header = column === undefined ? field.name : (plan.headers[column] ?? field.name);
    const result = cellOf(field, text, plan);
    if (!result.ok) {
      reject(header, text, result.reason);
      continue;
    }
    if (result.value === null && field.required) {
      reject(header, text, 'is required');
      continue;
    }
    if (field.type === 'amount') namedCurrency ??= currencyNamedBy(text, field, plan);
    row[field.name] = result.value;
  }
  if (plan.attributes !== undefined && plan.attributes.length > 0) row['custom_attributes'] = readAttributes(record, plan, reject);
  if (plan.entity.fields.some((field) => field.type === 'currency')) {
    const given = (row['currency'] as string | null | undefined) ?? null;
    if (given !== null && namedCurrency !== null && given !== namedCurrency) reject(null, null, `names ${namedCurrency} in an amount but ${given} as its currency`);
    row['currency'] = given ?? namedCurrency ?? plan.organisationCurrency;
  }
  return rejections.length === 0 ? { ok: true, row } : { ok: false, rejections };
}

function readAttributes(record: CsvRecord, plan: FileReadPlan, reject: (column: string | null, value: string | null, reason: string) => void): CustomAttributeValues {
  const values: Record<string, string | number> = {};
  for (const attribute of plan.attributes ?? []) {
    const text = record.fields[attribute.column] ?? '';
    const result = parseAttributeCell(text, attribute, plan.organisationCurrency);
    if (!result.ok) reject(plan.headers[attribute.column] ?? attribute.name, text, result.reason);
    else if (result.value !== null) values[attribute.name] = result.value;
  }
  return values;
}
