import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMappers } from './binning.js';
import { toFlatTree } from './flat-tree-conversion.js';
import { createHistogramBuilder } from './histogram-builder.js';
import { createHistogramLayout, createHistogramScratch } from './histogram.js';
import { createSeededRandom } from './seeded-random.js';
import { growOracleTree } from './test-support/naive-tree-oracle.js';
import { treeDifference as difference } from './test-support/tree-comparison.js';
import { tinyDataSet } from './test-support/tiny-data.js';
import { growTree, type GrowerParams } from './tree-grower.js';
import type { FeatureMatrix, FlatTree } from './tree-model.js';

function growBinned(matrix: FeatureMatrix, gradients: Float64Array, hessians: Float64Array, weights: Float64Array | null, params: GrowerParams): FlatTree {
  const mappers = fitBinMappers(matrix, { maxBins: 255, minCategoryCount: 1, sampleSize: 200_000, seed: 0 });
  const binned = binMatrix(matrix, mappers);
  const features = Int32Array.from(mappers.keys());
  const layout = createHistogramLayout(binned);
  const partition = new Uint32Array(matrix.rowCount);
  const scratch = createHistogramScratch(matrix.rowCount);
  const histograms = createHistogramBuilder({ binned, layout, gradients, hessians, scratch, partition, capacity: params.maxLeaves, threads: 1 });
  const grown = growTree({ binned, layout, gradients, hessians, weights, rows: null, features, histograms, partition }, params);
  return toFlatTree(grown.tree, mappers);
}

function randomParams(seed: number, withCategorical: boolean): GrowerParams {
  const random = createSeededRandom(seed ^ 0x5bd1e995);
  const pick = <T>(values: readonly T[]): T => values[random.nextInt(values.length)] ?? (values[0] as T);
  return {
    lambdaL2: withCategorical ? 0 : pick([0, 0.5, 3]),
    catL2: 0,
    catSmooth: 0,
    minSamplesLeaf: withCategorical ? 1 : pick([1, 2, 3, 5]),
    minHessianLeaf: withCategorical ? 1e-3 : pick([1e-3, 0.5, 2]),
    minGainToSplit: pick([0, 0, 0.05]),
    maxLeaves: 2 + random.nextInt(12),
    maxDepth: pick([-1, -1, 1, 2, 3]),
    learningRate: pick([1, 0.1, 0.3]),
  };
}

describe('growTree against the exhaustive-split oracle', () => {
  const cases: [string, boolean][] = [
    ['numeric features with missing values', false],
    ['a categorical feature among numeric ones', true],
  ];
  for (const [title, withCategorical] of cases) {
    it(`grows the oracle's tree: ${title}`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const data = tinyDataSet(seed, withCategorical);
          const params = randomParams(seed, withCategorical);
          const tree = growBinned(data.matrix, data.gradients, data.hessians, null, params);
          const oracle = growOracleTree(data.matrix, data.gradients, data.hessians, null, { ...params });
          const problem = difference(tree, 0, oracle, data.matrix, 'root');
          expect(problem).toBeNull();
        }),
        { numRuns: 150 },
      );
    });
  }

  it('weights cover by sample weight and keeps cover[parent] = cover[left] + cover[right]', () => {
    const data = tinyDataSet(7, true);
    const random = createSeededRandom(99);
    const weights = Float64Array.from({ length: data.matrix.rowCount }, () => 0.5 + random.next());
    const params = randomParams(7, true);
    const tree = growBinned(data.matrix, data.gradients, data.hessians, weights, { ...params, maxLeaves: 8 });
    const oracle = growOracleTree(data.matrix, data.gradients, data.hessians, weights, { ...params, maxLeaves: 8 });
    expect(difference(tree, 0, oracle, data.matrix, 'root')).toBeNull();
    for (let node = 0; node < tree.splitFeature.length; node++) {
      const left = tree.left[node] ?? -1;
      if (left >= 0) expect(tree.cover[node]).toBe((tree.cover[left] ?? 0) + (tree.cover[tree.right[node] ?? -1] ?? 0));
    }
    expect(tree.splitFeature.length).toBeGreaterThan(1);
  });
});
