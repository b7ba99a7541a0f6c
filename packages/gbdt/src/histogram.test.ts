import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, defaultBinningOptions, fitBinMappers, type BinnedMatrix } from './binning.js';
import { buildHistogram, createHistogram, createHistogramLayout, createHistogramScratch, subtractHistogram } from './histogram.js';
import { tinyDataSet } from './test-support/tiny-data.js';

/** The histogram by definition: one row at a time, no ordering tricks. */
function naiveHistogram(binned: BinnedMatrix, rows: readonly number[], features: readonly number[], gradients: Float64Array, hessians: Float64Array): Float64Array {
  const layout = createHistogramLayout(binned);
  const out = createHistogram(layout);
  for (const feature of features) {
    for (const row of rows) {
      const slot = 3 * ((layout.offsets[feature] ?? 0) + (binned.columns[feature]?.[row] ?? 0));
      out[slot] = (out[slot] ?? 0) + (gradients[row] ?? 0);
      out[slot + 1] = (out[slot + 1] ?? 0) + (hessians[row] ?? 0);
      out[slot + 2] = (out[slot + 2] ?? 0) + 1;
    }
  }
  return out;
}

function expectClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    expect(Math.abs(value - (expected[i] ?? 0))).toBeLessThan(1e-9);
  });
}

function setup(seed: number): { binned: BinnedMatrix; gradients: Float64Array; hessians: Float64Array } {
  const data = tinyDataSet(seed, seed % 2 === 0);
  // Several copies of the columns so that the four-features-at-a-time kernel and its remainder both run.
  const matrix = { ...data.matrix, features: [...data.matrix.features, ...data.matrix.features, ...data.matrix.features], columns: [...data.matrix.columns, ...data.matrix.columns, ...data.matrix.columns] };
  const binned = binMatrix(matrix, fitBinMappers(matrix, { ...defaultBinningOptions, minCategoryCount: 1 }));
  return { binned, gradients: data.gradients, hessians: data.hessians };
}

describe('histograms', () => {
  it('equal the row-by-row sums, for all rows and for a row list, over any feature subset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (seed, pick) => {
        const { binned, gradients, hessians } = setup(seed);
        const layout = createHistogramLayout(binned);
        const featureCount = binned.mappers.length;
        const features = Int32Array.from({ length: featureCount }, (_, f) => f).filter((f) => ((pick >> (f % 30)) & 1) === 1 || f === 0);
        const rows = Uint32Array.from({ length: binned.rowCount }, (_, row) => row).filter((row) => ((pick * (row + 1)) >> 3) % 3 !== 0);
        const scratch = createHistogramScratch(binned.rowCount);
        const all = createHistogram(layout);
        buildHistogram(all, layout, binned, features, { rows: null, start: 0, end: binned.rowCount }, gradients, hessians, scratch);
        expectClose(all, naiveHistogram(binned, Array.from({ length: binned.rowCount }, (_, row) => row), [...features], gradients, hessians));
        const part = createHistogram(layout);
        // The row list sits inside a larger array, as a node's slice of the grower's partition.
        const padded = Uint32Array.from([0, 0, ...rows, 0]);
        buildHistogram(part, layout, binned, features, { rows: padded, start: 2, end: 2 + rows.length }, gradients, hessians, scratch);
        expectClose(part, naiveHistogram(binned, [...rows], [...features], gradients, hessians));
      }),
      { numRuns: 100 },
    );
  });

  it('subtraction of a child from its parent equals the sibling built directly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (seed, split) => {
        const { binned, gradients, hessians } = setup(seed);
        const layout = createHistogramLayout(binned);
        const features = Int32Array.from({ length: binned.mappers.length }, (_, f) => f);
        const left = Uint32Array.from({ length: binned.rowCount }, (_, row) => row).filter((row) => (row * split) % 5 < 2);
        const right = Uint32Array.from({ length: binned.rowCount }, (_, row) => row).filter((row) => (row * split) % 5 >= 2);
        const scratch = createHistogramScratch(binned.rowCount);
        const parent = createHistogram(layout);
        buildHistogram(parent, layout, binned, features, { rows: null, start: 0, end: binned.rowCount }, gradients, hessians, scratch);
        const leftHistogram = createHistogram(layout);
        buildHistogram(leftHistogram, layout, binned, features, { rows: left, start: 0, end: left.length }, gradients, hessians, scratch);
        const rightDirect = createHistogram(layout);
        buildHistogram(rightDirect, layout, binned, features, { rows: right, start: 0, end: right.length }, gradients, hessians, scratch);
        subtractHistogram(parent, parent, leftHistogram);
        expectClose(parent, rightDirect);
      }),
      { numRuns: 100 },
    );
  });
});
