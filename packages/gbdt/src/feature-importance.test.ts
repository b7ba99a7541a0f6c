import { describe, expect, it } from 'vitest';
import { evenSample, featureImportance, splitImportance } from './feature-importance.js';
import { createSeededRandom } from './seeded-random.js';
import { bruteForceShapley } from './test-support/brute-force-shapley.js';
import { featuresOf, handEnsemble, matrixOf, randomRows, type HandNode } from './test-support/hand-built-trees.js';
import type { FeatureKind } from './tree-model.js';

const kinds: FeatureKind[] = ['numeric', 'categorical', 'numeric', 'numeric'];
const features = featuresOf(kinds, 4);
// Feature 2 moves scores by whole units, feature 0 by tenths, feature 1 by hundredths; feature 3 is never used.
const trees: HandNode[] = [
  { feature: 2, threshold: 0.5, missingLeft: false, left: { leaf: -1, cover: 10 }, right: { leaf: 1, cover: 10 } },
  {
    feature: 0,
    threshold: 0.3,
    missingLeft: true,
    left: { feature: 1, categoriesLeft: [0, 2], missingLeft: false, left: { leaf: -0.11, cover: 4 }, right: { leaf: -0.09, cover: 4 } },
    right: { feature: 0, threshold: 0.7, missingLeft: true, left: { leaf: 0.05, cover: 6 }, right: { leaf: 0.15, cover: 6 } },
  },
];
const model = handEnsemble(trees, features, 0.1);

describe('featureImportance', () => {
  it('ranks features by mean |SHAP| over the rows, equal to the enumerated Shapley values', () => {
    const rows = randomRows(createSeededRandom(3), kinds, 4, 300);
    const importance = featureImportance(model, matrixOf(features, rows));
    const expected = features.map((_, feature) => rows.reduce((sum, row) => sum + Math.abs(bruteForceShapley(model, row).values[feature] ?? 0), 0) / rows.length);
    expect(importance.map((entry) => entry.feature)).toEqual(['f2', 'f0', 'f1', 'f3']);
    for (const entry of importance) expect(entry.meanAbsShap).toBeCloseTo(expected[Number(entry.feature.slice(1))] ?? Number.NaN, 12);
    expect(importance.at(-1)).toEqual({ feature: 'f3', meanAbsShap: 0, splitCount: 0, splitCover: 0 });
  });

  it('samples evenly and deterministically when the matrix has more rows than the sample', () => {
    expect([...evenSample(10, 4)]).toEqual([1, 3, 6, 8]);
    expect([...evenSample(3, 4)]).toEqual([0, 1, 2]);
    const matrix = matrixOf(features, randomRows(createSeededRandom(4), kinds, 4, 5000));
    const sampled = featureImportance(model, matrix, { sampleSize: 250 });
    expect(featureImportance(model, matrix, { sampleSize: 250 })).toEqual(sampled);
    const sampledRows = [...evenSample(5000, 250)].map((row) => features.map((_, feature) => matrix.columns[feature]?.[row] ?? Number.NaN));
    const onSample = featureImportance(model, matrixOf(features, sampledRows), { sampleSize: 250 });
    expect(onSample).toEqual(sampled);
  });

  it('gives zero importance for an empty matrix, still with split statistics', () => {
    expect(featureImportance(model, matrixOf(features, []))[0]).toEqual({ feature: 'f0', meanAbsShap: 0, splitCount: 2, splitCover: 32 });
  });
});

describe('splitImportance', () => {
  it('counts splits and the cover through them per feature', () => {
    expect(splitImportance(model)).toEqual([
      { feature: 'f0', splitCount: 2, splitCover: 20 + 12 },
      { feature: 'f2', splitCount: 1, splitCover: 20 },
      { feature: 'f1', splitCount: 1, splitCover: 8 },
      { feature: 'f3', splitCount: 0, splitCover: 0 },
    ]);
  });
});
