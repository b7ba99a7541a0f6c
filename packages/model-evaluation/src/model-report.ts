import { z } from 'zod';
import { averagePrecision, brierScore, logLoss, rocAuc } from './binary-metrics.js';
import { calibrationCurve, type BinStrategy } from './calibration-curve.js';
import { gainsByDecile, incidenceByRankBand, topNPrecision } from './gains-lift.js';
import { requireFiniteScores, requireSameLength, type NumericColumn } from './input-checks.js';
import { evaluateRevenue } from './revenue-evaluation.js';

const gainsRowSchema = z.object({
  group: z.number().int(),
  count: z.number().int(),
  positives: z.number().int(),
  rate: z.number(),
  lift: z.number(),
  cumulativeCount: z.number().int(),
  cumulativePositives: z.number().int(),
  cumulativeRate: z.number(),
  cumulativeGains: z.number(),
  cumulativeLift: z.number(),
});

const rankBandSchema = z.object({
  firstRank: z.number().int(),
  lastRank: z.number().int(),
  count: z.number().int(),
  positives: z.number().int(),
  rate: z.number(),
  cumulativeCount: z.number().int(),
  cumulativePositives: z.number().int(),
  cumulativeRate: z.number(),
});

const revenueGroupSchema = z.object({
  firstRank: z.number().int(),
  lastRank: z.number().int(),
  count: z.number().int(),
  expected: z.number(),
  realised: z.number(),
  givers: z.number().int(),
  cumulativeExpected: z.number(),
  cumulativeRealised: z.number(),
  cumulativeRealisedShare: z.number(),
});

/** One model's evaluation as the app and the CLI show it; plain JSON. */
export const modelReportSchema = z.object({
  kind: z.enum(['binary', 'amount']),
  rowCount: z.number().int().min(1),
  /** Binary: rows labelled 1. Amount: rows that gave (actual amount > 0). */
  positives: z.number().int().min(0),
  metrics: z.object({
    auc: z.number(),
    prAuc: z.number(),
    /** Only when the report has probabilities (always for binary reports). */
    logLoss: z.number().nullable(),
    brier: z.number().nullable(),
  }),
  calibrationCurve: z
    .object({
      strategy: z.enum(['uniform', 'quantile']),
      bins: z.array(z.object({ lower: z.number(), upper: z.number(), count: z.number().int(), weight: z.number(), meanPredicted: z.number(), observedRate: z.number() })),
      expectedCalibrationError: z.number(),
    })
    .nullable(),
  gainsByDecile: z.array(gainsRowSchema),
  incidenceByRankBand: z.array(rankBandSchema),
  topNPrecision: z.array(z.object({ n: z.number().int(), count: z.number().int(), positives: z.number().int(), precision: z.number() })),
  /** The model's AUC against the logistic-regression baseline's on the same rows; null when no baseline was given. */
  baseline: z.object({ auc: z.number(), baselineAuc: z.number(), difference: z.number(), beatsBaseline: z.boolean() }).nullable(),
  revenue: z
    .object({
      rowCount: z.number().int(),
      byDecile: z.array(revenueGroupSchema),
      byRankBand: z.array(revenueGroupSchema),
      totals: z.object({ expected: z.number(), realised: z.number(), realisedToExpected: z.number() }),
    })
    .nullable(),
});

export type ModelReport = z.infer<typeof modelReportSchema>;

/** Reports count rows unweighted: they describe the file as it will be mailed. */
export interface ReportOptions {
  /** The logistic-regression baseline's scores for the same rows, for the comparison. */
  readonly baselineScores?: NumericColumn;
  readonly calibrationBins?: number;
  readonly calibrationStrategy?: BinStrategy;
  /** Rank band size (default 1,000). */
  readonly bandSize?: number;
  /** Ns for top-N precision (default 100, 500, 1,000, 5,000). */
  readonly topN?: readonly number[];
}

export const defaultTopN: readonly number[] = [100, 500, 1000, 5000];

