import { isAppError } from '@kindling/errors';
import { describe, expect, it } from 'vitest';
import { logisticObjective } from './objectives.js';
import { createSeededRandom } from './seeded-random.js';
import { growOracleTree } from './test-support/naive-tree-oracle.js';
import { rawScores } from './test-support/raw-tree-scoring.js';
import { areaUnderCurve, logisticSet, tweedieSet } from './test-support/synthetic-data.js';
import { tinyDataSet } from './test-support/tiny-data.js';
import { treeDifference } from './test-support/tree-comparison.js';
import { trainGbdt } from './train-gbdt.js';
import type { FeatureMatrix, FlatTree } from './tree-model.js';

const train = logisticSet(4000, 1);
const valid = logisticSet(2000, 2);

function logLoss(scores: Float64Array, labels: Float64Array): number {
  let sum = 0;
  scores.forEach((s, i) => {
    const p = 1 / (1 + Math.exp(-s));
    sum -= (labels[i] === 1 ? Math.log(p) : Math.log(1 - p));
  });
  return sum / scores.length;
}

function sameTrees(a: readonly FlatTree[], b: readonly FlatTree[]): boolean {
  return a.length === b.length && a.every((tree, t) => {
    const other = b[t];
    return other !== undefined && tree.splitFeature.every((f, n) => f === other.splitFeature[n]) && tree.threshold.every((x, n) => Object.is(x, other.threshold[n])) && tree.value.every((v, n) => v === other.value[n]);
  });
}

