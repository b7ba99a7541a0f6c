import { entityNamed, type FieldType, type ImportPreset, type PresetFile } from '@kindling/crm-import';
import type { Day } from '../simulation/day-numbers.js';
import { formatAmount, formatDate, formatDateOddly, type BooleanStyle } from './cell-formats.js';
import { blanks, oddDate, strayCurrencySymbol, trailingSpace, type Quirks } from './quirks.js';

/** A row in reference terms: dates are Day numbers, amounts and integers numbers, choices reference values. */
export type ReferenceRow = Readonly<Record<string, string | number | boolean | undefined>>;

/** Cells of columns no reference field names (ids, stage names, city): the layout supplies them. */
export type ExtraCells = (header: string, row: ReferenceRow) => string;

interface ColumnWriter {
  readonly header: string;
  cell(row: ReferenceRow, quirks: Quirks): string;
}

export interface PresetRowWriter {
  readonly headers: readonly string[];
  cells(row: ReferenceRow, quirks: Quirks): readonly string[];
}

export interface RowStyle {
  readonly preset: ImportPreset;
  readonly booleans: BooleanStyle;
  readonly currencySymbol: string;
  readonly extraCells: ExtraCells;
}

/**
 * What a CRM that cannot say a value records instead: an e-mail opened is, to a CRM that only
 * tracks responses, no response; an instalment or legacy is a plain donation (the preset's derived
 * rules then recover the finer value from another column).
 */
const coarserValues: Readonly<Record<string, string>> = {
  opened: 'no response', clicked: 'no response', bounced: 'no response', unsubscribed: 'no response', declined: 'no response',
  'recurring instalment': 'one-off', bequest: 'one-off', 'event income': 'one-off', 'in memoriam': 'one-off',
};

/** The CRM's word for a reference value: the vocabulary read backwards, else a coarser value's, else blank (unknown to the CRM). */
function crmValueOf(file: PresetFile, field: string): (value: string) => string {
  const vocabulary = file.vocabularies?.[field];
  if (vocabulary === undefined) return (value) => value;
  const entries = Object.entries(vocabulary);
  const reverse = (value: string | undefined): string | undefined => (value === undefined ? undefined : entries.find(([, reference]) => reference === value)?.[0]);
  return (value) => reverse(value) ?? reverse(coarserValues[value]) ?? '';
}

function fieldCell(type: FieldType, value: string | number | boolean, style: RowStyle, quirks: Quirks): string {
  switch (type) {
    case 'date':
      return oddDate(quirks) ? formatDateOddly(value as Day, style.preset.dayMonthOrder) : formatDate(value as Day, style.preset.dayMonthOrder);
    case 'amount':
      return strayCurrencySymbol(quirks, style.currencySymbol, formatAmount(value as number));
    case 'boolean':
      return value === true ? style.booleans[0] : style.booleans[1];
    case 'text':
      return trailingSpace(quirks, String(value));
    default:
      return String(value);
  }
}

function columnWriter(file: PresetFile, header: string, field: string | undefined, style: RowStyle): ColumnWriter {
  if (field !== undefined) {
    const type = entityNamed(file.entity).fields.find((candidate) => candidate.name === field)?.type ?? 'text';
    const crmValue = crmValueOf(file, field);
    return {
      header,
      cell: (row, quirks) => {
        const value = row[field];
        if (value === undefined || value === '' || blanks(quirks, field)) return '';
        return type === 'choice' ? crmValue(String(value)) : fieldCell(type, value, style, quirks);
      },
    };
  }
  if (file.rowFilter?.column === header) {
    const kept = file.rowFilter.keep[0] ?? '';
    return { header, cell: () => kept };
  }
  const rule = file.derived?.find((candidate) => candidate.column === header);
  if (rule !== undefined && rule.when !== 'non-blank') {
    const marker = rule.when[0] ?? '';
    return { header, cell: (row) => (row[rule.field] === rule.value ? marker : style.extraCells(header, row)) };
  }
  return { header, cell: (row) => style.extraCells(header, row) };
}

/** Writes reference rows in one preset file's layout: its headers, vocabularies and rules. */
export function presetRowWriter(file: PresetFile, style: RowStyle): PresetRowWriter {
  const columns = file.columns.map((column) => columnWriter(file, column.header, column.field, style));
  return { headers: columns.map((column) => column.header), cells: (row, quirks) => columns.map((column) => column.cell(row, quirks)) };
}
