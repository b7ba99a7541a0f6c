import { AppError } from '@kindling/errors';
import { predictRaw, trainGbdt, type FeatureMatrix, type GbdtParamsInput, type TreeEnsemble } from '@kindling/gbdt';
import {
  applyCalibrator,
  fitIsotonicCalibrator,
  fitPlattCalibrator,
  predictLogisticRegression,
  rocAuc,
  trainLogisticRegression,
  type Calibrator,
  type LogisticRegressionModel,
} from '@kindling/model-evaluation';

/**
 * Choosing a donor model. Donor files are often small and noisy, and there a regularised linear
 * model beats boosted trees; on large files with interactions the trees win. So Kindling does not
 * just boost: it fits a few candidates — two tree configurations and logistic regressions at
 * three penalties — on the training rows, and keeps the one with the best AUC on the tuning rows
 * (which also stop the trees early) — unless the best logistic regression comes within one
 * standard error of that AUC, in which case the simpler model is kept (Breiman's one-standard-error
 * rule: on a few hundred tuning rows, a lead smaller than its own noise is not a reason to prefer a
 * model with many more degrees of freedom). The best logistic regression is kept as the baseline
 * every model is reported against. The champion's raw scores on the tuning rows fit the calibrator.
 */
export interface LabelledRows {
  readonly matrix: FeatureMatrix;
  readonly labels: Float64Array;
}

export type CandidateSpec =
  | { readonly kind: 'gbdt'; readonly name: string; readonly params: GbdtParamsInput }
  | { readonly kind: 'logistic'; readonly name: string; readonly l2: number };

export type Champion =
  | { readonly kind: 'gbdt'; readonly name: string; readonly ensemble: TreeEnsemble; readonly params: Readonly<Record<string, unknown>> }
  | { readonly kind: 'logistic'; readonly name: string; readonly model: LogisticRegressionModel };

export interface CandidateResult {
  readonly name: string;
  readonly kind: CandidateSpec['kind'];
  readonly tuningAuc: number;
  /** Trees kept after early stopping (GBDT only). */
  readonly iterations?: number | undefined;
}

export interface FittedBinaryModel {
  readonly champion: Champion;
  readonly baseline: LogisticRegressionModel;
  readonly calibrator: Calibrator;
  readonly candidates: readonly CandidateResult[];
}

export interface BinaryModelOptions {
  readonly seed?: number;
  /** Replaces the default candidates (for example to benchmark one engine alone). */
  readonly candidates?: readonly CandidateSpec[];
  /** GBDT parameters laid over every tree candidate's (e.g. maxIterations in tests). */
  readonly gbdtOverrides?: GbdtParamsInput;
  /**
   * After choosing, fit the champion again on the training and tuning rows together (trees: as
   * many as early stopping kept). For small files without dates, where a fifth of the rows is a
   * real loss; the calibrator stays the one fitted on the tuning rows. Off by default: a model
   * validated by time is published as tested.
   */
  readonly refitOnAllRows?: boolean;
  /** Standard errors of tuning AUC within which the logistic regression is preferred; default 1, 0 picks the best AUC. */
  readonly simplerWithinStandardErrors?: number;
}

/** Tuned on donor data: slow learning with early stopping, subsampling, leaves that need support. */
const sharedTreeParams: GbdtParamsInput = { objective: 'logistic', learningRate: 0.05, maxIterations: 600, earlyStoppingRounds: 40, rowSubsample: 0.8, featureSubsample: 0.8, lambdaL2: 1 };

export const defaultCandidates: readonly CandidateSpec[] = [
  { kind: 'gbdt', name: 'gbdt-31-leaves', params: { ...sharedTreeParams, maxLeaves: 31, minSamplesLeaf: 40 } },
  { kind: 'gbdt', name: 'gbdt-7-leaves', params: { ...sharedTreeParams, maxLeaves: 7, minSamplesLeaf: 80, lambdaL2: 10 } },
  { kind: 'logistic', name: 'logistic-l2-1', l2: 1 },
  { kind: 'logistic', name: 'logistic-l2-30', l2: 30 },
  { kind: 'logistic', name: 'logistic-l2-1000', l2: 1000 },
];

/** Isotonic needs enough positives to be a curve, not a staircase of noise; Platt's two parameters do with few. */
const isotonicMinimumPositives = 200;

function countPositives(labels: Float64Array): number {
  let positives = 0;
  for (const label of labels) if (label === 1) positives += 1;
  return positives;
}

function requireBothClasses(name: string, labels: Float64Array): void {
  const positives = countPositives(labels);
  if (positives === 0 || positives === labels.length) {
    throw new AppError('VALIDATION_FAILED', `The ${name} rows have ${positives === 0 ? 'no positive' : 'only positive'} outcomes: a model needs both (${String(labels.length)} rows)`);
  }
}

/** Hanley & McNeil (1982): the standard error of an AUC from its value and the class sizes. */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

interface FittedCandidate {
  readonly champion: Champion;
  readonly tuningScores: Float64Array;
  readonly result: CandidateResult;
}

