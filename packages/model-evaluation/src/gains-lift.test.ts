import { describe, expect, it } from 'vitest';
import { gainsByDecile, gainsByGroup, incidenceByRankBand, topNPrecision } from './gains-lift.js';
import { tiedScores } from './test-support/seeded-random.js';

describe('gains and lift', () => {
  it('counts positives per decile from the highest score down', () => {
    // 20 rows, scores 20..1: decile 1 = rows 0–1, decile 2 = rows 2–3, ...
    const scores = Float64Array.from({ length: 20 }, (_, row) => 20 - row);
    const labels = Float64Array.of(1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const table = gainsByDecile(scores, labels);
    expect(table.map((row) => row.positives)).toEqual([2, 1, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(table.map((row) => row.count)).toEqual(Array(10).fill(2));
    expect(table[0]).toMatchObject({ rate: 1, lift: 1 / 0.25, cumulativeGains: 2 / 5 });
    expect(table[2]).toMatchObject({ cumulativeCount: 6, cumulativePositives: 4, cumulativeGains: 4 / 5 });
    expect(table[2]?.cumulativeLift).toBeCloseTo(4 / 6 / 0.25, 14);
    expect(table[9]?.cumulativeGains).toBe(1);
  });

  it('splits tied scores by row order, so the table never changes between runs', () => {
    const labels = Float64Array.of(1, 0, 0, 1, 1, 0, 0, 0, 1, 0);
    const table = gainsByGroup(new Float64Array(10).fill(0.5), labels, 5);
    expect(table.map((row) => row.positives)).toEqual([1, 1, 1, 0, 1]);
  });

  it('holds every row once and averages to a lift of 1 on uneven group sizes', () => {
    const { scores, labels } = tiedScores(4, 1003, 13);
    const table = gainsByDecile(scores, labels);
    expect(table.reduce((total, row) => total + row.count, 0)).toBe(1003);
    const positives = labels.reduce((total, label) => total + label, 0);
    expect(table.reduce((total, row) => total + row.positives, 0)).toBe(positives);
    expect(table.reduce((total, row) => total + row.lift * row.count, 0) / 1003).toBeCloseTo(1, 12);
    // The scores carry signal, so the top decile beats the bottom.
    expect(table[0]?.rate ?? 0).toBeGreaterThan(table[9]?.rate ?? 1);
  });

  it('reports incidence by rank band of a configurable size, the last band short', () => {
    const scores = Float64Array.from({ length: 10 }, (_, row) => -row);
    const labels = Float64Array.of(1, 1, 0, 1, 0, 0, 0, 0, 1, 1);
    expect(incidenceByRankBand(scores, labels, 3)).toEqual([
      { firstRank: 1, lastRank: 3, count: 3, positives: 2, rate: 2 / 3, cumulativeCount: 3, cumulativePositives: 2, cumulativeRate: 2 / 3 },
      { firstRank: 4, lastRank: 6, count: 3, positives: 1, rate: 1 / 3, cumulativeCount: 6, cumulativePositives: 3, cumulativeRate: 3 / 6 },
      { firstRank: 7, lastRank: 9, count: 3, positives: 1, rate: 1 / 3, cumulativeCount: 9, cumulativePositives: 4, cumulativeRate: 4 / 9 },
      { firstRank: 10, lastRank: 10, count: 1, positives: 1, rate: 1, cumulativeCount: 10, cumulativePositives: 5, cumulativeRate: 5 / 10 },
    ]);
    expect(incidenceByRankBand(scores, labels)).toHaveLength(1);
  });

  it('gives top-N precision, capping N at the row count', () => {
    const scores = Float64Array.of(0.9, 0.1, 0.8, 0.7, 0.2);
    const labels = Float64Array.of(1, 1, 0, 1, 0);
    expect(topNPrecision(scores, labels, [1, 3, 10])).toEqual([
      { n: 1, count: 1, positives: 1, precision: 1 },
      { n: 3, count: 3, positives: 2, precision: 2 / 3 },
      { n: 10, count: 5, positives: 3, precision: 3 / 5 },
    ]);
    expect(() => topNPrecision(scores, labels, [0])).toThrow(/N must be a positive integer/);
  });
});
