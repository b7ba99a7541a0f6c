import { requireFiniteScores, requirePositiveInteger, requireRows, requireSameLength, type NumericColumn } from './input-checks.js';
import { descendingOrder } from './score-order.js';

export interface RevenueGroup {
  /** Ranks firstRank..lastRank inclusive (1-based) in the ranking order. */
  readonly firstRank: number;
  readonly lastRank: number;
  readonly count: number;
  /** Sum of predicted expected value (e.g. P(give) × expected gift) over the group. */
  readonly expected: number;
  /** Sum of the amounts actually given. */
  readonly realised: number;
  /** Rows that gave anything (actual amount > 0). */
  readonly givers: number;
  readonly cumulativeExpected: number;
  readonly cumulativeRealised: number;
  /** Share of all realised revenue captured by this group and the ones above it. */
  readonly cumulativeRealisedShare: number;
}

export interface RevenueEvaluation {
  readonly rowCount: number;
  readonly byDecile: RevenueGroup[];
  readonly byRankBand: RevenueGroup[];
  readonly totals: {
    readonly expected: number;
    readonly realised: number;
    /** realised / expected; 1 means the model's total is right. 0 when nothing was expected. */
    readonly realisedToExpected: number;
  };
}

export interface RevenueEvaluationOptions {
  /**
   * What to rank by (highest first), e.g. an ROI score; defaults to the expected value itself.
   * Ties break by row order.
   */
  readonly rankBy?: NumericColumn;
  readonly bandSize?: number;
}

function group(expectedSorted: Float64Array, realisedSorted: Float64Array, start: number, end: number, running: { expected: number; realised: number }, totalRealised: number): RevenueGroup {
  let expected = 0;
  let realised = 0;
  let givers = 0;
  for (let position = start; position < end; position += 1) {
    expected += expectedSorted[position] ?? 0;
    const amount = realisedSorted[position] ?? 0;
    realised += amount;
    if (amount > 0) givers += 1;
  }
  running.expected += expected;
  running.realised += realised;
  return {
    firstRank: start + 1,
    lastRank: end,
    count: end - start,
    expected,
    realised,
    givers,
    cumulativeExpected: running.expected,
    cumulativeRealised: running.realised,
    cumulativeRealisedShare: totalRealised === 0 ? 0 : running.realised / totalRealised,
  };
}

/**
 * Expected against realised revenue for an amount or ROI model: rows ranked by `rankBy` (default:
 * the expected value), summed by decile (same boundaries as the gains table) and by rank band
 * (default 1,000), and in total.
 */
export function evaluateRevenue(expectedValue: NumericColumn, actualAmount: NumericColumn, options: RevenueEvaluationOptions = {}): RevenueEvaluation {
  const { rankBy = expectedValue, bandSize = 1000 } = options;
  requireRows(expectedValue.length);
  requireSameLength('actual amounts', expectedValue.length, actualAmount);
  requireSameLength('rankBy', expectedValue.length, rankBy);
  requireFiniteScores('expected value', expectedValue);
  requireFiniteScores('actual amount', actualAmount);
  requirePositiveInteger('bandSize', bandSize);
  const order = descendingOrder(rankBy);
  const n = order.length;
  const expectedSorted = new Float64Array(n);
  const realisedSorted = new Float64Array(n);
  let totalExpected = 0;
  let totalRealised = 0;
  for (let position = 0; position < n; position += 1) {
    const row = order[position] ?? 0;
    expectedSorted[position] = expectedValue[row] ?? 0;
    realisedSorted[position] = actualAmount[row] ?? 0;
    totalExpected += expectedValue[row] ?? 0;
    totalRealised += actualAmount[row] ?? 0;
  }
  const byDecile: RevenueGroup[] = [];
  const decileRunning = { expected: 0, realised: 0 };
  for (let decile = 1; decile <= 10; decile += 1) {
    byDecile.push(group(expectedSorted, realisedSorted, Math.floor(((decile - 1) * n) / 10), Math.floor((decile * n) / 10), decileRunning, totalRealised));
  }
  const byRankBand: RevenueGroup[] = [];
  const bandRunning = { expected: 0, realised: 0 };
  for (let start = 0; start < n; start += bandSize) {
    byRankBand.push(group(expectedSorted, realisedSorted, start, Math.min(start + bandSize, n), bandRunning, totalRealised));
  }
  return {
    rowCount: n,
    byDecile,
    byRankBand,
    totals: { expected: totalExpected, realised: totalRealised, realisedToExpected: totalExpected === 0 ? 0 : totalRealised / totalExpected },
  };
}
