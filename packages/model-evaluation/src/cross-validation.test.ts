import { describe, expect, it } from 'vitest';
import { foldSplit, latestCutoffSplit, selectRows, stratifiedKFold } from './cross-validation.js';
import { matrixOf } from './test-support/feature-matrix.js';
import { seededRandom } from './test-support/seeded-random.js';

describe('stratified k-fold', () => {
  const random = seededRandom(31);
  const labels = Float64Array.from({ length: 1003 }, () => (random.uniform() < 0.13 ? 1 : 0));

  it('puts each class evenly into every fold, fold sizes within one row', () => {
    const folds = stratifiedKFold(labels, 5, 'seed');
    for (const label of [0, 1]) {
      const perFold = [0, 1, 2, 3, 4].map((fold) => labels.filter((value, row) => value === label && folds[row] === fold).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
    const sizes = [0, 1, 2, 3, 4].map((fold) => folds.filter((value) => value === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(1003);
  });

  it('is the same for the same seed and different for another', () => {
    expect(stratifiedKFold(labels, 5, 7)).toEqual(stratifiedKFold(labels, 5, 7));
    expect(stratifiedKFold(labels, 5, 7)).not.toEqual(stratifiedKFold(labels, 5, 8));
  });

  it('splits rows into a validation fold and the rest', () => {
    const folds = stratifiedKFold(labels, 4, 1);
    const split = foldSplit(folds, 2);
    expect(split.train.length + split.validation.length).toBe(labels.length);
    expect(Array.from(split.validation).every((row) => folds[row] === 2)).toBe(true);
    expect(Array.from(split.train).every((row) => folds[row] !== 2)).toBe(true);
  });

  it('refuses k below 2 or above the row count', () => {
    expect(() => stratifiedKFold(labels, 1)).toThrow(/k must be an integer from 2/);
    expect(() => stratifiedKFold(Float64Array.of(0, 1), 3)).toThrow(/k must be an integer from 2/);
  });
});

describe('time-based split', () => {
  it('validates on the latest cutoff and trains on the earlier ones', () => {
    const split = latestCutoffSplit(Int32Array.of(3, 1, 3, 2, 1));
    expect(split.latestCutoff).toBe(3);
    expect(Array.from(split.validation)).toEqual([0, 2]);
    expect(Array.from(split.train)).toEqual([1, 3, 4]);
  });

  it('needs two cutoffs', () => {
    expect(() => latestCutoffSplit([5, 5])).toThrow(/at least two cutoffs/);
  });
});

describe('row selection', () => {
  it('copies the chosen rows of every column', () => {
    const matrix = matrixOf({ a: [1, 2, 3], b: [4, Number.NaN, 6] });
    const subset = selectRows(matrix, Int32Array.of(2, 1));
    expect(subset.rowCount).toBe(2);
    expect(subset.columns.map((column) => Array.from(column))).toEqual([
      [3, 2],
      [6, Number.NaN],
    ]);
  });
});
