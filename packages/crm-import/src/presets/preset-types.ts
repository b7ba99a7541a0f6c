import type { DecimalSeparator } from '../values/amount-parsing.js';
import type { DayMonthOrder } from '../values/date-parsing.js';
import type { ReferenceEntity } from '../reference/reference-schema.js';

/** One column a CRM writes. A column without `field` is known but not imported (or only steers rules). */
export interface PresetColumn {
  readonly header: string;
  readonly field?: string;
}

/**
 * Rows a CRM file holds that are not records of the entity (lost opportunities, pledges that are
 * promises rather than money): only rows whose `column` is one of `keep` are imported; the rest are
 * skipped and counted, never reported as errors. Compared case-blind and trimmed.
 */
export interface PresetRowFilter {
  readonly column: string;
  readonly keep: readonly string[];
  readonly why: string;
}

/**
 * A field value a CRM states in another column: e.g. an NPSP opportunity linked to a recurring
 * donation is an instalment. `when: 'non-blank'` means any value. It overrides the field's own column.
 */
export interface PresetDerivedValue {
  readonly field: string;
  readonly value: string;
  readonly column: string;
  readonly when: readonly string[] | 'non-blank';
}

/** A column kept as a custom contact attribute of the organisation (a saved mapping's, never a CRM preset's). */
export interface PresetAttribute {
  readonly header: string;
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
}

/** How one export file of a CRM becomes one reference entity. */
export interface PresetFile {
  readonly entity: ReferenceEntity['name'];
  /** The CRM's own name for the object or export, as people say it ("Opportunity", "Gifts"). */
  readonly label: string;
  /** Recognises the file by its base name inside a zip (case-blind). */
  readonly fileName: RegExp;
  /** In the order the CRM (and the demo-data generator) writes them. */
  readonly columns: readonly PresetColumn[];
  /** Field → the CRM's value → the reference choice value. Keys compare case-blind and trimmed. */
  readonly vocabularies?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Field → value when the file has no column for it or the cell is blank. */
  readonly defaults?: Readonly<Record<string, string>>;
  readonly rowFilter?: PresetRowFilter;
  readonly derived?: readonly PresetDerivedValue[];
  readonly attributes?: readonly PresetAttribute[];
}

/** `custom`: built from an organisation's saved mappings (`presetFromMappings`), for layouts no preset knows. */
export type ImportPresetId = 'generic' | 'npsp' | 're-nxt' | 'dynamics' | 'donorfy' | 'civicrm' | 'custom';

/** What an import knows about a CRM before it reads a cell: file layout, vocabularies and formats. */
export interface ImportPreset {
  readonly id: ImportPresetId;
  readonly name: string;
  /**
   * The day-month order the CRM's exports usually write. A default only: column inference
   * (`inferDateColumn`) confirms or overrules it, and decides alone when this is null (ISO exports).
   */
  readonly dayMonthOrder: DayMonthOrder | null;
  readonly decimalSeparator: DecimalSeparator;
  readonly files: readonly PresetFile[];
}