function fitCandidate(spec: CandidateSpec, train: LabelledRows, tuning: LabelledRows, options: BinaryModelOptions): FittedCandidate {
  if (spec.kind === 'logistic') {
    const model = trainLogisticRegression(train.matrix, train.labels, { l2: spec.l2 });
    const tuningScores = predictLogisticRegression(model, tuning.matrix);
    return { champion: { kind: 'logistic', name: spec.name, model }, tuningScores, result: { name: spec.name, kind: 'logistic', tuningAuc: rocAuc(tuningScores, tuning.labels) } };
  }
  const params: GbdtParamsInput = { ...spec.params, ...options.gbdtOverrides, seed: options.seed ?? 0 };
  const { model, bestIteration } = trainGbdt(train.matrix, train.labels, params, { validation: { matrix: tuning.matrix, labels: tuning.labels } });
  const tuningScores = predictRaw(model, tuning.matrix);
  return {
    champion: { kind: 'gbdt', name: spec.name, ensemble: model, params },
    tuningScores,
    result: { name: spec.name, kind: 'gbdt', tuningAuc: rocAuc(tuningScores, tuning.labels), iterations: bestIteration },
  };
}

/** Raw scores on the log-odds scale (trees) or probabilities (logistic): monotone either way, which is all calibration needs. */
export function championRawScores(champion: Champion, matrix: FeatureMatrix): Float64Array {
  return champion.kind === 'gbdt' ? predictRaw(champion.ensemble, matrix) : predictLogisticRegression(champion.model, matrix);
}

export function fitCalibrator(rawScores: Float64Array, labels: Float64Array): Calibrator {
  return countPositives(labels) >= isotonicMinimumPositives ? fitIsotonicCalibrator(rawScores, labels) : fitPlattCalibrator(rawScores, labels);
}

export function fitBinaryModel(train: LabelledRows, tuning: LabelledRows, options: BinaryModelOptions = {}): FittedBinaryModel {
  requireBothClasses('training', train.labels);
  requireBothClasses('tuning', tuning.labels);
  const fitted = (options.candidates ?? defaultCandidates).map((spec) => fitCandidate(spec, train, tuning, options));
  const best = (kind?: CandidateSpec['kind']) =>
    fitted.filter((candidate) => kind === undefined || candidate.result.kind === kind).reduce<FittedCandidate | undefined>((top, candidate) => (top === undefined || candidate.result.tuningAuc > top.result.tuningAuc ? candidate : top), undefined);
  const top = best();
  if (top === undefined) throw new AppError('VALIDATION_FAILED', 'No candidate model was given');
  const positives = countPositives(tuning.labels);
  const margin = (candidate: FittedCandidate) => (options.simplerWithinStandardErrors ?? 1) * aucStandardError(candidate.result.tuningAuc, positives, tuning.labels.length - positives);
  /** The preferred candidate, unless the best beats it by more than the noise in the tuning AUC. */
  const preferUnlessClearlyBeaten = (preferred: FittedCandidate, leader: FittedCandidate) => (preferred.result.tuningAuc >= leader.result.tuningAuc - margin(leader) ? preferred : leader);
  const logistic = fitted.filter((candidate) => candidate.result.kind === 'logistic');
  const firstLogistic = logistic[0] ?? fitCandidate({ kind: 'logistic', name: 'logistic-l2-1', l2: 1 }, train, tuning, options);
  // The first logistic candidate (the mildest penalty by default) is preferred among them too: a
  // few hundred tuning rows cannot tell penalties apart reliably.
  const bestLogistic = preferUnlessClearlyBeaten(firstLogistic, best('logistic') ?? firstLogistic);
  const champion = preferUnlessClearlyBeaten(bestLogistic, top);
  const baseline = bestLogistic.champion;
  if (baseline.kind !== 'logistic') throw new AppError('INTERNAL', 'The baseline must be a logistic regression');
  return {
    champion: options.refitOnAllRows === true ? refit(champion, concatRows(train, tuning), options) : champion.champion,
    baseline: baseline.model,
    calibrator: fitCalibrator(champion.tuningScores, tuning.labels),
    candidates: fitted.map((candidate) => candidate.result),
  };
}

function concatRows(a: LabelledRows, b: LabelledRows): LabelledRows {
  const join = (x: Float64Array, y: Float64Array) => {
    const joined = new Float64Array(x.length + y.length);
    joined.set(x);
    joined.set(y, x.length);
    return joined;
  };
  return {
    matrix: { rowCount: a.matrix.rowCount + b.matrix.rowCount, features: a.matrix.features, columns: a.matrix.columns.map((column, j) => join(column, b.matrix.columns[j] ?? new Float64Array(b.matrix.rowCount))) },
    labels: join(a.labels, b.labels),
  };
}

function refit(chosen: FittedCandidate, rows: LabelledRows, options: BinaryModelOptions): Champion {
  const { champion } = chosen;
  if (champion.kind === 'logistic') return { ...champion, model: trainLogisticRegression(rows.matrix, rows.labels, { l2: champion.model.l2 }) };
  const params = { ...champion.params, maxIterations: Math.max(1, chosen.result.iterations ?? 1), earlyStoppingRounds: undefined, seed: options.seed ?? 0 } as GbdtParamsInput;
  return { ...champion, ensemble: trainGbdt(rows.matrix, rows.labels, params).model };
}

/** Calibrated probabilities of the fitted model. */
export function predictProbabilities(model: Pick<FittedBinaryModel, 'champion' | 'calibrator'>, matrix: FeatureMatrix): Float64Array {
  return applyCalibrator(model.calibrator, championRawScores(model.champion, matrix));
}
