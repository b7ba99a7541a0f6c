import { describe, expect, it } from 'vitest';
import { evaluateRevenue } from './revenue-evaluation.js';
import { seededRandom } from './test-support/seeded-random.js';

describe('revenue evaluation', () => {
  it('sums expected and realised revenue by rank band in expected-value order', () => {
    const expected = Float64Array.of(5, 50, 20, 1, 10);
    const actual = Float64Array.of(0, 40, 25, 0, 0);
    const result = evaluateRevenue(expected, actual, { bandSize: 2 });
    expect(result.totals).toEqual({ expected: 86, realised: 65, realisedToExpected: 65 / 86 });
    expect(result.byRankBand.map((band) => [band.firstRank, band.lastRank, band.expected, band.realised, band.givers])).toEqual([
      [1, 2, 70, 65, 2],
      [3, 4, 15, 0, 0],
      [5, 5, 1, 0, 0],
    ]);
    expect(result.byRankBand[0]?.cumulativeRealisedShare).toBe(1);
  });

  it('ranks by another score when asked (an ROI model), keeping the expected-value sums', () => {
    const expected = Float64Array.of(5, 50, 20, 1, 10);
    const actual = Float64Array.of(3, 40, 25, 0, 0);
    const roi = Float64Array.of(9, 1, 2, 3, 4);
    const result = evaluateRevenue(expected, actual, { rankBy: roi, bandSize: 1 });
    expect(result.byRankBand.map((band) => band.expected)).toEqual([5, 10, 1, 20, 50]);
    expect(result.byRankBand.map((band) => band.cumulativeRealised)).toEqual([3, 3, 3, 28, 68]);
  });

  it('has deciles that add up to the totals', () => {
    const random = seededRandom(5);
    const n = 997;
    const expected = Float64Array.from({ length: n }, () => random.uniform() * 30);
    const actual = expected.map((value) => (random.uniform() < value / 60 ? value * 2 * random.uniform() : 0));
    const result = evaluateRevenue(expected, actual);
    expect(result.byDecile).toHaveLength(10);
    expect(result.byDecile.reduce((total, group) => total + group.count, 0)).toBe(n);
    expect(result.byDecile.reduce((total, group) => total + group.expected, 0)).toBeCloseTo(result.totals.expected, 8);
    expect(result.byDecile.reduce((total, group) => total + group.realised, 0)).toBeCloseTo(result.totals.realised, 8);
    expect(result.byDecile[9]?.cumulativeRealisedShare).toBeCloseTo(1, 12);
    expect(result.byDecile[0]?.realised ?? 0).toBeGreaterThan(result.byDecile[9]?.realised ?? 0);
  });

  it('refuses mismatched lengths and non-finite amounts', () => {
    expect(() => evaluateRevenue(Float64Array.of(1, 2), Float64Array.of(1))).toThrow(/actual amounts has 1 values/);
    expect(() => evaluateRevenue(Float64Array.of(1), Float64Array.of(Number.NaN))).toThrow(/actual amount at row 0/);
  });
});
