import { requireSameLength, type NumericColumn } from './input-checks.js';
import { descendingOrder } from './score-order.js';

/** Scores below 1 in 10,000 are too small to act on or to rank meaningfully; those rows get no score. */
export const minimumActionableScore = 1e-4;

/** Decides that a row gets no score (and so no rank). */
export type BelowThreshold = (score: number, row: number) => boolean;

/** The default hook: a score below 1 in 10,000 gets no score. */
export const belowMinimumScore: BelowThreshold = (score) => score < minimumActionableScore;

export interface RankOptions {
  /** Breaks ties in score, highest first; rows still tied keep row order. */
  readonly tieBreak?: NumericColumn;
  /** Rows for which this returns true get no rank; default `belowMinimumScore`. Pass `() => false` to rank every row. */
  readonly belowThreshold?: BelowThreshold;
}

export interface Ranking {
  /**
   * Rank of each row, 1 = highest score, consecutive over ranked rows (1..rankedCount) with no
   * shared ranks. NaN marks a row with no rank: its score was NaN or below the threshold — such
   * rows are published without a score, not at the bottom of the list.
   */
  readonly ranks: Float64Array;
  /** Each row's score, NaN where it gets no score. */
  readonly scores: Float64Array;
  readonly rankedCount: number;
}

/**
 * Ranks 1..N by score, highest first, deterministic: ties by `tieBreak` (highest first), then row order.
 * O(n log n).
 */
export function rankScores(scores: NumericColumn, options: RankOptions = {}): Ranking {
  const { tieBreak, belowThreshold = belowMinimumScore } = options;
  requireSameLength('tieBreak', scores.length, tieBreak);
  const kept = new Float64Array(scores.length);
  for (let row = 0; row < scores.length; row += 1) {
    const score = scores[row] ?? Number.NaN;
    kept[row] = Number.isNaN(score) || belowThreshold(score, row) ? Number.NaN : score;
  }
  const order = descendingOrder(kept, tieBreak);
  const ranks = new Float64Array(scores.length).fill(Number.NaN);
  let rankedCount = 0;
  for (const row of order) {
    if (Number.isNaN(kept[row] ?? Number.NaN)) break;
    rankedCount += 1;
    ranks[row] = rankedCount;
  }
  return { ranks, scores: kept, rankedCount };
}
