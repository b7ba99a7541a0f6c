import { AppError } from '@kindling/errors';
import type { FeatureKind, FeatureMatrix } from './tree-model.js';
import { createSeededRandom } from './seeded-random.js';

/**
 * Maps one feature's raw values to small integer bins, LightGBM-style. Bins `0..binCount-1` hold
 * present values; bin `binCount` holds missing values (NaN), so a feature uses `binCount + 1`
 * histogram slots and every bin index fits a Uint8Array (binCount <= 255).
 *
 * Numeric: a value x falls in the first bin b with x <= upperBounds[b]; the last bound is
 * +Infinity. So "bins 0..b go left" is exactly "x <= upperBounds[b] goes left" on raw values,
 * which is how splits become raw thresholds. Bounds are midpoints between adjacent distinct
 * training values. +/-Infinity are ordinary (extreme) values: they land in the first/last bin and
 * a split next to them uses the finite neighbour as threshold, so they always go to their side.
 *
 * Categorical: the most frequent codes (at most maxBins - 1, each seen at least minCategoryCount
 * times) get one bin each, in order of frequency; every rarer code pools into the last present
 * bin, the "other" bin, which also receives codes never seen in training. The split finder never
 * sends the other bin left, because a saved model sends codes outside its bitset right: pooled,
 * rare and unseen categories all share one fate, as in LightGBM.
 */
export interface BinMapper {
  readonly kind: FeatureKind;
  /** Number of bins for present values; the missing-value bin has index `binCount`. */
  readonly binCount: number;
  /** Numeric only: upper bound (inclusive, raw units) of each present bin; empty for categorical. */
  readonly upperBounds: Float64Array;
  /** Categorical only: the category code of each kept bin (length binCount - 1; the other bin is last). */
  readonly binCategory: Int32Array;
  /** Categorical only: category code → bin, -1 (other bin) for codes not kept. */
  readonly categoryBin: Int32Array;
}

export interface BinningOptions {
  /** Most bins for present values, 2..255. */
  readonly maxBins: number;
  /** Categorical codes seen fewer times than this pool into the other bin. */
  readonly minCategoryCount: number;
  /** Rows sampled to find quantiles when the matrix is larger (deterministic under `seed`). */
  readonly sampleSize: number;
  readonly seed: number;
}

export const defaultBinningOptions: BinningOptions = { maxBins: 255, minCategoryCount: 5, sampleSize: 200_000, seed: 0 };

/** A matrix as bins: one Uint8Array of `rowCount` bin indices per feature (column-major). */
export interface BinnedMatrix {
  readonly rowCount: number;
  readonly mappers: readonly BinMapper[];
  readonly columns: readonly Uint8Array[];
}

/** Learns one mapper per feature from the training matrix. */
export function fitBinMappers(matrix: FeatureMatrix, options: BinningOptions = defaultBinningOptions): BinMapper[] {
  if (!Number.isInteger(options.maxBins) || options.maxBins < 2 || options.maxBins > 255) {
    throw new AppError('VALIDATION_FAILED', `maxBins must be an integer from 2 to 255, got ${String(options.maxBins)}`);
  }
  const sample = sampleRows(matrix.rowCount, options.sampleSize, options.seed);
  return matrix.features.map((feature, index) => {
    const column = columnOf(matrix, index);
    const values = sample === null ? column : gather(column, sample);
    return feature.kind === 'categorical'
      ? fitCategoricalMapper(values, feature.name, options)
      : fitNumericMapper(values, options.maxBins);
  });
}

/**
 * Bins a matrix (training or validation) with mappers learned on the training matrix. With
 * `shared`, all columns live in one SharedArrayBuffer, so histogram workers can read them.
 */
export function binMatrix(matrix: FeatureMatrix, mappers: readonly BinMapper[], shared = false): BinnedMatrix {
  if (matrix.features.length !== mappers.length) {
    throw new AppError('VALIDATION_FAILED', `matrix has ${String(matrix.features.length)} features, the bin mappers ${String(mappers.length)}`);
  }
  const rowCount = matrix.rowCount;
  const storage = shared ? new SharedArrayBuffer(rowCount * mappers.length) : new ArrayBuffer(rowCount * mappers.length);
  const columns = mappers.map((mapper, index) => {
    const column = columnOf(matrix, index);
    const name = matrix.features[index]?.name ?? String(index);
    const out = new Uint8Array(storage, index * rowCount, rowCount);
    if (mapper.kind === 'categorical') binCategorical(column, mapper, name, out);
    else binNumeric(column, mapper, out);
    return out;
  });
  return { rowCount: matrix.rowCount, mappers, columns };
}

