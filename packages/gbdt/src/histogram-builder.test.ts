import { describe, expect, it } from 'vitest';
import { binMatrix, defaultBinningOptions, fitBinMappers } from './binning.js';
import { createHistogramBuilder } from './histogram-builder.js';
import { buildHistogram, createHistogram, createHistogramLayout, createHistogramScratch } from './histogram.js';
import { createSeededRandom } from './seeded-random.js';
import { logisticSet } from './test-support/synthetic-data.js';
import { trainGbdt } from './train-gbdt.js';
import type { FeatureMatrix } from './tree-model.js';

/** The synthetic set with its columns repeated: enough (row, feature) work for the workers to be used. */
function wideSet(rowCount: number, copies: number): { matrix: FeatureMatrix; labels: Float64Array } {
  const { matrix, labels } = logisticSet(rowCount, 21);
  const features = Array.from({ length: copies }, (_, c) => matrix.features.map((feature) => ({ ...feature, name: `${feature.name}_${String(c)}` }))).flat();
  const columns = Array.from({ length: copies }, () => matrix.columns).flat();
  return { matrix: { rowCount, features, columns }, labels };
}

describe('threaded histogram building', () => {
  it('gives bit-identical histograms to the single-threaded build, for all rows and for a row list', () => {
    const { matrix } = wideSet(30_000, 3);
    const binned = binMatrix(matrix, fitBinMappers(matrix, defaultBinningOptions), true);
    const layout = createHistogramLayout(binned);
    const random = createSeededRandom(4);
    const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));
    const gradients = shared(matrix.rowCount);
    const hessians = shared(matrix.rowCount);
    for (let row = 0; row < matrix.rowCount; row++) {
      gradients[row] = random.next() - 0.5;
      hessians[row] = random.next();
    }
    const scratch = createHistogramScratch(matrix.rowCount, true);
    const partition = new Uint32Array(new SharedArrayBuffer(matrix.rowCount * 4));
    let count = 0;
    for (let row = 0; row < matrix.rowCount; row++) if (random.next() < 0.7) partition[count++] = row;
    const features = Int32Array.from({ length: matrix.features.length }, (_, f) => f).filter((f) => f !== 3);
    const builder = createHistogramBuilder({ binned, layout, gradients, hessians, scratch, partition, capacity: 4, threads: 2 });
    try {
      expect(builder.parallel).toBe(true);
      for (const node of [{ rows: null, start: 0, end: matrix.rowCount }, { rows: partition.subarray(0, count), start: 5, end: count - 7 }]) {
        const threaded = builder.acquire();
        expect(threaded.buffer).toBeInstanceOf(SharedArrayBuffer);
        builder.build(threaded, features, node);
        const single = createHistogram(layout);
        buildHistogram(single, layout, binned, features, node, gradients, hessians, createHistogramScratch(matrix.rowCount));
        expect(threaded).toEqual(single);
        expect(threaded.some((value) => value !== 0)).toBe(true);
      }
    } finally {
      builder.close();
    }
  });

  it('trains the same model with two threads as with one', () => {
    const { matrix, labels } = wideSet(30_000, 2);
    const params = { maxIterations: 4, rowSubsample: 0.8, featureSubsample: 0.9, seed: 3 };
    const one = trainGbdt(matrix, labels, { ...params, threads: 1 });
    const two = trainGbdt(matrix, labels, { ...params, threads: 2 });
    expect(two.model).toEqual(one.model);
    expect(two.history).toEqual(one.history);
  });
});