function baselineComparison(scores: NumericColumn, labels: NumericColumn, baselineScores: NumericColumn | undefined): ModelReport['baseline'] {
  if (baselineScores === undefined) return null;
  requireSameLength('baseline scores', scores.length, baselineScores);
  const auc = rocAuc(scores, labels);
  const baselineAuc = rocAuc(baselineScores, labels);
  return { auc, baselineAuc, difference: auc - baselineAuc, beatsBaseline: auc > baselineAuc };
}

function rankingSections(scores: NumericColumn, labels: NumericColumn, options: ReportOptions) {
  return {
    gainsByDecile: gainsByDecile(scores, labels),
    incidenceByRankBand: incidenceByRankBand(scores, labels, options.bandSize ?? 1000),
    topNPrecision: topNPrecision(scores, labels, options.topN ?? defaultTopN),
    baseline: baselineComparison(scores, labels, options.baselineScores),
  };
}

function curve(probabilities: NumericColumn, labels: NumericColumn, options: ReportOptions): NonNullable<ModelReport['calibrationCurve']> {
  const result = calibrationCurve(probabilities, labels, { bins: options.calibrationBins ?? 10, strategy: options.calibrationStrategy ?? 'uniform' });
  return { strategy: result.strategy, bins: [...result.bins], expectedCalibrationError: result.expectedCalibrationError };
}

function countPositives(labels: NumericColumn): number {
  return Array.prototype.filter.call(labels, (label) => label === 1).length;
}

/**
 * The report of a response (binary) model: `probabilities` are its calibrated scores for held-out rows,
 * `labels` what happened (0/1). Needs both classes.
 */
export function buildBinaryReport(probabilities: NumericColumn, labels: NumericColumn, options: ReportOptions = {}): ModelReport {
  return {
    kind: 'binary',
    rowCount: probabilities.length,
    positives: countPositives(labels),
    metrics: {
      auc: rocAuc(probabilities, labels),
      prAuc: averagePrecision(probabilities, labels),
      logLoss: logLoss(probabilities, labels),
      brier: brierScore(probabilities, labels),
    },
    calibrationCurve: curve(probabilities, labels, options),
    ...rankingSections(probabilities, labels, options),
    revenue: null,
  };
}

export interface AmountReportOptions extends ReportOptions {
  /** The response probabilities behind the expected values, for log loss, Brier score and the calibration curve. */
  readonly probabilities?: NumericColumn;
  /** What the model ranks by (e.g. ROI), highest first; defaults to the expected value. */
  readonly rankBy?: NumericColumn;
}

/**
 * The report of an amount or ROI model: `expectedValue` is its predicted revenue per row, `actualAmount`
 * what each row gave. Ranking metrics treat "gave anything" as the positive class; revenue compares
 * expected with realised amounts by decile and rank band.
 */
export function buildAmountReport(expectedValue: NumericColumn, actualAmount: NumericColumn, options: AmountReportOptions = {}): ModelReport {
  requireSameLength('actual amounts', expectedValue.length, actualAmount);
  requireFiniteScores('actual amount', actualAmount);
  const gave = Uint8Array.from({ length: actualAmount.length }, (_, row) => ((actualAmount[row] ?? 0) > 0 ? 1 : 0));
  const ranking = options.rankBy ?? expectedValue;
  const { probabilities } = options;
  return {
    kind: 'amount',
    rowCount: expectedValue.length,
    positives: countPositives(gave),
    metrics: {
      auc: rocAuc(ranking, gave),
      prAuc: averagePrecision(ranking, gave),
      logLoss: probabilities === undefined ? null : logLoss(probabilities, gave),
      brier: probabilities === undefined ? null : brierScore(probabilities, gave),
    },
    calibrationCurve: probabilities === undefined ? null : curve(probabilities, gave, options),
    ...rankingSections(ranking, gave, options),
    revenue: evaluateRevenue(expectedValue, actualAmount, options.rankBy === undefined ? { bandSize: options.bandSize ?? 1000 } : { rankBy: options.rankBy, bandSize: options.bandSize ?? 1000 }),
  };
}
