import { z } from 'zod';
import { AppError } from '@kindling/errors';
import { requireBinaryLabels, requireFiniteScores, requireRows, requireSameLength, requireWeights, weightAt, type NumericColumn } from './input-checks.js';
import { ascendingOrder } from './score-order.js';
import { sigmoid, softplus } from './logistic-functions.js';

/**
 * How an isotonic calibrator scores between its fitted blocks:
 * - 'linear': knots at each block's midpoint (the middle of its lowest and highest training score)
 *   carry the block's rate, and scores between two knots are interpolated linearly — smoother ranks,
 *   fewer ties; a score below the first or above the last knot takes that knot's rate.
 * - 'step': knots at each block's lowest training score; a score takes the rate of the last knot at
 *   or below it (the first knot's rate below them all) — exactly the fitted step function.
 * Both are non-decreasing in the raw score and stay within [0, 1].
 */
export type IsotonicInterpolation = 'linear' | 'step';

export interface IsotonicCalibrator {
  readonly kind: 'isotonic';
  readonly interpolation: IsotonicInterpolation;
  /** Knot positions in raw-score units, strictly increasing. */
  readonly x: readonly number[];
  /** Calibrated probability at each knot, non-decreasing, in [0, 1]. */
  readonly y: readonly number[];
}

/** p = 1 / (1 + exp(−(slope · score + intercept))). */
export interface PlattCalibrator {
  readonly kind: 'platt';
  readonly slope: number;
  readonly intercept: number;
}

/** Maps a model's raw score to a probability; plain JSON data. */
export type Calibrator = IsotonicCalibrator | PlattCalibrator;

export interface CalibratorFitOptions {
  readonly weights?: NumericColumn;
}

function checkFitInputs(scores: NumericColumn, labels: NumericColumn, weights: NumericColumn | undefined): void {
  requireRows(scores.length);
  requireSameLength('labels', scores.length, labels);
  requireBinaryLabels(labels);
  requireFiniteScores('score', scores);
  requireWeights(weights, scores.length);
}

const clip01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * Isotonic regression of labels on scores by pool-adjacent-violators, weighted, O(n log n) (the sort;
 * the pooling is linear). Rows sharing a score are pooled first, so equal scores always get equal
 * probabilities. Fit on held-out rows, never on the rows the model was trained on.
 */
