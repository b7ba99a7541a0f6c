import { isoFromDay, type TrainingSet } from '@kindling/features';
import { buildBinaryReport, predictLogisticRegression, type ModelReport } from '@kindling/model-evaluation';
import { fitBinaryModel, predictProbabilities, type BinaryModelOptions } from './binary-model-selection.js';
import { rowsOf, splitByTime } from './time-split.js';
import { propensityModelFormat, type PropensityModel } from './propensity-model.js';

export interface TrainPropensityOptions extends BinaryModelOptions {
  /** When the model was trained (ISO 8601); defaults to now. */
  readonly trainedAt?: string;
}

/**
 * Trains a propensity model from a rolling-origin training set, validated by time: the trees and
 * regressions learn from the earlier cutoffs, and the latest cutoff — the most recent year the
 * labels can be known for — tunes, calibrates and tests them. Never a random split across time:
 * that would let a model learn from the future it is tested on.
 */
export function trainPropensityModel(set: TrainingSet, options: TrainPropensityOptions = {}): PropensityModel {
  const { train, tuning, test } = splitByTime(set, options.seed ?? 0);
  const fitted = fitBinaryModel(rowsOf(set, train), rowsOf(set, tuning), options);
  const testRows = rowsOf(set, test);
  const probabilities = predictProbabilities(fitted, testRows.matrix);
  const report: ModelReport = buildBinaryReport(probabilities, testRows.labels, { baselineScores: predictLogisticRegression(fitted.baseline, testRows.matrix) });
  return {
    format: propensityModelFormat,
    version: 1,
    outcome: set.outcome,
    windowMonths: set.windowMonths,
    trainedAt: options.trainedAt ?? new Date().toISOString(),
    cutoffs: set.cutoffs.map(isoFromDay),
    rows: { train: train.length, tuning: tuning.length, test: test.length },
    featureNames: set.matrix.features.map((feature) => feature.name),
    features: set.matrix.features,
    champion: fitted.champion,
    baseline: fitted.baseline,
    calibrator: fitted.calibrator,
    candidates: fitted.candidates,
    report,
  };
}
