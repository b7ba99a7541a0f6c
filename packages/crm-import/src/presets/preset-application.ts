import { entityNamed } from '../reference/reference-schema.js';
import { headerKey, type MappingSuggestion } from '../reference/column-mapping.js';
import { trimCell } from '../values/cell-result.js';
import type { ImportPreset, PresetFile } from './preset-types.js';

/** The cell under a header in the current row, or undefined when the file has no such column. */
export type CellLookup = (header: string) => string | undefined;

const valueKey = (value: string): string => trimCell(value).toLowerCase();

/** The preset file a zip entry is, by its base name; undefined when the preset does not know it. */
export function presetFileFor(preset: ImportPreset, fileName: string): PresetFile | undefined {
  const baseName = fileName.split(/[\\/]/u).at(-1) ?? fileName;
  return preset.files.find((file) => file.fileName.test(baseName));
}

/**
 * Maps a file's headers with the preset's exact column list (compared like `suggestMapping`:
 * case- and punctuation-blind), so a preset never guesses from aliases.
 */
export function presetColumnMapping(file: PresetFile, headers: readonly string[]): MappingSuggestion {
  const fieldOfKey = new Map(file.columns.filter((column) => column.field !== undefined).map((column) => [headerKey(column.header), column.field]));
  const known = new Set(file.columns.map((column) => headerKey(column.header)));
  const counts = new Map<string, number>();
  for (const header of headers) counts.set(headerKey(header), (counts.get(headerKey(header)) ?? 0) + 1);
  const columns: Record<string, number> = {};
  const unmatchedHeaders: string[] = [];
  headers.forEach((header, index) => {
    const key = headerKey(header);
    const field = fieldOfKey.get(key);
    if ((counts.get(key) ?? 0) > 1) return;
    if (field !== undefined && !(field in columns)) columns[field] = index;
    else if (!known.has(key) && key !== '') unmatchedHeaders.push(header);
  });
  const entity = entityNamed(file.entity);
  const defaulted = new Set(Object.keys(file.defaults ?? {}));
  const missingRequired = entity.fields.filter((field) => field.required && !(field.name in columns) && !defaulted.has(field.name)).map((field) => field.name);
  return {
    mapping: { entity: file.entity, columns },
    missingRequired,
    unmatchedHeaders,
    // The first spelling of each repeated header names it.
    duplicateHeaders: headers.filter((header, index) => (counts.get(headerKey(header)) ?? 0) > 1 && headers.findIndex((other) => headerKey(other) === headerKey(header)) === index),
  };
}

/** Whether a row is a record of the file's entity at all (see `PresetRowFilter`). */
export function presetKeepsRow(file: PresetFile, cellOf: CellLookup): boolean {
  if (file.rowFilter === undefined) return true;
  const cell = cellOf(file.rowFilter.column);
  if (cell === undefined) return true;
  const key = valueKey(cell);
  return file.rowFilter.keep.some((kept) => valueKey(kept) === key);
}

/**
 * A choice field's reference value for a row: a derived value when its rule fires, else the
 * vocabulary's reading of the cell, else the default for a blank. Undefined means the CRM value is
 * not in the vocabulary: the person mapping the import decides, never a guess. A field without a
 * vocabulary (the generic template) holds reference values already; the caller validates them.
 */
export function presetChoiceValue(file: PresetFile, field: string, cellOf: CellLookup): string | undefined {
  for (const rule of file.derived ?? []) {
    if (rule.field !== field) continue;
    const cell = cellOf(rule.column);
    if (cell === undefined || trimCell(cell) === '') continue;
    if (rule.when === 'non-blank' || rule.when.some((value) => valueKey(value) === valueKey(cell))) return rule.value;
  }
  const header = file.columns.find((column) => column.field === field)?.header;
  const cell = header === undefined ? undefined : cellOf(header);
  if (cell === undefined || trimCell(cell) === '') return file.defaults?.[field];
  const vocabulary = file.vocabularies?.[field];
  if (vocabulary === undefined) return trimCell(cell);
  const key = valueKey(cell);
  return Object.entries(vocabulary).find(([crmValue]) => valueKey(crmValue) === key)?.[1];
}
