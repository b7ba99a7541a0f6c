import { requireBinaryLabels, requirePositiveInteger, requireRows, requireSameLength, type NumericColumn } from './input-checks.js';
import { descendingOrder } from './score-order.js';

export interface GainsRow {
  /** 1-based group number: decile 1 holds the highest scores. */
  readonly group: number;
  readonly count: number;
  readonly positives: number;
  /** positives / count. */
  readonly rate: number;
  /** rate / overall positive rate (1 = no better than random). */
  readonly lift: number;
  readonly cumulativeCount: number;
  readonly cumulativePositives: number;
  readonly cumulativeRate: number;
  /** Share of all positives found in this group and the ones above it ("cumulative gains"). */
  readonly cumulativeGains: number;
  readonly cumulativeLift: number;
}

export interface RankBand {
  /** Ranks firstRank..lastRank inclusive (1-based), e.g. 1–1,000, 1,001–2,000. */
  readonly firstRank: number;
  readonly lastRank: number;
  readonly count: number;
  readonly positives: number;
  readonly rate: number;
  readonly cumulativeCount: number;
  readonly cumulativePositives: number;
  readonly cumulativeRate: number;
}

export interface TopNPrecision {
  /** N as asked; `count` is smaller when there are fewer rows. */
  readonly n: number;
  readonly count: number;
  readonly positives: number;
  readonly precision: number;
}

function checkInputs(scores: NumericColumn, labels: NumericColumn): void {
  requireRows(scores.length);
  requireSameLength('labels', scores.length, labels);
  requireBinaryLabels(labels);
}

/** Labels in score order (highest first, ties by row order), so every group below is a slice. */
function labelsInScoreOrder(scores: NumericColumn, labels: NumericColumn): Uint8Array {
  const order = descendingOrder(scores);
  const sorted = new Uint8Array(order.length);
  for (let position = 0; position < order.length; position += 1) sorted[position] = labels[order[position] ?? 0] ?? 0;
  return sorted;
}

function countPositives(sorted: Uint8Array, start: number, end: number): number {
  let positives = 0;
  for (let position = start; position < end; position += 1) positives += sorted[position] ?? 0;
  return positives;
}

/**
 * Gains and lift by equal-count group (deciles by default): rows sorted by score, highest first,
 * ties in row order; group g holds positions [floor((g−1)·n/G), floor(g·n/G)). A score shared across a
 * group boundary is split by row order, which keeps the table deterministic. Groups are empty only
 * when there are fewer rows than groups.
 */
export function gainsByGroup(scores: NumericColumn, labels: NumericColumn, groups = 10): GainsRow[] {
  checkInputs(scores, labels);
  requirePositiveInteger('groups', groups);
  const sorted = labelsInScoreOrder(scores, labels);
  const n = sorted.length;
  const totalPositives = countPositives(sorted, 0, n);
  const overallRate = totalPositives / n;
  const rows: GainsRow[] = [];
  let cumulativeCount = 0;
  let cumulativePositives = 0;
  for (let group = 1; group <= groups; group += 1) {
    const start = Math.floor(((group - 1) * n) / groups);
    const end = Math.floor((group * n) / groups);
    const count = end - start;
    const positives = countPositives(sorted, start, end);
    cumulativeCount += count;
    cumulativePositives += positives;
    const rate = count === 0 ? 0 : positives / count;
    const cumulativeRate = cumulativeCount === 0 ? 0 : cumulativePositives / cumulativeCount;
    rows.push({
      group,
      count,
      positives,
      rate,
      lift: overallRate === 0 ? 0 : rate / overallRate,
      cumulativeCount,
      cumulativePositives,
      cumulativeRate,
      cumulativeGains: totalPositives === 0 ? 0 : cumulativePositives / totalPositives,
      cumulativeLift: overallRate === 0 ? 0 : cumulativeRate / overallRate,
    });
  }
  return rows;
}

/** Gains and lift by decile. */
export function gainsByDecile(scores: NumericColumn, labels: NumericColumn): GainsRow[] {
  return gainsByGroup(scores, labels, 10);
}

/**
 * Positive incidence by rank band (ranks 1–bandSize, bandSize+1–2·bandSize, …; default 1,000),
 * with running totals: what a fundraiser sees when mailing "the top 3,000". The last band may be short.
 */
export function incidenceByRankBand(scores: NumericColumn, labels: NumericColumn, bandSize = 1000): RankBand[] {
  checkInputs(scores, labels);
  requirePositiveInteger('bandSize', bandSize);
  const sorted = labelsInScoreOrder(scores, labels);
  const bands: RankBand[] = [];
  let cumulativePositives = 0;
  for (let start = 0; start < sorted.length; start += bandSize) {
    const end = Math.min(start + bandSize, sorted.length);
    const positives = countPositives(sorted, start, end);
    cumulativePositives += positives;
    bands.push({
      firstRank: start + 1,
      lastRank: end,
      count: end - start,
      positives,
      rate: positives / (end - start),
      cumulativeCount: end,
      cumulativePositives,
      cumulativeRate: cumulativePositives / end,
    });
  }
  return bands;
}

/** Precision among the N highest-scored rows (ties by row order), for each N asked. */
export function topNPrecision(scores: NumericColumn, labels: NumericColumn, ns: readonly number[]): TopNPrecision[] {
  checkInputs(scores, labels);
  for (const n of ns) requirePositiveInteger('N', n);
  const sorted = labelsInScoreOrder(scores, labels);
  const prefix = new Float64Array(sorted.length + 1);
  for (let position = 0; position < sorted.length; position += 1) prefix[position + 1] = (prefix[position] ?? 0) + (sorted[position] ?? 0);
  return ns.map((n) => {
    const count = Math.min(n, sorted.length);
    const positives = prefix[count] ?? 0;
    return { n, count, positives, precision: positives / count };
  });
}
