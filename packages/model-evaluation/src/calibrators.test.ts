import { describe, expect, it } from 'vitest';
import { applyCalibrator, fitIsotonicCalibrator, fitPlattCalibrator, parseCalibrator, serialiseCalibrator, type Calibrator } from './calibrators.js';
import { seededRandom, tiedScores } from './test-support/seeded-random.js';

/**
 * The textbook O(n²) pool-adjacent-violators: start from one block per distinct score, merge the first
 * adjacent pair that decreases, and start the scan again until nothing decreases. Returns each row's fit.
 */
function naivePav(scores: Float64Array, labels: Float64Array, weights?: Float64Array): Float64Array {
  const distinct = [...new Set(scores)].sort((a, b) => a - b);
  let blocks = distinct.map((score) => {
    let sum = 0;
    let weight = 0;
    scores.forEach((s, row) => {
      if (s === score) {
        sum += (weights?.[row] ?? 1) * (labels[row] ?? 0);
        weight += weights?.[row] ?? 1;
      }
    });
    return { scores: [score], sum, weight };
  });
  for (;;) {
    const violation = blocks.findIndex((block, index) => index + 1 < blocks.length && block.sum / block.weight > (blocks[index + 1]?.sum ?? 0) / (blocks[index + 1]?.weight ?? 1));
    if (violation < 0) break;
    const [a, b] = [blocks[violation], blocks[violation + 1]];
    if (a === undefined || b === undefined) break;
    blocks = [...blocks.slice(0, violation), { scores: [...a.scores, ...b.scores], sum: a.sum + b.sum, weight: a.weight + b.weight }, ...blocks.slice(violation + 2)];
  }
  const fitted = new Map<number, number>();
  for (const block of blocks) for (const score of block.scores) fitted.set(score, block.sum / block.weight);
  return scores.map((score) => fitted.get(score) ?? Number.NaN);
}

function expectClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, row) => {
    expect(value).toBeCloseTo(expected[row] ?? Number.NaN, 12);
  });
}

describe('isotonic calibrator', () => {
  it('fits the same step function as the naive pool-adjacent-violators, with ties and weights', () => {
    for (const seed of [1, 2, 3]) {
      const { scores, labels, weights } = tiedScores(seed, 600, 40);
      const step = fitIsotonicCalibrator(scores, labels, { interpolation: 'step' });
      expectClose(applyCalibrator(step, scores), naivePav(scores, labels));
      const weighted = fitIsotonicCalibrator(scores, labels, { interpolation: 'step', weights });
      expectClose(applyCalibrator(weighted, scores), naivePav(scores, labels, weights));
    }
  });

  it('is non-decreasing and within [0, 1] everywhere, including between and beyond its knots', () => {
    const random = seededRandom(7);
    const scores = Float64Array.from({ length: 2000 }, () => random.normal() * 3);
    const labels = scores.map((score) => (random.uniform() < 1 / (1 + Math.exp(-score)) ? 1 : 0));
    for (const interpolation of ['linear', 'step'] as const) {
      const calibrator = fitIsotonicCalibrator(scores, labels, { interpolation });
      const grid = Float64Array.from({ length: 5001 }, (_, index) => -15 + index * 0.006);
      const calibrated = applyCalibrator(calibrator, grid);
      for (let index = 1; index < calibrated.length; index += 1) expect(calibrated[index]).toBeGreaterThanOrEqual(calibrated[index - 1] ?? 0);
      expect(Math.min(...calibrated)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...calibrated)).toBeLessThanOrEqual(1);
    }
  });

  it('interpolates linearly between block midpoints and is flat outside them', () => {
    // Blocks: {0, 1} → 0, {2} pooled with {3} → 0.5, {4} → 1.
    const scores = Float64Array.of(0, 1, 2, 3, 4);
    const labels = Float64Array.of(0, 0, 1, 0, 1);
    const calibrator = fitIsotonicCalibrator(scores, labels);
    expect(calibrator).toEqual({ kind: 'isotonic', interpolation: 'linear', x: [0.5, 2.5, 4], y: [0, 0.5, 1] });
    expect(Array.from(applyCalibrator(calibrator, Float64Array.of(-10, 0.5, 1.5, 2.5, 3.25, 4, 99, Number.NaN)))).toEqual([0, 0, 0.25, 0.5, 0.75, 1, 1, Number.NaN]);
  });
});

/** Cross-entropy against Platt's smoothed targets, written out from the paper. */
function plattLoss(scores: Float64Array, labels: Float64Array, slope: number, intercept: number): number {
  const positives = labels.reduce((total, label) => total + label, 0);
  const negatives = labels.length - positives;
  let loss = 0;
  scores.forEach((score, row) => {
    const p = 1 / (1 + Math.exp(-(slope * score + intercept)));
    const target = labels[row] === 1 ? (positives + 1) / (positives + 2) : 1 / (negatives + 2);
    loss -= target * Math.log(p) + (1 - target) * Math.log(1 - p);
  });
  return loss;
}

