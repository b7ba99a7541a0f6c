import { referenceSchema } from '../reference/reference-schema.js';
import type { ImportPreset, PresetFile } from './preset-types.js';

/**
 * Kindling's own template: one file per entity named after it, headers are the reference field
 * names and choice cells hold the reference values themselves (no vocabulary needed).
 */
const genericFiles: readonly PresetFile[] = referenceSchema.map((entity) => ({
  entity: entity.name,
  label: `${entity.name}.csv`,
  // eslint-disable-next-line security/detect-non-literal-regexp -- built from the fixed entity names
  fileName: new RegExp(`^${entity.name}\\.csv$`, 'iu'),
  columns: entity.fields.map((field) => ({ header: field.name, field: field.name })),
}));

export const genericPreset: ImportPreset = {
  id: 'generic',
  name: 'Kindling template',
  // The template asks for ISO dates; day-first is the default for the UK charities it was written
  // for, and column inference overrules it when the cells say otherwise.
  dayMonthOrder: 'dmy',
  decimalSeparator: '.',
  files: genericFiles,
};
