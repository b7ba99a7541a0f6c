import { describe, expect, it } from 'vitest';
import { calibrationCurve } from './calibration-curve.js';
import { seededRandom } from './test-support/seeded-random.js';

describe('calibration curve', () => {
  it('groups rows into equal-width bins with mean prediction, observed rate and the calibration error', () => {
    const curve = calibrationCurve(Float64Array.of(0.05, 0.15, 0.12, 0.95, 1), Float64Array.of(0, 1, 0, 1, 1));
    expect(curve.bins.map((bin) => [bin.lower, bin.upper, bin.count])).toEqual([
      [0, 0.1, 1],
      [0.1, 0.2, 2],
      [0.9, 1, 2],
    ]);
    expect(curve.bins[1]?.meanPredicted).toBeCloseTo(0.135, 14);
    expect(curve.bins[1]?.observedRate).toBe(0.5);
    expect(curve.bins[2]?.meanPredicted).toBeCloseTo(0.975, 14);
    expect(curve.expectedCalibrationError).toBeCloseTo((1 / 5) * 0.05 + (2 / 5) * 0.365 + (2 / 5) * 0.025, 14);
  });

  it('is perfectly calibrated when the labels are drawn with the predicted probability (large sample)', () => {
    const random = seededRandom(3);
    const n = 50_000;
    const p = Float64Array.from({ length: n }, () => random.uniform());
    const y = p.map((probability) => (random.uniform() < probability ? 1 : 0));
    const curve = calibrationCurve(p, y, { bins: 5 });
    expect(curve.expectedCalibrationError).toBeLessThan(0.01);
    // A model that is sure of everything is off by the distance from 0.5 on average.
    const sure = p.map((probability) => (probability < 0.5 ? 0.01 : 0.99));
    expect(calibrationCurve(sure, y).expectedCalibrationError).toBeGreaterThan(0.2);
  });

  it('makes equal-count quantile bins and merges bins that tied probabilities would leave empty', () => {
    const p = Float64Array.from({ length: 100 }, (_, row) => row / 100);
    const y = p.map((_, row) => row % 2);
    const curve = calibrationCurve(p, y, { bins: 4, strategy: 'quantile' });
    expect(curve.bins.map((bin) => bin.count)).toEqual([25, 25, 25, 25]);
    const tied = Float64Array.from({ length: 100 }, (_, row) => (row < 80 ? 0.1 : row / 100));
    const merged = calibrationCurve(tied, y, { bins: 10, strategy: 'quantile' });
    expect(merged.bins.reduce((total, bin) => total + bin.count, 0)).toBe(100);
    expect(merged.bins[0]?.count).toBeGreaterThanOrEqual(80);
    expect(calibrationCurve(Float64Array.of(0.3, 0.3), Float64Array.of(0, 1), { strategy: 'quantile' }).bins).toHaveLength(1);
  });

  it('weights rows', () => {
    const curve = calibrationCurve(Float64Array.of(0.2, 0.4), Float64Array.of(0, 1), { bins: 1, weights: Float64Array.of(3, 1) });
    expect(curve.bins[0]).toMatchObject({ count: 2, weight: 4, observedRate: 0.25 });
    expect(curve.bins[0]?.meanPredicted).toBeCloseTo(0.25, 14);
  });

  it('refuses probabilities outside [0, 1] and a bin count that is not a positive integer', () => {
    expect(() => calibrationCurve(Float64Array.of(1.5), Float64Array.of(1))).toThrow(/\[0, 1\]/);
    expect(() => calibrationCurve(Float64Array.of(0.5), Float64Array.of(1), { bins: 0 })).toThrow(/bins must be a positive integer/);
  });
});
