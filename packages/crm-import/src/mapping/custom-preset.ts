import { AppError } from '@kindling/errors';
import type { ImportPreset, PresetAttribute, PresetColumn, PresetFile } from '../presets/preset-types.js';
import type { DecimalSeparator } from '../values/amount-parsing.js';
import type { DayMonthOrder } from '../values/date-parsing.js';
import { mappingRefused, savedMappingProblems, type SavedMapping } from './saved-mapping.js';

export interface CustomPresetOptions {
  /** Unset: each date column decides from its values, and a column that reads both ways is a question. */
  readonly dayMonthOrder?: DayMonthOrder;
  readonly decimalSeparator?: DecimalSeparator;
}

// Gender codes nearly every system writes; other choice cells must hold the reference values.
const genderCodes: Readonly<Record<string, string>> = { f: 'female', m: 'male', u: 'unknown', o: 'other', 'not known': 'unknown' };

/** The file's base name, matched exactly (case-blind) and nothing else. */
function exactName(fileName: string): RegExp {
  const escaped = fileName.replaceAll(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  // eslint-disable-next-line security/detect-non-literal-regexp -- an escaped literal name: matches exactly that name
  return new RegExp(`^${escaped}$`, 'iu');
}

function presetFileOf(fileName: string, mapping: SavedMapping): PresetFile {
  const problems = savedMappingProblems(mapping);
  if (problems.length > 0) throw mappingRefused(problems, fileName);
  const columns: PresetColumn[] = [];
  const attributes: PresetAttribute[] = [];
  for (const { header, target } of mapping.columns) {
    if (target !== null && 'field' in target) columns.push({ header, field: target.field });
    else columns.push({ header });
    if (target !== null && 'attribute' in target) attributes.push({ header, name: target.attribute, kind: target.kind });
  }
  return {
    entity: mapping.entity,
    label: fileName,
    fileName: exactName(fileName),
    columns,
    ...(mapping.entity === 'contacts' ? { vocabularies: { gender: genderCodes }, attributes } : {}),
  };
}

/**
 * An import preset made of an organisation's saved mappings: each file is recognised by exactly
 * its name and read through its mapping, so the same reading, checks and writing as a CRM preset
 * apply. Custom attribute columns become the contact rows' `custom_attributes`.
 */
export function presetFromMappings(files: readonly { readonly fileName: string; readonly mapping: SavedMapping }[], options: CustomPresetOptions = {}): ImportPreset {
  if (files.length === 0) throw new AppError('VALIDATION_FAILED', 'Give a mapping for at least one file.');
  const names = new Set<string>();
  for (const { fileName } of files) {
    const base = fileName.split(/[\\/]/u).at(-1) ?? fileName;
    if (base.trim() === '' || base !== fileName) throw new AppError('VALIDATION_FAILED', `"${fileName}" is not a file name (give the name alone, without folders).`);
    if (names.has(base.toLowerCase())) throw new AppError('VALIDATION_FAILED', `${fileName} has two mappings: give one per file.`);
    names.add(base.toLowerCase());
  }
  return {
    id: 'custom',
    name: 'Saved mappings',
    dayMonthOrder: options.dayMonthOrder ?? null,
    decimalSeparator: options.decimalSeparator ?? '.',
    files: files.map(({ fileName, mapping }) => presetFileOf(fileName, mapping)),
  };
}