function columnOf(matrix: FeatureMatrix, index: number): Float64Array {
  const column = matrix.columns[index];
  if (column?.length !== matrix.rowCount) {
    throw new AppError('VALIDATION_FAILED', `feature column ${String(index)} must hold rowCount (${String(matrix.rowCount)}) values`);
  }
  return column;
}

function sampleRows(rowCount: number, sampleSize: number, seed: number): Uint32Array | null {
  if (rowCount <= sampleSize) return null;
  // Partial Fisher-Yates over row indices, then sorted so the gather walks memory forwards.
  const random = createSeededRandom(seed);
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  for (let i = 0; i < sampleSize; i++) {
    const j = i + random.nextInt(rowCount - i);
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order.slice(0, sampleSize).sort();
}

function gather(column: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i] ?? 0] ?? Number.NaN;
  return out;
}

/** A threshold t with a <= t < b, so that "x <= t" separates a from b even next to infinities. */
export function thresholdBetween(a: number, b: number): number {
  const middle = a / 2 + b / 2;
  return middle >= a && middle < b ? middle : a;
}

/** The 11-bit digit at `shift` of each 64-bit key (low word first). */
function radixDigits(keys: Uint32Array, digits: Uint16Array, count: number, shift: number): void {
  if (shift + 11 <= 32) {
    for (let i = 0; i < count; i++) digits[i] = ((keys[2 * i] ?? 0) >>> shift) & 2047;
  } else if (shift >= 32) {
    for (let i = 0; i < count; i++) digits[i] = ((keys[2 * i + 1] ?? 0) >>> (shift - 32)) & 2047;
  } else {
    for (let i = 0; i < count; i++) digits[i] = (((keys[2 * i] ?? 0) >>> shift) | ((keys[2 * i + 1] ?? 0) << (32 - shift))) & 2047;
  }
}

/** One stable counting-sort pass of 64-bit keys by their digits. */
function radixPass(source: Uint32Array, target: Uint32Array, digits: Uint16Array, buckets: Uint32Array, count: number): void {
  buckets.fill(0);
  for (let i = 0; i < count; i++) {
    const d = digits[i] ?? 0;
    buckets[d] = (buckets[d] ?? 0) + 1;
  }
  let sum = 0;
  for (let d = 0; d < 2048; d++) {
    const bucket = buckets[d] ?? 0;
    buckets[d] = sum;
    sum += bucket;
  }
  for (let i = 0; i < count; i++) {
    const d = digits[i] ?? 0;
    const at = buckets[d] ?? 0;
    buckets[d] = at + 1;
    target[2 * at] = source[2 * i] ?? 0;
    target[2 * at + 1] = source[2 * i + 1] ?? 0;
  }
}

function fitNumericMapper(values: Float64Array, maxBins: number): BinMapper {
  const present = presentSorted(values);
  const distinct: number[] = [];
  const counts: number[] = [];
  let i = 0;
  while (i < present.length) {
    const value = present[i] ?? 0;
    let j = i + 1;
    while (j < present.length && present[j] === value) j++;
    distinct.push(value);
    counts.push(j - i);
    i = j;
  }
  const bounds = distinct.length <= maxBins ? everyValueBounds(distinct) : equalFrequencyBounds(distinct, counts, present.length, maxBins);
  bounds.push(Number.POSITIVE_INFINITY);
  return { kind: 'numeric', binCount: bounds.length, upperBounds: Float64Array.from(bounds), binCategory: new Int32Array(0), categoryBin: new Int32Array(0) };
}

function presentSorted(values: Float64Array): Float64Array {
  const present = new Float64Array(values.length);
  let count = 0;
  for (const value of values) if (!Number.isNaN(value)) present[count++] = value;
  return radixSort(present.subarray(0, count));
}

/**
 * Sorts doubles (no NaN) ascending by an LSD radix sort on their bits, mapped so that unsigned
 * order is numeric order: ~10x faster than TypedArray#sort on 200k values, and binning sorts
 * every feature. -0 sorts before +0, which are equal values to every later step.
 */
