import { AppError } from '@kindling/errors';
import {
  requireBinaryLabels,
  requireFiniteScores,
  requireProbabilities,
  requireRows,
  requireSameLength,
  requireWeights,
  weightAt,
  type NumericColumn,
} from './input-checks.js';
import { ascendingOrder, descendingOrder } from './score-order.js';

/** Probabilities are clipped to [ε, 1 − ε] before the logarithm, so a confident miss costs a large but finite loss. */
export const logLossEpsilon = 1e-15;

function checkScored(scores: NumericColumn, labels: NumericColumn, weights: NumericColumn | undefined): void {
  requireRows(scores.length);
  requireSameLength('labels', scores.length, labels);
  requireBinaryLabels(labels);
  requireFiniteScores('score', scores);
  requireWeights(weights, scores.length);
}

function classWeights(labels: NumericColumn, weights: NumericColumn | undefined): { positive: number; negative: number } {
  let positive = 0;
  let negative = 0;
  for (let row = 0; row < labels.length; row += 1) {
    if (labels[row] === 1) positive += weightAt(weights, row);
    else negative += weightAt(weights, row);
  }
  return { positive, negative };
}

function requireBothClasses(metric: string, totals: { positive: number; negative: number }): void {
  if (!(totals.positive > 0) || !(totals.negative > 0)) {
    throw new AppError('VALIDATION_FAILED', `${metric} needs both positive and negative rows (with weight); this set has only one class`, { details: { metric } });
  }
}

/**
 * Area under the ROC curve: the (weighted) probability that a random positive scores above a random
 * negative, a tie counting one half — the Mann-Whitney statistic with average ranks for ties.
 * O(n log n). Throws VALIDATION_FAILED when either class is absent.
 */
export function rocAuc(scores: NumericColumn, labels: NumericColumn, weights?: NumericColumn): number {
  checkScored(scores, labels, weights);
  const totals = classWeights(labels, weights);
  requireBothClasses('ROC AUC', totals);
  const order = ascendingOrder(scores);
  let negativesBelow = 0;
  let concordant = 0;
  let start = 0;
  while (start < order.length) {
    const score = scores[order[start] ?? 0];
    let end = start;
    let positives = 0;
    let negatives = 0;
    while (end < order.length && scores[order[end] ?? 0] === score) {
      const row = order[end] ?? 0;
      if (labels[row] === 1) positives += weightAt(weights, row);
      else negatives += weightAt(weights, row);
      end += 1;
    }
    concordant += positives * (negativesBelow + negatives / 2);
    negativesBelow += negatives;
    start = end;
  }
  return concordant / (totals.positive * totals.negative);
}

/**
 * Average precision, scikit-learn's step definition: Σ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score
 * thresholds from the highest down, with no interpolation. Rows sharing a score enter together.
 * Throws VALIDATION_FAILED without positives.
 */
export function averagePrecision(scores: NumericColumn, labels: NumericColumn, weights?: NumericColumn): number {
  checkScored(scores, labels, weights);
  const totals = classWeights(labels, weights);
  if (!(totals.positive > 0)) throw new AppError('VALIDATION_FAILED', 'average precision needs at least one positive row', { details: { metric: 'PR AUC' } });
  const order = descendingOrder(scores);
  let truePositives = 0;
  let falsePositives = 0;
  let previousRecall = 0;
  let area = 0;
  let start = 0;
  while (start < order.length) {
    const score = scores[order[start] ?? 0];
    let end = start;
    while (end < order.length && scores[order[end] ?? 0] === score) {
      const row = order[end] ?? 0;
      if (labels[row] === 1) truePositives += weightAt(weights, row);
      else falsePositives += weightAt(weights, row);
      end += 1;
    }
    const recall = truePositives / totals.positive;
    const selected = truePositives + falsePositives;
    if (selected > 0) area += (recall - previousRecall) * (truePositives / selected);
    previousRecall = recall;
    start = end;
  }
  return area;
}

/** PR AUC is reported as average precision (the area under the step-wise precision-recall curve). */
export const prAuc = averagePrecision;

function checkProbabilities(probabilities: NumericColumn, labels: NumericColumn, weights: NumericColumn | undefined): number {
  requireRows(probabilities.length);
  requireSameLength('labels', probabilities.length, labels);
  requireBinaryLabels(labels);
  requireProbabilities(probabilities);
  return requireWeights(weights, probabilities.length);
}

/**
 * Mean (weighted) negative log-likelihood of the labels, natural log, probabilities clipped to
 * [1e-15, 1 − 1e-15]. Probabilities outside [0, 1] or NaN are refused with VALIDATION_FAILED.
 */
export function logLoss(probabilities: NumericColumn, labels: NumericColumn, weights?: NumericColumn): number {
  const totalWeight = checkProbabilities(probabilities, labels, weights);
  let loss = 0;
  for (let row = 0; row < probabilities.length; row += 1) {
    const p = Math.min(Math.max(probabilities[row] ?? 0, logLossEpsilon), 1 - logLossEpsilon);
    loss -= weightAt(weights, row) * (labels[row] === 1 ? Math.log(p) : Math.log1p(-p));
  }
  return loss / totalWeight;
}

/** Mean (weighted) squared difference between probability and label. */
export function brierScore(probabilities: NumericColumn, labels: NumericColumn, weights?: NumericColumn): number {
  const totalWeight = checkProbabilities(probabilities, labels, weights);
  let sum = 0;
  for (let row = 0; row < probabilities.length; row += 1) {
    const difference = (probabilities[row] ?? 0) - (labels[row] ?? 0);
    sum += weightAt(weights, row) * difference * difference;
  }
  return sum / totalWeight;
}