describe('Platt calibrator', () => {
  it('reaches the minimum found by a brute-force grid search of the smoothed log loss', () => {
    const random = seededRandom(11);
    const scores = Float64Array.from({ length: 300 }, () => random.normal() * 2);
    const labels = scores.map((score) => (random.uniform() < 1 / (1 + Math.exp(-(0.7 * score - 0.4))) ? 1 : 0));
    const fitted = fitPlattCalibrator(scores, labels);
    // Coarse grid over a wide box, then a fine grid (step 0.002) around the coarse minimum.
    let best = { loss: Number.POSITIVE_INFINITY, slope: 0, intercept: 0 };
    const search = (slopeFrom: number, interceptFrom: number, step: number, count: number) => {
      for (let i = 0; i <= count; i += 1) {
        for (let j = 0; j <= count; j += 1) {
          const slope = slopeFrom + i * step;
          const intercept = interceptFrom + j * step;
          const loss = plattLoss(scores, labels, slope, intercept);
          if (loss < best.loss) best = { loss, slope, intercept };
        }
      }
    };
    search(-1, -2, 0.05, 60);
    search(best.slope - 0.05, best.intercept - 0.05, 0.002, 50);
    expect(plattLoss(scores, labels, fitted.slope, fitted.intercept)).toBeLessThanOrEqual(best.loss + 1e-9);
    expect(Math.abs(fitted.slope - best.slope)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fitted.intercept - best.intercept)).toBeLessThanOrEqual(0.002);
    expect(fitted.slope).toBeCloseTo(0.7, 0);
  });

  it('stays finite on separable data thanks to the smoothed targets', () => {
    const fitted = fitPlattCalibrator(Float64Array.of(-3, -2, -1, 1, 2, 3), Float64Array.of(0, 0, 0, 1, 1, 1));
    expect(Number.isFinite(fitted.slope) && Number.isFinite(fitted.intercept)).toBe(true);
    const probabilities = applyCalibrator(fitted, Float64Array.of(-3, 3));
    // At the extremes the fit approaches the smoothed targets 1/5 and 4/5 rather than 0 and 1.
    expect(probabilities[0]).toBeGreaterThan(0.01);
    expect(probabilities[1]).toBeLessThan(0.99);
  });

  it('treats a weight of 2 like a repeated row', () => {
    const scores = Float64Array.of(-1, 0, 0.5, 1, 2);
    const labels = Float64Array.of(0, 1, 0, 1, 1);
    const weighted = fitPlattCalibrator(scores, labels, { weights: Float64Array.of(2, 1, 1, 1, 1) });
    const repeated = fitPlattCalibrator(Float64Array.of(-1, -1, 0, 0.5, 1, 2), Float64Array.of(0, 0, 1, 0, 1, 1));
    expect(weighted.slope).toBeCloseTo(repeated.slope, 8);
    expect(weighted.intercept).toBeCloseTo(repeated.intercept, 8);
  });
});

describe('calibrator files', () => {
  it('round-trip both kinds through JSON and score the same', () => {
    const { scores, labels } = tiedScores(9, 300, 25);
    const calibrators: Calibrator[] = [fitIsotonicCalibrator(scores, labels), fitIsotonicCalibrator(scores, labels, { interpolation: 'step' }), fitPlattCalibrator(scores, labels)];
    for (const calibrator of calibrators) {
      const loaded = parseCalibrator(serialiseCalibrator(calibrator));
      expect(loaded).toEqual(calibrator);
      expect(applyCalibrator(loaded, scores)).toEqual(applyCalibrator(calibrator, scores));
    }
  });

  it('refuses files that are not calibrators or would not be monotone', () => {
    expect(() => parseCalibrator('not json')).toThrow(/not JSON/);
    expect(() => parseCalibrator(JSON.stringify({ format: 'other', version: 1, calibrator: { kind: 'platt', slope: 1, intercept: 0 } }))).toThrow(/not valid/);
    const decreasing = { format: 'kindling.calibrator', version: 1, calibrator: { kind: 'isotonic', interpolation: 'linear', x: [0, 1], y: [0.6, 0.4] } };
    expect(() => parseCalibrator(JSON.stringify(decreasing))).toThrow(/must not decrease/);
    const unsorted = { ...decreasing, calibrator: { ...decreasing.calibrator, x: [1, 0], y: [0.4, 0.6] } };
    expect(() => parseCalibrator(JSON.stringify(unsorted))).toThrow(/strictly increasing/);
    expect(() => parseCalibrator(JSON.stringify({ ...decreasing, version: 2 }))).toThrow(/not valid/);
  });
});