export function fitIsotonicCalibrator(scores: NumericColumn, labels: NumericColumn, options: CalibratorFitOptions & { readonly interpolation?: IsotonicInterpolation } = {}): IsotonicCalibrator {
  const { weights, interpolation = 'linear' } = options;
  checkFitInputs(scores, labels, weights);
  const order = ascendingOrder(scores);
  // Block stack: one slot per block, merged in place as violators are pooled.
  const value = new Float64Array(order.length);
  const weight = new Float64Array(order.length);
  const low = new Float64Array(order.length);
  const high = new Float64Array(order.length);
  let top = -1;
  let position = 0;
  while (position < order.length) {
    const score = scores[order[position] ?? 0] ?? 0;
    let sum = 0;
    let total = 0;
    while (position < order.length && scores[order[position] ?? 0] === score) {
      const row = order[position] ?? 0;
      const w = weightAt(weights, row);
      sum += w * (labels[row] ?? 0);
      total += w;
      position += 1;
    }
    if (total === 0) continue;
    top += 1;
    value[top] = sum / total;
    weight[top] = total;
    low[top] = score;
    high[top] = score;
    // Equal neighbours are pooled too: the step function is the same, with fewer knots to interpolate between.
    while (top > 0 && (value[top - 1] ?? 0) >= (value[top] ?? 0)) {
      const merged = (weight[top - 1] ?? 0) + (weight[top] ?? 0);
      value[top - 1] = ((value[top - 1] ?? 0) * (weight[top - 1] ?? 0) + (value[top] ?? 0) * (weight[top] ?? 0)) / merged;
      weight[top - 1] = merged;
      high[top - 1] = high[top] ?? 0;
      top -= 1;
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let block = 0; block <= top; block += 1) {
    x.push(interpolation === 'linear' ? ((low[block] ?? 0) + (high[block] ?? 0)) / 2 : (low[block] ?? 0));
    y.push(clip01(value[block] ?? 0));
  }
  return { kind: 'isotonic', interpolation, x, y };
}

/** Index of the last knot at or below the score, or −1 when the score is below every knot. */
function lastKnotAtOrBelow(x: readonly number[], score: number): number {
  let lowIndex = -1;
  let highIndex = x.length - 1;
  while (lowIndex < highIndex) {
    const middle = (lowIndex + highIndex + 1) >> 1;
    if ((x[middle] ?? 0) <= score) lowIndex = middle;
    else highIndex = middle - 1;
  }
  return lowIndex;
}

function applyIsotonic(calibrator: IsotonicCalibrator, score: number): number {
  const { x, y } = calibrator;
  const knot = lastKnotAtOrBelow(x, score);
  if (knot < 0) return y[0] ?? 0;
  if (calibrator.interpolation === 'step' || knot === x.length - 1) return y[knot] ?? 0;
  const x0 = x[knot] ?? 0;
  const x1 = x[knot + 1] ?? 0;
  const y0 = y[knot] ?? 0;
  const y1 = y[knot + 1] ?? 0;
  return clip01(y0 + ((score - x0) / (x1 - x0)) * (y1 - y0));
}

/** Platt's smoothed targets: positives aim at (N₊+1)/(N₊+2), negatives at 1/(N₋+2), so a separable set stays finite. */
export function plattTargets(labels: NumericColumn, weights?: NumericColumn): { positive: number; negative: number } {
  let positives = 0;
  let negatives = 0;
  for (let row = 0; row < labels.length; row += 1) {
    if (labels[row] === 1) positives += weightAt(weights, row);
    else negatives += weightAt(weights, row);
  }
  return { positive: (positives + 1) / (positives + 2), negative: 1 / (negatives + 2) };
}

/** Weighted cross-entropy of Platt's smoothed targets under slope/intercept (what the fit minimises). */
export function plattObjective(scores: NumericColumn, labels: NumericColumn, slope: number, intercept: number, weights?: NumericColumn): number {
  const targets = plattTargets(labels, weights);
  let loss = 0;
  for (let row = 0; row < scores.length; row += 1) {
    const z = slope * (scores[row] ?? 0) + intercept;
    const target = labels[row] === 1 ? targets.positive : targets.negative;
    loss += weightAt(weights, row) * (softplus(z) - target * z);
  }
  return loss;
}

/**
 * Platt scaling: a two-parameter logistic fit of labels on raw scores, by Newton's method with
 * backtracking (Lin, Lin & Weng's safeguarded version) on Platt's smoothed targets. Fit on held-out rows.
 */
export function fitPlattCalibrator(scores: NumericColumn, labels: NumericColumn, options: CalibratorFitOptions = {}): PlattCalibrator {
  const { weights } = options;
  checkFitInputs(scores, labels, weights);
  const targets = plattTargets(labels, weights);
  let positives = 0;
  let negatives = 0;
  for (let row = 0; row < labels.length; row += 1) {
    if (labels[row] === 1) positives += weightAt(weights, row);
    else negatives += weightAt(weights, row);
  }
  let slope = 0;
  let intercept = Math.log((positives + 1) / (negatives + 1));
  let loss = plattObjective(scores, labels, slope, intercept, weights);
  const totalWeight = positives + negatives;
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let gSlope = 0;
    let gIntercept = 0;
    let hSS = 1e-12;
    let hSI = 0;
    let hII = 1e-12;
    for (let row = 0; row < scores.length; row += 1) {
      const score = scores[row] ?? 0;
      const w = weightAt(weights, row);
      const p = sigmoid(slope * score + intercept);
      const residual = w * (p - (labels[row] === 1 ? targets.positive : targets.negative));
      const curvature = w * p * (1 - p);
      gSlope += residual * score;
      gIntercept += residual;
      hSS += curvature * score * score;
      hSI += curvature * score;
      hII += curvature;
    }
    if (Math.abs(gSlope) + Math.abs(gIntercept) < 1e-11 * totalWeight) break;
    const determinant = hSS * hII - hSI * hSI;
    const stepSlope = -(hII * gSlope - hSI * gIntercept) / determinant;
    const stepIntercept = -(hSS * gIntercept - hSI * gSlope) / determinant;
    const descent = gSlope * stepSlope + gIntercept * stepIntercept;
    let size = 1;
    let accepted = false;
    while (size >= 1e-10) {
      const candidate = plattObjective(scores, labels, slope + size * stepSlope, intercept + size * stepIntercept, weights);
      if (candidate <= loss + 1e-4 * size * descent) {
        slope += size * stepSlope;
        intercept += size * stepIntercept;
        loss = candidate;
        accepted = true;
        break;
      }
      size /= 2;
    }
    if (!accepted) break;
  }
  return { kind: 'platt', slope, intercept };
}

