import { describe, expect, it } from 'vitest';
import { rankScores } from './ranks.js';
import { tiedScores } from './test-support/seeded-random.js';

describe('ranks', () => {
  it('ranks 1..N from the highest score, ties in row order', () => {
    const ranking = rankScores(Float64Array.of(0.2, 0.9, 0.2, 0.5, 0.9));
    expect(Array.from(ranking.ranks)).toEqual([4, 1, 5, 3, 2]);
    expect(ranking.rankedCount).toBe(5);
  });

  it('breaks ties with a secondary key (highest first) before row order', () => {
    const ranking = rankScores(Float64Array.of(0.5, 0.5, 0.5, 0.7), { tieBreak: Float64Array.of(1, 3, 1, 0) });
    expect(Array.from(ranking.ranks)).toEqual([3, 2, 4, 1]);
  });

  it('gives no score and no rank (NaN) below 1 in 10,000 or to a NaN score', () => {
    const ranking = rankScores(Float64Array.of(0.00009, 0.3, Number.NaN, 0.0001, 0));
    expect(Array.from(ranking.ranks)).toEqual([Number.NaN, 1, Number.NaN, 2, Number.NaN]);
    expect(Array.from(ranking.scores)).toEqual([Number.NaN, 0.3, Number.NaN, 0.0001, Number.NaN]);
    expect(ranking.rankedCount).toBe(2);
    expect(Array.from(rankScores(Float64Array.of(0, 0.5), { belowThreshold: () => false }).ranks)).toEqual([2, 1]);
    expect(Array.from(rankScores(Float64Array.of(0.4, 0.5, 0.6), { belowThreshold: (_, row) => row === 1 }).ranks)).toEqual([2, Number.NaN, 1]);
  });

  it('matches counting, for each row, the rows ranked ahead of it', () => {
    const { scores } = tiedScores(12, 500, 9);
    const ranking = rankScores(scores, { belowThreshold: () => false });
    scores.forEach((score, row) => {
      let ahead = 0;
      scores.forEach((other, otherRow) => {
        if (other > score || (other === score && otherRow < row)) ahead += 1;
      });
      expect(ranking.ranks[row]).toBe(ahead + 1);
    });
  });
});
