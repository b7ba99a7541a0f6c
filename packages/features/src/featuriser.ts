import { AppError } from '@kindling/errors';
import type { FeatureMatrix, ModelFeature } from '@kindling/gbdt';
import { noDay, type ContactHistory } from './contact-history.js';
import { ContactFeaturiser, CutoffWindows } from './contact-featuriser.js';
import type { Day } from './day-numbers.js';
import type { FeatureDefinition } from './feature-definition.js';
import { customAttributeFeatures, featureCatalogue, fixedCategoryLevels } from './feature-catalogue.js';
import { FeatureLayout, resolveIndices } from './feature-layout.js';

/** The features of one history: the static catalogue plus the organisation's custom attributes. */
export interface HistoryCatalogue {
  readonly definitions: readonly FeatureDefinition[];
  /** What a model sees, in the same order: categorical features with their category count. */
  readonly features: readonly ModelFeature[];
  /** The meaning of each categorical feature's codes: code k is `categoryLevels[name][k]`. */
  readonly categoryLevels: Readonly<Record<string, readonly string[]>>;
}

export function catalogueFor(history: ContactHistory): HistoryCatalogue {
  const custom = customAttributeFeatures(history.customAttributes);
  const definitions = [...featureCatalogue, ...custom];
  const categoryLevels: Record<string, readonly string[]> = { ...fixedCategoryLevels, region: history.regionLevels, country: history.countryLevels };
  history.customAttributes.forEach((attribute, i) => {
    const name = custom[i]?.name;
    if (name !== undefined && attribute.kind === 'categorical') categoryLevels[name] = attribute.levels;
  });
  const features = definitions.map((definition): ModelFeature =>
    definition.kind === 'categorical' ? { name: definition.name, kind: 'categorical', categoryCount: categoryLevels[definition.name]?.length ?? 0 } : { name: definition.name, kind: 'numeric' },
  );
  return { definitions, features, categoryLevels };
}

export interface FeaturisationOptions {
  /** Compute these features only (catalogue names, in this order); every feature when absent. */
  readonly features?: readonly string[];
  /**
   * The category levels a model was trained with (`HistoryCatalogue.categoryLevels`), so a later
   * load of the history codes region, country and custom categories the same way; a value the
   * model never saw becomes missing.
   */
  readonly categoryLevels?: Readonly<Record<string, readonly string[]>>;
}

/** Re-codes categorical columns from this history's levels to the given ones (unknown: NaN). */
function recodeCategories(catalogue: HistoryCatalogue, positions: Int32Array, columns: readonly Float64Array[], wanted: Readonly<Record<string, readonly string[]>> | undefined): ModelFeature[] {
  return Array.from(positions, (position, j): ModelFeature => {
    const feature = catalogue.features[position] ?? { name: '', kind: 'numeric' };
    const target = wanted?.[feature.name];
    const own = catalogue.categoryLevels[feature.name];
    const column = columns[j];
    if (feature.kind !== 'categorical' || target === undefined || own === undefined || column === undefined) return feature;
    const index = new Map(target.map((level, code) => [level, code]));
    const recode = own.map((level) => index.get(level) ?? Number.NaN);
    for (let r = 0; r < column.length; r++) {
      const code = column[r] ?? Number.NaN;
      if (!Number.isNaN(code)) column[r] = recode[code] ?? Number.NaN;
    }
    return { name: feature.name, kind: 'categorical', categoryCount: target.length };
  });
}

export interface FeaturisedCutoff {
  readonly cutoff: Day;
  readonly matrix: FeatureMatrix;
  /** Row r describes contact `contacts[r]`: an index into `history.contactIds`. */
  readonly contacts: Int32Array;
}

/**
 * The day each contact first appears: its CRM creation date or its first gift, whichever is
 * earlier (CRM migrations often give long-standing donors a recent creation date; a gift is proof
 * of an earlier appearance). `noDay` for a contact with neither.
 */
