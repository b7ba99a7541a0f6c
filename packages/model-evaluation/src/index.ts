export { rocAuc, averagePrecision, prAuc, logLoss, brierScore, logLossEpsilon } from './binary-metrics.js';
export { calibrationCurve, type BinStrategy, type CalibrationBin, type CalibrationCurve, type CalibrationCurveOptions } from './calibration-curve.js';
export { gainsByDecile, gainsByGroup, incidenceByRankBand, topNPrecision, type GainsRow, type RankBand, type TopNPrecision } from './gains-lift.js';
export { evaluateRevenue, type RevenueEvaluation, type RevenueEvaluationOptions, type RevenueGroup } from './revenue-evaluation.js';
export {
  applyCalibrator,
  calibratorSchema,
  calibratorVersion,
  fitIsotonicCalibrator,
  fitPlattCalibrator,
  parseCalibrator,
  serialiseCalibrator,
  type Calibrator,
  type CalibratorFitOptions,
  type IsotonicCalibrator,
  type IsotonicInterpolation,
  type PlattCalibrator,
} from './calibrators.js';
export { belowMinimumScore, minimumActionableScore, rankScores, type BelowThreshold, type RankOptions, type Ranking } from './ranks.js';
export {
  logisticRegressionModelSchema,
  parseLogisticRegression,
  predictLogisticRegression,
  trainLogisticRegression,
  type DesignColumn,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
} from './logistic-regression.js';
export { logisticContributions } from './logistic-contributions.js';
export { buildAmountReport, buildBinaryReport, defaultTopN, modelReportSchema, type AmountReportOptions, type ModelReport, type ReportOptions } from './model-report.js';
export { formatReportTable, type ReportTableOptions } from './report-table.js';
export { foldSplit, latestCutoffSplit, selectRows, selectValues, stratifiedKFold, type RowSplit } from './cross-validation.js';
export type { NumericColumn } from './input-checks.js';