describe('trainGbdt (logistic)', () => {
  const result = trainGbdt(train.matrix, train.labels, { maxIterations: 60 }, { validation: { matrix: valid.matrix, labels: valid.labels } });

  it('learns the signal: validation AUC close to that of the true log-odds', () => {
    const auc = areaUnderCurve(rawScores(result.model, valid.matrix), valid.labels);
    const oracleAuc = areaUnderCurve(valid.signal, valid.labels);
    expect(oracleAuc).toBeGreaterThan(0.8);
    expect(auc).toBeGreaterThan(oracleAuc - 0.03);
  });

  it('decreases the training loss every iteration', () => {
    const losses = result.history.map((record) => record.trainLoss);
    expect(losses.length).toBe(60);
    losses.slice(1).forEach((loss, i) => {
      expect(loss).toBeLessThanOrEqual(losses[i] ?? 0);
    });
    expect(losses.at(-1)).toBeLessThan(0.9 * (losses[0] ?? 0));
  });

  it('scores the same in raw units as in bin space (thresholds, infinities, missing values, unseen categories)', () => {
    const best = result.history[result.bestIteration - 1];
    expect(result.model.trees.length).toBe(result.bestIteration);
    expect(logLoss(rawScores(result.model, valid.matrix), valid.labels)).toBeCloseTo(best?.validLoss ?? Number.NaN, 10);
    expect(logLoss(rawScores(result.model, train.matrix), train.labels)).toBeCloseTo(best?.trainLoss ?? Number.NaN, 10);
    const unseen: FeatureMatrix = { ...valid.matrix, columns: valid.matrix.columns.map((column, f) => (f === 4 ? column.map((code) => (code === 3 ? 40 : code)) : column)) };
    const withUnseen = trainGbdt(train.matrix, train.labels, { maxIterations: 5 }, { validation: { matrix: unseen, labels: valid.labels } });
    expect(logLoss(rawScores(withUnseen.model, unseen), valid.labels)).toBeCloseTo(withUnseen.history.at(-1)?.validLoss ?? Number.NaN, 10);
  });

  it('records in the model how many category codes training saw', () => {
    const unnamed = { ...train.matrix, features: train.matrix.features.map((feature) => ({ name: feature.name, kind: feature.kind })) };
    const { model } = trainGbdt(unnamed, train.labels, { maxIterations: 1 });
    expect(model.features.map((feature) => feature.categoryCount)).toEqual([undefined, undefined, undefined, undefined, 6]);
  });

  it('starts from the log-odds of the positive rate and keeps cover equal to the rows reaching each node', () => {
    const rate = train.labels.reduce((a, b) => a + b, 0) / train.matrix.rowCount;
    expect(result.model.baseScore).toBeCloseTo(Math.log(rate / (1 - rate)), 12);
    for (const tree of result.model.trees) {
      expect(tree.cover[0]).toBe(train.matrix.rowCount);
      tree.left.forEach((left, node) => {
        if (left >= 0) expect(tree.cover[node]).toBe((tree.cover[left] ?? 0) + (tree.cover[tree.right[node] ?? 0] ?? 0));
      });
    }
  });

  it('stops early when the validation loss stops improving, keeping the best iteration', () => {
    const random = createSeededRandom(5);
    const noise = train.labels.map(() => (random.next() < 0.5 ? 1 : 0));
    const validNoise = valid.labels.map(() => (random.next() < 0.5 ? 1 : 0));
    const stopped = trainGbdt(train.matrix, noise, { maxIterations: 200, earlyStoppingRounds: 5 }, { validation: { matrix: valid.matrix, labels: validNoise } });
    expect(stopped.history.length).toBeLessThan(200);
    expect(stopped.history.length - stopped.bestIteration).toBe(5);
    expect(stopped.model.trees.length).toBe(stopped.bestIteration);
    const validLosses = stopped.history.map((record) => record.validLoss ?? Number.NaN);
    expect(Math.min(...validLosses)).toBe(validLosses[stopped.bestIteration - 1]);
  });

  it('is deterministic under a seed, also with row and feature subsampling, which changes the trees', () => {
    const params = { maxIterations: 8, rowSubsample: 0.6, featureSubsample: 0.6, seed: 11 };
    const first = trainGbdt(train.matrix, train.labels, params);
    const second = trainGbdt(train.matrix, train.labels, params);
    expect(sameTrees(first.model.trees, second.model.trees)).toBe(true);
    expect(first.model).toEqual(second.model);
    const otherSeed = trainGbdt(train.matrix, train.labels, { ...params, seed: 12 });
    expect(sameTrees(first.model.trees, otherSeed.model.trees)).toBe(false);
    const full = trainGbdt(train.matrix, train.labels, { maxIterations: 8 });
    expect(sameTrees(first.model.trees, full.model.trees)).toBe(false);
    // Bagged trees see fewer rows: the root's cover is the bag, not the training set.
    expect(first.model.trees[0]?.cover[0]).toBeLessThan(0.7 * train.matrix.rowCount);
    expect(first.model.trees[0]?.cover[0]).toBeGreaterThan(0.5 * train.matrix.rowCount);
  });

  it('treats positiveWeight as a weight on positive rows', () => {
    const weighted = trainGbdt(train.matrix, train.labels, { maxIterations: 5, positiveWeight: 3 });
    const weights = train.labels.map((label) => (label === 1 ? 3 : 1));
    const explicit = trainGbdt(train.matrix, train.labels, { maxIterations: 5 }, { weights });
    expect(weighted.model).toEqual(explicit.model);
    expect(weighted.model.baseScore).toBeGreaterThan(result.model.baseScore);
    expect(weighted.model.trees[0]?.cover[0]).toBeCloseTo(weights.reduce((a, b) => a + b, 0), 9);
  });

  it('grows as its first tree the tree of the exhaustive-split oracle', () => {
    for (let seed = 0; seed < 20; seed++) {
      const data = tinyDataSet(seed, true);
      const labels = data.gradients.map((g) => (g > 0 ? 1 : 0));
      if (labels.reduce((a, b) => a + b, 0) < 2 || labels.reduce((a, b) => a + b, 0) > labels.length - 2) continue;
      const params = { minSamplesLeaf: 1, maxLeaves: 6, learningRate: 0.3, minCategoryCount: 1, catSmooth: 0, catL2: 0, maxIterations: 1 };
      const model = trainGbdt(data.matrix, labels, params).model;
      const scores = new Float64Array(labels.length).fill(model.baseScore);
      const gradients = new Float64Array(labels.length);
      const hessians = new Float64Array(labels.length);
      logisticObjective.gradients(scores, labels, null, gradients, hessians);
      const oracle = growOracleTree(data.matrix, gradients, hessians, null, { ...params, lambdaL2: 0, minHessianLeaf: 1e-3, minGainToSplit: 0, maxDepth: -1 });
      const tree = model.trees[0];
      if (tree === undefined) expect(oracle.split).toBeUndefined();
      else expect(treeDifference(tree, 0, oracle, data.matrix, 'root')).toBeNull();
    }
  });
});