/** Calibrated probabilities for raw scores; a NaN score (no score) stays NaN. */
export function applyCalibrator(calibrator: Calibrator, scores: NumericColumn): Float64Array {
  const result = new Float64Array(scores.length);
  for (let row = 0; row < scores.length; row += 1) {
    const score = scores[row] ?? Number.NaN;
    if (Number.isNaN(score)) result[row] = Number.NaN;
    else result[row] = calibrator.kind === 'platt' ? sigmoid(calibrator.slope * score + calibrator.intercept) : applyIsotonic(calibrator, score);
  }
  return result;
}

const calibratorFormat = 'kindling.calibrator';
/** Bumped when the meaning of stored fields changes, so an old file is refused rather than misread. */
export const calibratorVersion = 1;

const finite = z.number().refine(Number.isFinite, 'must be finite');

/** The stored form of a calibrator (also usable inside a larger model file). */
export const calibratorSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('isotonic'),
      interpolation: z.enum(['linear', 'step']),
      x: z.array(finite).min(1),
      y: z.array(z.number().min(0).max(1)).min(1),
    })
    .strict()
    .superRefine((calibrator, context) => {
      if (calibrator.x.length !== calibrator.y.length) context.addIssue({ code: 'custom', message: 'x and y must have one value per knot' });
      for (let knot = 1; knot < calibrator.x.length; knot += 1) {
        if (!((calibrator.x[knot] ?? 0) > (calibrator.x[knot - 1] ?? 0))) context.addIssue({ code: 'custom', message: 'knots must be strictly increasing', path: ['x', knot] });
        if ((calibrator.y[knot] ?? 0) < (calibrator.y[knot - 1] ?? 0)) context.addIssue({ code: 'custom', message: 'calibrated values must not decrease', path: ['y', knot] });
      }
    }),
  z.object({ kind: z.literal('platt'), slope: finite, intercept: finite }).strict(),
]);

const calibratorFileSchema = z.object({ format: z.literal(calibratorFormat), version: z.literal(calibratorVersion), calibrator: calibratorSchema }).strict();

/** The calibrator as a JSON document. */
export function serialiseCalibrator(calibrator: Calibrator): string {
  return JSON.stringify({ format: calibratorFormat, version: calibratorVersion, calibrator });
}

/** Reads a document written by `serialiseCalibrator`; anything else is refused with VALIDATION_FAILED naming the problem. */
export function parseCalibrator(text: string): Calibrator {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', 'the calibrator file is not JSON', { cause: error });
  }
  const parsed = calibratorFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `the calibrator file is not valid: ${z.prettifyError(parsed.error)}`, { details: { issues: parsed.error.issues.map((issue) => issue.message) } });
  }
  return parsed.data.calibrator;
}
