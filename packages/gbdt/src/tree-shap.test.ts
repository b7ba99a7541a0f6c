import { describe, expect, it } from 'vitest';
import { predictRaw } from './predictor.js';
import { createSeededRandom } from './seeded-random.js';
import { bruteForceShapley } from './test-support/brute-force-shapley.js';
import { featuresOf, handEnsemble, matrixOf, randomHandTree, randomRows, type HandNode } from './test-support/hand-built-trees.js';
import { expectedRawScore, shapValues } from './tree-shap.js';
import type { FeatureKind } from './tree-model.js';

function randomCase(seed: number, kinds: FeatureKind[], treeCount: number, rowCount: number, maxDepth = 5) {
  const random = createSeededRandom(seed);
  const categoryCount = 5;
  const features = featuresOf(kinds, categoryCount);
  const trees = Array.from({ length: treeCount }, () => randomHandTree(random, { kinds, maxDepth, categoryCount }));
  const rows = randomRows(random, kinds, categoryCount, rowCount);
  return { rows, model: handEnsemble(trees, features, -0.3), matrix: matrixOf(features, rows) };
}

const mixedKinds: FeatureKind[] = ['numeric', 'categorical', 'numeric', 'numeric', 'categorical', 'numeric'];

describe('shapValues', () => {
  it('equals Shapley values enumerated over every feature subset, for single trees and ensembles', () => {
    const cases = [
      randomCase(11, ['numeric', 'numeric'], 1, 20, 3),
      randomCase(12, ['numeric', 'categorical', 'numeric'], 1, 30, 6),
      randomCase(13, mixedKinds, 1, 30, 7),
      randomCase(14, mixedKinds, 8, 30),
      randomCase(15, ['categorical', 'categorical', 'numeric', 'numeric'], 5, 30, 6),
    ];
    for (const { rows, model, matrix } of cases) {
      const shap = shapValues(model, matrix);
      const width = model.features.length + 1;
      rows.forEach((row, index) => {
        const oracle = bruteForceShapley(model, row);
        oracle.values.forEach((value, feature) => {
          expect(shap[index * width + feature]).toBeCloseTo(value, 9);
        });
        expect(shap[index * width + width - 1]).toBeCloseTo(oracle.bias, 9);
      });
    }
  });

  it('matches a stump worked by hand: the split feature takes the leaf minus the cover-weighted mean', () => {
    const stump: HandNode = { feature: 1, threshold: 2, missingLeft: false, left: { leaf: 4, cover: 3 }, right: { leaf: -8, cover: 1 } };
    const model = handEnsemble([stump], featuresOf(['numeric', 'numeric'], 0), 0.5);
    const shap = shapValues(model, matrixOf(model.features, [[9, 1], [9, 5], [9, Number.NaN]]));
    const mean = (3 * 4 + 1 * -8) / 4;
    expect([...shap]).toEqual([0, 4 - mean, 0.5 + mean, 0, -8 - mean, 0.5 + mean, 0, -8 - mean, 0.5 + mean]);
  });

  it('adds up to the raw score for every row (values plus expected value)', () => {
    for (const seed of [21, 22]) {
      const { model, matrix } = randomCase(seed, mixedKinds, 40, 400, 8);
      const shap = shapValues(model, matrix);
      const raw = predictRaw(model, matrix);
      const width = model.features.length + 1;
      for (let row = 0; row < matrix.rowCount; row += 1) {
        let sum = 0;
        for (let column = 0; column < width; column += 1) sum += shap[row * width + column] ?? Number.NaN;
        expect(Math.abs(sum - (raw[row] ?? 0))).toBeLessThan(1e-9);
      }
    }
  });

  it('gives exactly 0 to a feature no tree splits on', () => {
    const kinds: FeatureKind[] = ['numeric', 'numeric', 'categorical', 'numeric'];
    const random = createSeededRandom(31);
    const features = featuresOf(kinds, 4);
    // Trees over features 0, 1 and 3 only; feature 2 is present in the matrix but never used.
    const used: FeatureKind[] = ['numeric', 'numeric', 'numeric'];
    const remap = (node: HandNode): HandNode => ('leaf' in node ? node : { ...node, feature: node.feature === 2 ? 3 : node.feature, left: remap(node.left), right: remap(node.right) });
    const trees = Array.from({ length: 10 }, () => remap(randomHandTree(random, { kinds: used, maxDepth: 5, categoryCount: 4 })));
    const model = handEnsemble(trees, features);
    const matrix = matrixOf(features, randomRows(random, kinds, 4, 200));
    const shap = shapValues(model, matrix);
    for (let row = 0; row < matrix.rowCount; row += 1) expect(shap[row * 5 + 2]).toBe(0);
  });

  it('explains only the rows asked for, in the order asked', () => {
    const { model, matrix } = randomCase(41, mixedKinds, 6, 50);
    const all = shapValues(model, matrix);
    const some = shapValues(model, matrix, [7, 3, 7]);
    const width = model.features.length + 1;
    expect([...some]).toEqual([...all.subarray(7 * width, 8 * width), ...all.subarray(3 * width, 4 * width), ...all.subarray(7 * width, 8 * width)]);
    expect(() => shapValues(model, matrix, [50])).toThrow(/row 50 is outside the feature matrix \(50 rows\)/);
  });

  it('has the expected value of the training distribution as its bias', () => {
    const { model } = randomCase(51, mixedKinds, 5, 1);
    const oracle = bruteForceShapley(model, [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect(expectedRawScore(model)).toBeCloseTo(oracle.bias, 12);
  });
});