describe('trainGbdt (squared error and tweedie)', () => {
  it('fits a step function with squared error', () => {
    const rowCount = 1000;
    const x = Float64Array.from({ length: rowCount }, (_, i) => i / rowCount);
    const step = (v: number): number => (v < 0.3 ? 1 : v < 0.7 ? 5 : 2);
    const labels = x.map(step);
    const matrix: FeatureMatrix = { rowCount, features: [{ name: 'x', kind: 'numeric' }], columns: [x] };
    const { model, history } = trainGbdt(matrix, labels, { objective: 'squared-error', maxIterations: 100, learningRate: 0.2 });
    expect(model.baseScore).toBeCloseTo(labels.reduce((a, b) => a + b, 0) / rowCount, 12);
    const probe: FeatureMatrix = { rowCount: 6, features: matrix.features, columns: [Float64Array.of(0, 0.29, 0.31, 0.69, 0.71, 1)] };
    const predicted = rawScores(model, probe);
    [1, 1, 5, 5, 2, 2].forEach((expected, i) => {
      expect(predicted[i]).toBeCloseTo(expected, 3);
    });
    expect(history.at(-1)?.trainLoss).toBeLessThan(1e-6);
    expect(model.trees[0]?.threshold[0]).toBeCloseTo((0.299 + 0.3) / 2, 12);
  });

  it('gives a sensible constant model for constant squared-error labels', () => {
    const { matrix } = logisticSet(100, 3);
    const { model, bestIteration } = trainGbdt(matrix, new Float64Array(100).fill(4.5), { objective: 'squared-error' });
    expect(model.baseScore).toBe(4.5);
    expect(model.trees).toHaveLength(0);
    expect(bestIteration).toBe(0);
  });

  it('fits positive skewed amounts with tweedie better than the best constant', () => {
    const tweedieTrain = tweedieSet(4000, 7);
    const tweedieValid = tweedieSet(2000, 8);
    const zeros = tweedieTrain.labels.filter((y) => y === 0).length;
    expect(zeros).toBeGreaterThan(400);
    const { model, history } = trainGbdt(tweedieTrain.matrix, tweedieTrain.labels, { objective: 'tweedie', maxIterations: 80 }, { validation: { matrix: tweedieValid.matrix, labels: tweedieValid.labels } });
    const mean = tweedieTrain.labels.reduce((a, b) => a + b, 0) / tweedieTrain.matrix.rowCount;
    expect(model.baseScore).toBeCloseTo(Math.log(mean), 12);
    const constantLoss = tweedieLoss(new Float64Array(2000).fill(model.baseScore), tweedieValid.labels, 1.5);
    const modelLoss = tweedieLoss(rawScores(model, tweedieValid.matrix), tweedieValid.labels, 1.5);
    expect(modelLoss).toBeCloseTo(history[model.trees.length - 1]?.validLoss ?? Number.NaN, 10);
    expect(modelLoss).toBeLessThan(constantLoss - 0.05);
    const correlation = pearson(rawScores(model, tweedieValid.matrix), tweedieValid.signal);
    expect(correlation).toBeGreaterThan(0.8);
  });
});

/** Tweedie negative log-likelihood (up to terms free of mu), written out independently. */
function tweedieLoss(scores: Float64Array, labels: Float64Array, p: number): number {
  let sum = 0;
  scores.forEach((s, i) => {
    const mu = Math.exp(s);
    sum += (-(labels[i] ?? 0) * mu ** (1 - p)) / (1 - p) + mu ** (2 - p) / (2 - p);
  });
  return sum / scores.length;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const mean = (v: Float64Array): number => v.reduce((x, y) => x + y, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    cov += (x - ma) * (y - mb);
    va += (x - ma) ** 2;
    vb += (y - mb) ** 2;
  });
  return cov / Math.sqrt(va * vb);
}

