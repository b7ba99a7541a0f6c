import { AppError } from '@kindling/errors';
import type { FeatureMatrix } from '@kindling/gbdt';
import { requireRows, type NumericColumn } from './input-checks.js';

/** A 32-bit seed from a number or a string (FNV-1a), so a seed written in a config reproduces folds. */
function seedHash(seed: number | string): number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** mulberry32: small, fast, good enough to shuffle rows; the same seed gives the same sequence everywhere. */
function randomSource(seed: number | string): () => number {
  let state = seedHash(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stratified k-fold assignment: the fold (0..k−1) of each row. Each label value's rows are shuffled
 * with the seed and dealt round-robin, continuing from where the previous class stopped, so every
 * fold gets each class's share to within one row and fold sizes differ by at most one.
 */
export function stratifiedKFold(labels: NumericColumn, k: number, seed: number | string = 0): Int32Array {
  requireRows(labels.length);
  if (!Number.isInteger(k) || k < 2 || k > labels.length) {
    throw new AppError('VALIDATION_FAILED', `k must be an integer from 2 to the row count (${String(labels.length)}), got ${String(k)}`);
  }
  const byClass = new Map<number, number[]>();
  for (let row = 0; row < labels.length; row += 1) {
    const label = labels[row] ?? Number.NaN;
    if (Number.isNaN(label)) throw new AppError('VALIDATION_FAILED', `label at row ${String(row)} is missing`);
    const rows = byClass.get(label);
    if (rows === undefined) byClass.set(label, [row]);
    else rows.push(row);
  }
  const random = randomSource(seed);
  const folds = new Int32Array(labels.length);
  let dealt = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(label) ?? [];
    for (let index = rows.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      const held = rows[index] ?? 0;
      rows[index] = rows[swap] ?? 0;
      rows[swap] = held;
    }
    for (const row of rows) {
      folds[row] = dealt % k;
      dealt += 1;
    }
  }
  return folds;
}

export interface RowSplit {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/** Rows of one fold (validation) and of all the others (train). */
export function foldSplit(folds: Int32Array, fold: number): RowSplit {
  const train: number[] = [];
  const validation: number[] = [];
  for (let row = 0; row < folds.length; row += 1) (folds[row] === fold ? validation : train).push(row);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}

/**
 * Time-based split for rows built at several cutoff dates: validate on the rows of the latest cutoff,
 * train on the rows of every earlier one — the way a model will be used (trained on the past, scored
 * forward). Needs at least two distinct cutoffs.
 */
export function latestCutoffSplit(cutoffs: NumericColumn): RowSplit & { readonly latestCutoff: number } {
  requireRows(cutoffs.length);
  let latestCutoff = Number.NEGATIVE_INFINITY;
  let earliest = Number.POSITIVE_INFINITY;
  for (let row = 0; row < cutoffs.length; row += 1) {
    const cutoff = cutoffs[row] ?? Number.NaN;
    if (!Number.isFinite(cutoff)) throw new AppError('VALIDATION_FAILED', `cutoff at row ${String(row)} is ${String(cutoff)}; it must be a finite number`);
    latestCutoff = Math.max(latestCutoff, cutoff);
    earliest = Math.min(earliest, cutoff);
  }
  if (earliest === latestCutoff) throw new AppError('VALIDATION_FAILED', 'a time-based split needs rows from at least two cutoffs');
  const train: number[] = [];
  const validation: number[] = [];
  for (let row = 0; row < cutoffs.length; row += 1) (cutoffs[row] === latestCutoff ? validation : train).push(row);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation), latestCutoff };
}

/** The values of the given rows, in the given order. */
export function selectValues(column: NumericColumn, rows: Int32Array): Float64Array {
  const selected = new Float64Array(rows.length);
  for (let index = 0; index < rows.length; index += 1) selected[index] = column[rows[index] ?? 0] ?? Number.NaN;
  return selected;
}

/** A matrix of the given rows (copied column by column), same features. */
export function selectRows(matrix: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  return { rowCount: rows.length, features: matrix.features, columns: matrix.columns.map((column) => selectValues(column, rows)) };
}