export function firstSeenDays(history: ContactHistory): Int32Array {
  const seen = new Int32Array(history.contactCount);
  for (let c = 0; c < history.contactCount; c++) {
    const created = history.createdOn[c] ?? noDay;
    const firstGiftIndex = history.gifts.start[c] ?? 0;
    const firstGift = firstGiftIndex < (history.gifts.start[c + 1] ?? 0) ? (history.gifts.day[firstGiftIndex] ?? noDay) : noDay;
    seen[c] = created === noDay ? firstGift : firstGift === noDay ? created : Math.min(created, firstGift);
  }
  return seen;
}

/** Rows of several cutoffs stacked, grouped by cutoff (in the order given), then by contact. */
export interface StackedRows {
  readonly matrix: FeatureMatrix;
  readonly contacts: Int32Array;
  readonly cutoffIndex: Int32Array;
  /** Row ranges per cutoff: rows of cutoff k are blockStart[k] … blockStart[k + 1] - 1. */
  readonly blockStart: Int32Array;
}

function selectedPositions(layout: FeatureLayout, names: readonly string[] | undefined): Int32Array {
  if (names === undefined) return Int32Array.from({ length: layout.size }, (_, i) => i);
  return Int32Array.from(names, (name) => {
    const position = layout.indexOf(name);
    if (position === undefined) throw new AppError('VALIDATION_FAILED', `Unknown feature: ${name}`);
    return position;
  });
}

/** Rows per transposition block: a block of catalogue-wide rows stays in the core's L2 cache. */
const blockRows = 64;

/**
 * Rows are computed one at a time in catalogue order but stored column by column: a row written
 * straight into hundreds of columns touches a cache line per value, so rows are gathered in a
 * small row-major block and transposed into the columns a block at a time.
 */
class RowBuffer {
  private readonly data: Float64Array;
  private readonly rows: Float64Array[];
  private count = 0;

  constructor(private readonly stride: number) {
    this.data = new Float64Array(stride * blockRows);
    this.rows = Array.from({ length: blockRows }, (_, i) => this.data.subarray(i * stride, (i + 1) * stride));
  }

  nextRow(): Float64Array {
    const row = this.rows[this.count] ?? this.data;
    this.count++;
    return row;
  }

  full(): boolean {
    return this.count === blockRows;
  }

  /** Writes the buffered rows into `columns`, the last of them at row `end - 1`. */
  flush(columns: readonly Float64Array[], positions: Int32Array, end: number): void {
    const first = end - this.count;
    const { data, stride, count } = this;
    for (let j = 0; j < positions.length; j++) {
      const column = columns[j];
      if (column === undefined) continue;
      const position = positions[j] ?? 0;
      for (let i = 0; i < count; i++) column[first + i] = data[i * stride + position] ?? Number.NaN;
    }
    this.count = 0;
  }
}

/**
 * Featurises every included (contact, cutoff) pair in one pass over the contacts: each contact's
 * events are read once per cutoff, up to the cutoff only. `include[c * cutoffs.length + k]`
 * says whether contact c is a row at cutoff k (already limited to the population).
 */