describe('trainGbdt input errors', () => {
  const matrix = train.matrix;
  const labels = train.labels;
  const tiny: FeatureMatrix = { rowCount: 4, features: [{ name: 'x', kind: 'numeric' }], columns: [Float64Array.of(1, 2, 3, 4)] };
  const cases: [string, () => unknown, RegExp][] = [
    ['labels not 0/1 for logistic', () => trainGbdt(tiny, Float64Array.of(0, 1, 2, 1)), /label at row 2 is 2; logistic labels must be 0 or 1/],
    ['a single class', () => trainGbdt(tiny, Float64Array.of(1, 1, 1, 1)), /labels are all 1; logistic training needs both classes/],
    ['too few positives', () => trainGbdt(tiny, Float64Array.of(0, 0, 1, 0)), /1 positive row; logistic training needs at least 2/],
    ['too few negatives', () => trainGbdt(tiny, Float64Array.of(1, 0, 1, 1)), /1 negative row/],
    ['a NaN label', () => trainGbdt(tiny, Float64Array.of(0, Number.NaN, 1, 1), { objective: 'squared-error' }), /label at row 1 is NaN; labels must be finite/],
    ['an infinite label', () => trainGbdt(tiny, Float64Array.of(0, 1, Number.POSITIVE_INFINITY, 1), { objective: 'squared-error' }), /label at row 2 is Infinity/],
    ['negative tweedie labels', () => trainGbdt(tiny, Float64Array.of(0, 1, -3, 1), { objective: 'tweedie' }), /label at row 2 is negative; tweedie labels must be >= 0/],
    ['all-zero tweedie labels', () => trainGbdt(tiny, new Float64Array(4), { objective: 'tweedie' }), /tweedie training needs some positive labels/],
    ['a label count that differs from the rows', () => trainGbdt(matrix, labels.subarray(1)), /3999 labels for 4000 rows/],
    ['zero rows', () => trainGbdt({ rowCount: 0, features: tiny.features, columns: [new Float64Array(0)] }, new Float64Array(0)), /training set has no rows/],
    ['no features', () => trainGbdt({ rowCount: 4, features: [], columns: [] }, Float64Array.of(0, 1, 0, 1)), /training set has no features/],
    ['a short column', () => trainGbdt({ ...tiny, columns: [Float64Array.of(1, 2, 3)] }, Float64Array.of(0, 1, 0, 1)), /column 0 must hold rowCount/],
    ['negative weights', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), {}, { weights: Float64Array.of(1, -1, 1, 1) }), /weight at row 1 is -1/],
    ['zero weight on a class', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), {}, { weights: Float64Array.of(1, 0, 1, 0) }), /positive training rows have zero total weight/],
    ['zero weights', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), {}, { weights: new Float64Array(4) }), /weights sum to zero/],
    ['invalid parameters', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), { learningRate: -1, maxLeaves: 1 }), /invalid GBDT parameters: learningRate: .*; maxLeaves: /],
    ['unknown parameters', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), { numLeaves: 8 } as never), /invalid GBDT parameters/],
    ['early stopping without validation', () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), { earlyStoppingRounds: 3 }), /earlyStoppingRounds needs a validation set/],
    [
      'validation features that differ',
      () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), {}, { validation: { matrix: { ...tiny, features: [{ name: 'y', kind: 'numeric' }] }, labels: Float64Array.of(0, 1, 0, 1) } }),
      /validation feature 0 is "y" \(numeric\), training feature is "x"/,
    ],
    [
      'bad validation labels',
      () => trainGbdt(tiny, Float64Array.of(0, 1, 0, 1), {}, { validation: { matrix: tiny, labels: Float64Array.of(0, 1, 0.5, 1) } }),
      /validation label at row 2 is 0.5/,
    ],
  ];
  for (const [title, run, message] of cases) {
    it(`rejects ${title} with VALIDATION_FAILED`, () => {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code === 'VALIDATION_FAILED').toBe(true);
      expect((caught as Error).message).toMatch(message);
    });
  }
});
