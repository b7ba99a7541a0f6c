import { isAppError } from '@kindling/errors';
import { describe, expect, it } from 'vitest';
import { minimumParallelRows, predict, predictLeafIndices, predictRaw } from './predictor.js';
import { createSeededRandom } from './seeded-random.js';
import { evaluateHandTree, featuresOf, flatten, handEnsemble, matrixOf, randomHandTree, randomRows, type HandNode } from './test-support/hand-built-trees.js';
import type { FeatureKind, FeatureMatrix, TreeEnsemble } from './tree-model.js';

const kinds: FeatureKind[] = ['numeric', 'categorical', 'numeric', 'numeric', 'categorical'];
const categoryCount = 37; // more than 32 codes, so bitsets span two words

const numericKinds: FeatureKind[] = ['numeric', 'numeric', 'numeric', 'numeric'];

/**
 * Random trees and rows. With categorical features most trees have a categorical split and are
 * scored by the JavaScript kernel; with numeric features only, every tree goes to the WebAssembly one.
 */
function randomCase(seed: number, treeCount: number, rowCount: number, featureKinds = kinds) {
  const random = createSeededRandom(seed);
  const features = featuresOf(featureKinds, categoryCount);
  const hand = Array.from({ length: treeCount }, () => randomHandTree(random, { kinds: featureKinds, maxDepth: 6, categoryCount }));
  const rows = randomRows(random, featureKinds, categoryCount, rowCount);
  return { hand, rows, model: handEnsemble(hand, features, 0.25), matrix: matrixOf(features, rows) };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('predictRaw', () => {
  it('equals the base score plus a plain recursive walk of every nested tree, for every row', () => {
    for (const [seed, featureKinds] of [[1, kinds], [2, kinds], [3, numericKinds], [4, numericKinds]] as const) {
      // Over 1,024 rows, so scoring crosses a block boundary; 2,501 is not a multiple of the WebAssembly kernel's 8 lanes.
      const { hand, rows, model, matrix } = randomCase(seed, 25, 2501, featureKinds);
      const raw = predictRaw(model, matrix);
      rows.forEach((row, index) => {
        const expected = hand.reduce((sum, tree) => sum + evaluateHandTree(tree, row), 0.25);
        expect(raw[index]).toBeCloseTo(expected, 12);
      });
    }
  });

  it('walks a deep, lopsided tree to the end for every row', () => {
    // A chain of 40 splits: row value v leaves at the first threshold it does not exceed.
    const chain = (depth: number): HandNode =>
      depth === 40 ? { leaf: 1000, cover: 1 } : { feature: depth % 2, threshold: depth / 40, missingLeft: depth % 3 === 0, left: { leaf: depth, cover: 1 }, right: chain(depth + 1) };
    const tree = chain(0);
    const features = featuresOf(['numeric', 'numeric'], 0);
    const model = handEnsemble([tree, tree], features);
    const rows = Array.from({ length: 300 }, (_, index) => [index % 7 === 0 ? Number.NaN : (index % 45) / 40, ((index * 7) % 45) / 40]);
    const raw = predictRaw(model, matrixOf(features, rows));
    rows.forEach((row, index) => {
      expect(raw[index]).toBe(2 * evaluateHandTree(tree, row));
    });
  });

  it('routes values equal to a threshold left, NaN by the missing direction, and unseen or fractional codes right', () => {
    const tree: HandNode = {
      feature: 0,
      threshold: 0.5,
      missingLeft: false,
      left: { feature: 1, categoriesLeft: [2, 33], missingLeft: true, left: { leaf: 1, cover: 1 }, right: { leaf: 2, cover: 1 } },
      right: { leaf: 3, cover: 1 },
    };
    const model = handEnsemble([tree], featuresOf(['numeric', 'categorical'], 40));
    const rows = [
      [0.5, 2],
      [0.5, 33],
      [0.5, 3],
      [0.5, Number.NaN],
      [0.5, 2.5],
      [0.5, 64],
      [0.5, -1],
      [Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 2],
      [Number.NEGATIVE_INFINITY, 2],
      [0.5000000000000001, 2],
    ];
    expect([...predictRaw(model, matrixOf(model.features, rows))]).toEqual([1, 1, 2, 1, 2, 2, 2, 3, 3, 1, 3]);
  });

  it('keeps a missing-goes-left split exact at the threshold and at the largest and smallest doubles', () => {
    const thresholds = [0, -0.3, 1e-300, Number.MAX_VALUE, -Number.MAX_VALUE, 7];
    const values = [0, -0, 1e-300, 5e-324, -0.3, Number.MAX_VALUE, -Number.MAX_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 7, 7.000000000000001];
    for (const threshold of thresholds) {
      for (const missingLeft of [true, false]) {
        const tree: HandNode = { feature: 0, threshold, missingLeft, left: { leaf: -1, cover: 1 }, right: { leaf: 1, cover: 1 } };
        const model = handEnsemble([tree], featuresOf(['numeric'], 0));
        const raw = predictRaw(model, matrixOf(model.features, values.map((value) => [value])));
        const expected = values.map((value) => (Number.isNaN(value) ? (missingLeft ? -1 : 1) : value <= threshold ? -1 : 1));
        expect([...raw]).toEqual(expected);
      }
    }
  });

  it('scores non-finite thresholds by the same rules', () => {
    for (const threshold of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const tree: HandNode = { feature: 0, threshold, missingLeft: false, left: { leaf: -1, cover: 1 }, right: { leaf: 1, cover: 1 } };
      const model = handEnsemble([tree], featuresOf(['numeric'], 0));
      const values = [Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY, Number.NaN];
      const raw = predictRaw(model, matrixOf(model.features, values.map((value) => [value])));
      expect([...raw]).toEqual(values.map((value) => (!Number.isNaN(value) && value <= threshold ? -1 : 1)));
    }
  });

  it('gives the base score for a model with no trees, a root-only tree its value, and an empty matrix no rows', () => {
    const features = featuresOf(['numeric'], 0);
    const matrix = matrixOf(features, [[1], [2]]);
    expect([...predictRaw(handEnsemble([], features, -0.75), matrix)]).toEqual([-0.75, -0.75]);
    expect([...predictRaw(handEnsemble([{ leaf: 0.5, cover: 3 }], features, 1), matrix)]).toEqual([1.5, 1.5]);
    expect(predictRaw(handEnsemble([{ leaf: 0.5, cover: 3 }], features), matrixOf(features, [])).length).toBe(0);
  });
});

describe('predictRaw on several threads', () => {
  it('gives bit for bit the scores of one thread, categorical and missing values included', () => {
    for (const featureKinds of [kinds, numericKinds]) {
      const { model, matrix } = randomCase(6, 30, minimumParallelRows + 3001, featureKinds);
      const single = predictRaw(model, matrix);
      for (const threads of [2, 3]) {
        const parallel = predictRaw(model, matrix, { threads });
        expect(Buffer.from(parallel.buffer).equals(Buffer.from(single.buffer))).toBe(true);
      }
    }
    const { model, matrix } = randomCase(7, 10, minimumParallelRows);
    expect([...predict(model, matrix, { threads: 2 }).subarray(0, 5)]).toEqual([...predict(model, matrix).subarray(0, 5)]);
  });
});

describe('predict', () => {
  it('maps raw scores by the objective: sigmoid, exp, identity', () => {
    const { model, matrix } = randomCase(4, 10, 50);
    const raw = predictRaw(model, matrix);
    const logistic = predict({ ...model, objective: 'logistic' }, matrix);
    const tweedie = predict({ ...model, objective: 'tweedie' }, matrix);
    const squared = predict({ ...model, objective: 'squared-error' }, matrix);
    raw.forEach((value, index) => {
      expect(logistic[index]).toBeCloseTo(Math.exp(value) / (1 + Math.exp(value)), 14);
      expect(tweedie[index]).toBeCloseTo(Math.exp(value), 12);
      expect(squared[index]).toBe(value);
    });
  });
});

describe('predictLeafIndices', () => {
  it('finds for every row and tree the leaf whose value the raw score adds up', () => {
    const { model, matrix } = randomCase(5, 12, 300);
    const leaves = predictLeafIndices(model, matrix);
    const raw = predictRaw(model, matrix);
    for (let row = 0; row < matrix.rowCount; row += 1) {
      let sum = model.baseScore;
      model.trees.forEach((tree, index) => {
        const leaf = leaves[row * model.trees.length + index] ?? -1;
        expect(tree.splitFeature[leaf]).toBe(-1);
        sum += tree.value[leaf] ?? Number.NaN;
      });
      expect(raw[row]).toBeCloseTo(sum, 12);
    }
  });
});

describe('the feature check', () => {
  const features = featuresOf(['numeric', 'categorical', 'numeric'], 4);
  const model: TreeEnsemble = { objective: 'logistic', baseScore: 0, features, trees: [flatten({ leaf: 1, cover: 1 })] };
  const columns = [new Float64Array(2), new Float64Array(2), new Float64Array(2)];

  it('names the first feature that differs in name, kind or position', () => {
    const renamed: FeatureMatrix = { rowCount: 2, features: features.map((feature, index) => (index === 1 ? { ...feature, name: 'f9' } : feature)), columns };
    expect(refusal(() => predictRaw(model, renamed))).toBe('the feature matrix does not match the model: at position 1 the model expects categorical feature "f1" but the matrix has categorical feature "f9"');
    const rekinded: FeatureMatrix = { rowCount: 2, features: featuresOf(['numeric', 'numeric', 'numeric'], 4), columns };
    expect(refusal(() => predict(model, rekinded))).toMatch(/at position 1 the model expects categorical feature "f1" but the matrix has numeric feature "f1"/);
    const reordered: FeatureMatrix = { rowCount: 2, features: [...features].reverse(), columns };
    expect(refusal(() => predictRaw(model, reordered))).toMatch(/at position 0 the model expects numeric feature "f0" but the matrix has numeric feature "f2"/);
  });

  it('refuses missing or extra features and columns of the wrong length', () => {
    expect(refusal(() => predictRaw(model, { rowCount: 2, features: features.slice(0, 2), columns: columns.slice(0, 2) }))).toMatch(/at position 2 the model expects numeric feature "f2" but the matrix has no feature/);
    expect(refusal(() => predictRaw(model, { rowCount: 2, features: [...features, { name: 'extra', kind: 'numeric' }], columns: [...columns, new Float64Array(2)] }))).toMatch(
      /at position 3 the model expects no feature but the matrix has numeric feature "extra"/,
    );
    expect(refusal(() => predictRaw(model, { rowCount: 3, features, columns }))).toMatch(/column of "f0" has 2 values for 3 rows/);
    expect(refusal(() => predictLeafIndices(model, { rowCount: 2, features, columns: columns.slice(1) }))).toMatch(/2 columns for 3 features/);
  });
});
