import { describe, expect, it } from 'vitest';
import { averagePrecision, brierScore, logLoss, rocAuc } from './binary-metrics.js';
import { tiedScores } from './test-support/seeded-random.js';

/** Every positive-negative pair: 1 when the positive scores higher, 1/2 on a tie (weighted by both rows). */
function pairwiseAuc(scores: Float64Array, labels: Float64Array, weights?: Float64Array): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i += 1) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j += 1) {
      if (labels[j] !== 0) continue;
      const w = (weights?.[i] ?? 1) * (weights?.[j] ?? 1);
      const si = scores[i] ?? 0;
      const sj = scores[j] ?? 0;
      sum += w * (si > sj ? 1 : si === sj ? 0.5 : 0);
      pairs += w;
    }
  }
  return sum / pairs;
}

/** Precision and recall recomputed from scratch at every distinct threshold (score >= t), highest first. */
function bruteForceAveragePrecision(scores: Float64Array, labels: Float64Array, weights?: Float64Array): number {
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let totalPositive = 0;
  labels.forEach((label, row) => (totalPositive += label * (weights?.[row] ?? 1)));
  let previousRecall = 0;
  let area = 0;
  for (const threshold of thresholds) {
    let tp = 0;
    let selected = 0;
    scores.forEach((score, row) => {
      if (score >= threshold) {
        selected += weights?.[row] ?? 1;
        tp += (labels[row] ?? 0) * (weights?.[row] ?? 1);
      }
    });
    const recall = tp / totalPositive;
    area += (recall - previousRecall) * (tp / selected);
    previousRecall = recall;
  }
  return area;
}

describe('ROC AUC', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(rocAuc(Float64Array.of(0.1, 0.4, 0.35, 0.8), Float64Array.of(0, 0, 1, 1))).toBeCloseTo(0.75, 12);
  });

  it('equals the pairwise Mann-Whitney count with ties as one half, with and without weights', () => {
    const { scores, labels, weights } = tiedScores(1, 400, 7);
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    expect(rocAuc(scores, labels, weights)).toBeCloseTo(pairwiseAuc(scores, labels, weights), 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 1/2 when every score ties', () => {
    const labels = Float64Array.of(0, 0, 1, 1);
    expect(rocAuc(Float64Array.of(1, 2, 3, 4), labels)).toBe(1);
    expect(rocAuc(Float64Array.of(4, 3, 2, 1), labels)).toBe(0);
    expect(rocAuc(Float64Array.of(5, 5, 5, 5), labels)).toBe(0.5);
  });

  it('refuses one-class sets, bad labels, NaN scores and mismatched lengths', () => {
    expect(() => rocAuc(Float64Array.of(1, 2), Float64Array.of(1, 1))).toThrow(/both positive and negative/);
    expect(() => rocAuc(Float64Array.of(1, 2), Float64Array.of(1, 2))).toThrow(/labels must be 0 or 1/);
    expect(() => rocAuc(Float64Array.of(1, Number.NaN), Float64Array.of(0, 1))).toThrow(/finite/);
    expect(() => rocAuc(Float64Array.of(1, 2, 3), Float64Array.of(0, 1))).toThrow(/2 values but there are 3 rows/);
    expect(() => rocAuc(Float64Array.of(1, 2), Float64Array.of(0, 1), Float64Array.of(1, -1))).toThrow(/non-negative/);
  });
});

describe('average precision (PR AUC)', () => {
  it('matches the scikit-learn documentation example', () => {
    // (1/2)·1 + (1/2)·(2/3): the positive at 0.8 first, then the one at 0.35 after a negative.
    expect(averagePrecision(Float64Array.of(0.1, 0.4, 0.35, 0.8), Float64Array.of(0, 0, 1, 1))).toBeCloseTo(5 / 6, 12);
  });

  it('equals precision and recall recomputed at every threshold, with ties and weights', () => {
    const { scores, labels, weights } = tiedScores(2, 300, 11);
    expect(averagePrecision(scores, labels)).toBeCloseTo(bruteForceAveragePrecision(scores, labels), 12);
    expect(averagePrecision(scores, labels, weights)).toBeCloseTo(bruteForceAveragePrecision(scores, labels, weights), 12);
  });

  it('is the positive rate when every score ties, and needs a positive', () => {
    expect(averagePrecision(Float64Array.of(1, 1, 1, 1), Float64Array.of(0, 1, 0, 0))).toBe(0.25);
    expect(() => averagePrecision(Float64Array.of(1, 2), Float64Array.of(0, 0))).toThrow(/at least one positive/);
  });
});

describe('log loss and Brier score', () => {
  it('are the mean negative log-likelihood and mean squared error', () => {
    const p = Float64Array.of(0.8, 0.3, 0.5);
    const y = Float64Array.of(1, 0, 1);
    expect(logLoss(p, y)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.5)) / 3, 14);
    expect(brierScore(p, y)).toBeCloseTo((0.04 + 0.09 + 0.25) / 3, 14);
  });

  it('weight rows', () => {
    const p = Float64Array.of(0.8, 0.3);
    const y = Float64Array.of(1, 0);
    const w = Float64Array.of(3, 1);
    expect(logLoss(p, y, w)).toBeCloseTo(-(3 * Math.log(0.8) + Math.log(0.7)) / 4, 14);
    expect(brierScore(p, y, w)).toBeCloseTo((3 * 0.04 + 0.09) / 4, 14);
    expect(logLoss(Float64Array.of(0.8, 0.8, 0.3), Float64Array.of(1, 1, 0))).toBeCloseTo(logLoss(p, y, Float64Array.of(2, 1)), 14);
  });

  it('clip certain misses to a large finite loss', () => {
    expect(logLoss(Float64Array.of(0), Float64Array.of(1))).toBeCloseTo(-Math.log(1e-15), 9);
    // 1 − 1e-15 rounds to a double a little below it, hence the looser check on the other side.
    expect(logLoss(Float64Array.of(1), Float64Array.of(0))).toBeCloseTo(-Math.log(1e-15), 2);
    expect(logLoss(Float64Array.of(1, 0), Float64Array.of(1, 0))).toBeLessThan(1e-14);
  });

  it('refuse probabilities outside [0, 1] and NaN, naming the row', () => {
    expect(() => logLoss(Float64Array.of(0.5, 1.2), Float64Array.of(0, 1))).toThrow(/row 1 is 1.2; it must lie in \[0, 1\]/);
    expect(() => logLoss(Float64Array.of(Number.NaN), Float64Array.of(0))).toThrow(/row 0 is NaN/);
    expect(() => brierScore(Float64Array.of(-0.1), Float64Array.of(0))).toThrow(/must lie in \[0, 1\]/);
  });
});