export function radixSort(values: Float64Array): Float64Array {
  const count = values.length;
  if (count < 512) return values.slice().sort();
  const words = new Uint32Array(values.slice().buffer);
  for (let i = 0; i < count; i++) {
    const high = words[2 * i + 1] ?? 0;
    if (high >= 0x80000000) {
      words[2 * i] = ~(words[2 * i] ?? 0);
      words[2 * i + 1] = ~high;
    } else words[2 * i + 1] = high | 0x80000000;
  }
  let source = words;
  let target = new Uint32Array(2 * count);
  const digits = new Uint16Array(count);
  const buckets = new Uint32Array(2048);
  for (let shift = 0; shift < 64; shift += 11) {
    radixDigits(source, digits, count, shift);
    radixPass(source, target, digits, buckets, count);
    const swap = source;
    source = target;
    target = swap;
  }
  for (let i = 0; i < count; i++) {
    const high = source[2 * i + 1] ?? 0;
    if (high >= 0x80000000) source[2 * i + 1] = high & 0x7fffffff;
    else {
      source[2 * i] = ~(source[2 * i] ?? 0);
      source[2 * i + 1] = ~high;
    }
  }
  return new Float64Array(source.buffer, source.byteOffset, count);
}

function everyValueBounds(distinct: readonly number[]): number[] {
  const bounds: number[] = [];
  for (let j = 0; j + 1 < distinct.length; j++) bounds.push(thresholdBetween(distinct[j] ?? 0, distinct[j + 1] ?? 0));
  return bounds;
}

/**
 * Greedy equal-frequency bins over distinct values: a bin closes once it holds its share of the
 * remaining rows, and a value heavy enough to fill a share alone gets its own bin.
 */
function equalFrequencyBounds(distinct: readonly number[], counts: readonly number[], total: number, maxBins: number): number[] {
  const bounds: number[] = [];
  let rest = total;
  let open = 0;
  for (let j = 0; j + 1 < distinct.length; j++) {
    const count = counts[j] ?? 0;
    let binsLeft = maxBins - bounds.length;
    if (open > 0 && binsLeft > 2 && count >= rest / binsLeft) {
      bounds.push(thresholdBetween(distinct[j - 1] ?? 0, distinct[j] ?? 0));
      rest -= open;
      open = 0;
      binsLeft -= 1;
    }
    if (binsLeft <= 1) break;
    open += count;
    const valuesAfter = distinct.length - j - 1;
    if (open >= rest / binsLeft || valuesAfter < binsLeft) {
      bounds.push(thresholdBetween(distinct[j] ?? 0, distinct[j + 1] ?? 0));
      rest -= open;
      open = 0;
    }
  }
  return bounds;
}

function fitCategoricalMapper(values: Float64Array, name: string, options: BinningOptions): BinMapper {
  const counts = new Map<number, number>();
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    assertCategoryCode(value, name);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const kept = [...counts.entries()]
    .filter(([, count]) => count >= options.minCategoryCount)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, options.maxBins - 1)
    .map(([code]) => code);
  let largestCode = -1;
  for (const code of counts.keys()) largestCode = Math.max(largestCode, code);
  const categoryBin = new Int32Array(largestCode + 1).fill(-1);
  kept.forEach((code, bin) => (categoryBin[code] = bin));
  return { kind: 'categorical', binCount: kept.length + 1, upperBounds: new Float64Array(0), binCategory: Int32Array.from(kept), categoryBin };
}

function assertCategoryCode(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new AppError('VALIDATION_FAILED', `categorical feature "${name}" must hold integer codes >= 0 or NaN, found ${String(value)}`);
  }
}

function binNumeric(column: Float64Array, mapper: BinMapper, out: Uint8Array): void {
  const bounds = mapper.upperBounds;
  const missingBin = mapper.binCount;
  const last = bounds.length - 1;
  for (let i = 0; i < column.length; i++) {
    const value = column[i] ?? Number.NaN;
    if (Number.isNaN(value)) {
      out[i] = missingBin;
      continue;
    }
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (value <= (bounds[middle] ?? Number.POSITIVE_INFINITY)) high = middle;
      else low = middle + 1;
    }
    out[i] = low;
  }
}

function binCategorical(column: Float64Array, mapper: BinMapper, name: string, out: Uint8Array): void {
  const otherBin = mapper.binCount - 1;
  const missingBin = mapper.binCount;
  const lookup = mapper.categoryBin;
  for (let i = 0; i < column.length; i++) {
    const value = column[i] ?? Number.NaN;
    if (Number.isNaN(value)) {
      out[i] = missingBin;
      continue;
    }
    assertCategoryCode(value, name);
    const bin = value < lookup.length ? (lookup[value] ?? -1) : -1;
    out[i] = bin < 0 ? otherBin : bin;
  }
}