export function featuriseRows(history: ContactHistory, cutoffs: readonly Day[], include: Uint8Array, options: FeaturisationOptions = {}): StackedRows {
  const catalogue = catalogueFor(history);
  const layout = new FeatureLayout(catalogue.definitions);
  const positions = selectedPositions(layout, options.features);
  const cutoffCount = cutoffs.length;
  const blockStart = new Int32Array(cutoffCount + 1);
  for (let c = 0; c < history.contactCount; c++) for (let k = 0; k < cutoffCount; k++) if (include[c * cutoffCount + k] === 1) blockStart[k + 1] = (blockStart[k + 1] ?? 0) + 1;
  for (let k = 0; k < cutoffCount; k++) blockStart[k + 1] = (blockStart[k + 1] ?? 0) + (blockStart[k] ?? 0);
  const rowCount = blockStart[cutoffCount] ?? 0;
  const columns = Array.from(positions, () => new Float64Array(rowCount));
  const contacts = new Int32Array(rowCount);
  const cutoffIndex = new Int32Array(rowCount);
  const next = blockStart.slice(0, cutoffCount);
  const windows = cutoffs.map((cutoff) => new CutoffWindows(cutoff));
  const customIndices = Int32Array.from(catalogue.definitions.slice(featureCatalogue.length), (definition) => layout.at(definition.name));
  const featuriser = new ContactFeaturiser(history, resolveIndices(layout), customIndices);
  const buffers = cutoffs.map(() => new RowBuffer(layout.size + 1));
  for (let c = 0; c < history.contactCount; c++) {
    for (let k = 0; k < cutoffCount; k++) {
      const cutoffWindows = windows[k];
      const buffer = buffers[k];
      if (include[c * cutoffCount + k] !== 1 || cutoffWindows === undefined || buffer === undefined) continue;
      featuriser.featurise(c, cutoffWindows, buffer.nextRow());
      const row = next[k] ?? 0;
      next[k] = row + 1;
      contacts[row] = c;
      cutoffIndex[row] = k;
      if (buffer.full()) buffer.flush(columns, positions, row + 1);
    }
  }
  buffers.forEach((buffer, k) => {
    buffer.flush(columns, positions, next[k] ?? 0);
  });
  const features = recodeCategories(catalogue, positions, columns, options.categoryLevels);
  return { matrix: { rowCount, features, columns }, contacts, cutoffIndex, blockStart };
}

/** Marks the population at each cutoff: contacts that had appeared (`firstSeenDays`) on or before it. */
export function populationMask(history: ContactHistory, cutoffs: readonly Day[]): Uint8Array {
  const seen = firstSeenDays(history);
  const mask = new Uint8Array(history.contactCount * cutoffs.length);
  for (let c = 0; c < history.contactCount; c++) {
    const first = seen[c] ?? noDay;
    if (first === noDay) continue;
    cutoffs.forEach((cutoff, k) => {
      if (first <= cutoff) mask[c * cutoffs.length + k] = 1;
    });
  }
  return mask;
}

/**
 * The features of every contact in the population at each cutoff, seeing only facts dated on
 * or before it (docs/features.md, "The point-in-time rule"). One cutoff gives one result; a list
 * gives one per cutoff, computed in a single pass over the contacts.
 */
export function featuriseAt(history: ContactHistory, cutoff: Day, options?: FeaturisationOptions): FeaturisedCutoff;
export function featuriseAt(history: ContactHistory, cutoffs: readonly Day[], options?: FeaturisationOptions): FeaturisedCutoff[];
export function featuriseAt(history: ContactHistory, cutoffs: Day | readonly Day[], options: FeaturisationOptions = {}): FeaturisedCutoff | FeaturisedCutoff[] {
  const list = typeof cutoffs === 'number' ? [cutoffs] : cutoffs;
  for (const cutoff of list) if (!Number.isInteger(cutoff)) throw new AppError('VALIDATION_FAILED', 'A cutoff is a whole day number');
  const stacked = featuriseRows(history, list, populationMask(history, list), options);
  const results = list.map((cutoff, k): FeaturisedCutoff => {
    const from = stacked.blockStart[k] ?? 0;
    const to = stacked.blockStart[k + 1] ?? 0;
    return {
      cutoff,
      contacts: stacked.contacts.subarray(from, to),
      matrix: { rowCount: to - from, features: stacked.matrix.features, columns: stacked.matrix.columns.map((column) => column.subarray(from, to)) },
    };
  });
  const [first] = results;
  if (typeof cutoffs !== 'number') return results;
  if (first === undefined) throw new AppError('INTERNAL', 'No result for the cutoff');
  return first;
}
