import { z } from 'zod';
import { AppError } from '@kindling/errors';
import type { FeatureMatrix } from '@kindling/gbdt';
import { requireBinaryLabels, requirePositiveInteger, requireRows, requireSameLength, requireWeights, weightAt, type NumericColumn } from './input-checks.js';
import { sigmoid, softplus } from './logistic-functions.js';

/**
 * The baseline every Kindling model must beat: L2-regularised logistic regression on standardised
 * features, fitted by inexact Newton (each step by conjugate gradients on Hessian-vector products,
 * never forming the Hessian, so a fit costs O(rows × design columns) per product and stays fast for
 * hundreds of design columns), deterministic (no randomness, fixed summation order).
 *
 * Design columns, all standardised with the training (weighted) mean and population standard deviation:
 * - a numeric feature gives its value, a missing value imputed with the training mean of present values;
 * - a feature with missing values in training also gets a missing-indicator column (1 = missing);
 * - a categorical feature gives one indicator per code seen in training (its `maxCategoryLevels` most
 *   frequent codes; rarer and unseen codes have all indicators 0).
 * A feature with no present value in training is dropped ('all-missing'); one that yields no column
 * with spread (a constant, with no missing values) is dropped ('constant'). Dropped features are listed
 * in the model and ignored when predicting, so the model never fails on them.
 */
export interface LogisticRegressionOptions {
  /** L2 penalty λ on the standardised coefficients (not the intercept); 1/C in scikit-learn's terms. Default 1. */
  readonly l2?: number;
  /** Newton iterations at most (default 100); a fit that has not converged by then says so in `converged`. */
  readonly maxIterations?: number;
  readonly weights?: NumericColumn;
  /** Indicator columns per categorical feature at most (default 50). */
  readonly maxCategoryLevels?: number;
}

const designColumnSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('value'), feature: z.number().int().min(0), impute: z.number(), center: z.number(), scale: z.number().positive() }).strict(),
  z.object({ kind: z.literal('missing'), feature: z.number().int().min(0), center: z.number(), scale: z.number().positive() }).strict(),
  z.object({ kind: z.literal('level'), feature: z.number().int().min(0), level: z.number(), center: z.number(), scale: z.number().positive() }).strict(),
]);

export type DesignColumn = z.infer<typeof designColumnSchema>;

/** A design column before its spread is known. */
type UnscaledColumn = DesignColumn extends infer Column ? (Column extends DesignColumn ? Omit<Column, 'center' | 'scale'> : never) : never;

/** The model's stored form (plain JSON). */
export const logisticRegressionModelSchema = z
  .object({
    format: z.literal('kindling.logistic-regression'),
    version: z.literal(1),
    /** The training matrix's feature names, in order; a matrix to score must have the same. */
    featureNames: z.array(z.string()),
    columns: z.array(designColumnSchema),
    /** One per design column, in standardised units. */
    coefficients: z.array(z.number()),
    intercept: z.number(),
    dropped: z.array(z.object({ feature: z.string(), reason: z.enum(['all-missing', 'constant']) }).strict()),
    l2: z.number(),
    iterations: z.number().int(),
    converged: z.boolean(),
  })
  .strict()
  .superRefine((model, context) => {
    if (model.coefficients.length !== model.columns.length) context.addIssue({ code: 'custom', message: 'there must be one coefficient per design column' });
    model.columns.forEach((column, index) => {
      if (column.feature >= model.featureNames.length) context.addIssue({ code: 'custom', message: `design column ${String(index)} names a feature that does not exist`, path: ['columns', index] });
    });
  });

export type LogisticRegressionModel = z.infer<typeof logisticRegressionModelSchema>;

/** Reads a stored model (the parsed JSON value); refuses anything else with VALIDATION_FAILED. */
export function parseLogisticRegression(value: unknown): LogisticRegressionModel {
  const parsed = logisticRegressionModelSchema.safeParse(value);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `the logistic regression model is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Weighted mean and population standard deviation of a design column before standardising. */
function spread(values: Float64Array, weights: NumericColumn | undefined, totalWeight: number): { center: number; scale: number } {
  let sum = 0;
  for (let row = 0; row < values.length; row += 1) sum += weightAt(weights, row) * (values[row] ?? 0);
  const center = sum / totalWeight;
  let squares = 0;
  for (let row = 0; row < values.length; row += 1) {
    const deviation = (values[row] ?? 0) - center;
    squares += weightAt(weights, row) * deviation * deviation;
  }
  return { center, scale: Math.sqrt(squares / totalWeight) };
}

/** Raw (unstandardised) values of one design column for a source column. */
export function designValues(column: UnscaledColumn, source: Float64Array): Float64Array {
  const values = new Float64Array(source.length);
  if (column.kind === 'value') {
    const { impute } = column;
    for (let row = 0; row < source.length; row += 1) {
      const x = source[row] ?? Number.NaN;
      values[row] = Number.isNaN(x) ? impute : x;
    }
  } else if (column.kind === 'missing') {
    for (let row = 0; row < source.length; row += 1) values[row] = Number.isNaN(source[row] ?? Number.NaN) ? 1 : 0;
  } else {
    const { level } = column;
    for (let row = 0; row < source.length; row += 1) values[row] = source[row] === level ? 1 : 0;
  }
  return values;
}

/** Codes present in a categorical column, most frequent (by weight) first, ties by code. */
function frequentLevels(source: Float64Array, weights: NumericColumn | undefined, limit: number): number[] {
  const totals = new Map<number, number>();
  for (let row = 0; row < source.length; row += 1) {
    const x = source[row] ?? Number.NaN;
    if (!Number.isNaN(x)) totals.set(x, (totals.get(x) ?? 0) + weightAt(weights, row));
  }
  return [...totals]
    .filter(([, total]) => total > 0)
    .sort(([codeA, a], [codeB, b]) => b - a || codeA - codeB)
    .slice(0, limit)
    .map(([code]) => code);
}

/** A 0/1 design column (missing indicator, category level) as the rows where it is 1, with its standardisation. */
interface IndicatorColumn {
  /** Index of its coefficient in a parameter vector. */
  readonly parameter: number;
  readonly rows: Int32Array;
  readonly center: number;
  readonly scale: number;
}

/**
 * The training design as the solver reads it. Value columns are stored standardised and dense;
 * indicator columns are mostly 0 and would turn dense when centred, so they keep only the rows where
 * they are 1 and their centring is applied algebraically — a fraction of the memory and the passes.
 * Parameter vectors hold the intercept at index 0 and design column j's coefficient at j + 1.
 */
interface TrainingDesign {
  readonly rowCount: number;
  readonly parameterCount: number;
  readonly dense: readonly Float64Array[];
  /** Index of each dense column's coefficient in a parameter vector. */
  readonly denseParameters: readonly number[];
  readonly indicators: readonly IndicatorColumn[];
  /**
   * Indices into `indicators` of each feature's indicator columns, for features with several (its
   * category levels and missing indicator). They are 1 on disjoint rows, which makes their block of
   * the Hessian cheap to form exactly.
   */
  readonly indicatorGroups: readonly (readonly number[])[];
}

interface Design {
  readonly columns: DesignColumn[];
  readonly training: TrainingDesign;
  readonly dropped: LogisticRegressionModel['dropped'];
}

/** Spread lost in rounding (a constant column) would blow the standardised values up to noise. */
function keepsSpread(center: number, scale: number): boolean {
  return scale > 1e-12 * Math.max(1, Math.abs(center));
}

/**
 * The rows where an indicator column is 1, and its weighted mean and population standard deviation
 * (for 0/1 values, c and √(c(1 − c)) with c the weight share of those rows), without materialising
 * the mostly-zero column.
 */
function indicatorSpread(column: Extract<UnscaledColumn, { kind: 'missing' | 'level' }>, source: Float64Array, weights: NumericColumn | undefined, totalWeight: number): { rows: Int32Array; center: number; scale: number } {
  const rows: number[] = [];
  let weightOfOnes = 0;
  for (let row = 0; row < source.length; row += 1) {
    const x = source[row] ?? Number.NaN;
    if (column.kind === 'missing' ? Number.isNaN(x) : x === column.level) {
      rows.push(row);
      weightOfOnes += weightAt(weights, row);
    }
  }
  const center = weightOfOnes / totalWeight;
  return { rows: Int32Array.from(rows), center, scale: Math.sqrt(center * (1 - center)) };
}

function buildDesign(matrix: FeatureMatrix, weights: NumericColumn | undefined, totalWeight: number, maxCategoryLevels: number): Design {
  const columns: DesignColumn[] = [];
  const dense: Float64Array[] = [];
  const denseParameters: number[] = [];
  const indicators: IndicatorColumn[] = [];
  const indicatorGroups: number[][] = [];
  const dropped: LogisticRegressionModel['dropped'] = [];
  matrix.features.forEach((feature, index) => {
    const source = matrix.columns[index] ?? new Float64Array(matrix.rowCount);
    let presentWeight = 0;
    let presentSum = 0;
    let missingCount = 0;
    for (let row = 0; row < source.length; row += 1) {
      const x = source[row] ?? Number.NaN;
      if (Number.isNaN(x)) missingCount += 1;
      else {
        presentWeight += weightAt(weights, row);
        presentSum += weightAt(weights, row) * x;
      }
    }
    if (presentWeight === 0) {
      dropped.push({ feature: feature.name, reason: 'all-missing' });
      return;
    }
    const candidates: UnscaledColumn[] =
      feature.kind === 'categorical'
        ? frequentLevels(source, weights, maxCategoryLevels).map((level) => ({ kind: 'level' as const, feature: index, level }))
        : [{ kind: 'value' as const, feature: index, impute: presentSum / presentWeight }];
    if (missingCount > 0) candidates.push({ kind: 'missing', feature: index });
    let kept = 0;
    const group: number[] = [];
    for (const candidate of candidates) {
      if (candidate.kind === 'value') {
        const raw = designValues(candidate, source);
        const { center, scale } = spread(raw, weights, totalWeight);
        if (!keepsSpread(center, scale)) continue;
        columns.push({ ...candidate, center, scale });
        for (let row = 0; row < raw.length; row += 1) raw[row] = ((raw[row] ?? 0) - center) / scale;
        dense.push(raw);
        denseParameters.push(columns.length);
      } else {
        const { rows, center, scale } = indicatorSpread(candidate, source, weights, totalWeight);
        if (!keepsSpread(center, scale)) continue;
        columns.push({ ...candidate, center, scale });
        group.push(indicators.length);
        indicators.push({ parameter: columns.length, rows, center, scale });
      }
      kept += 1;
    }
    if (group.length > 1) indicatorGroups.push(group);
    if (kept === 0) dropped.push({ feature: feature.name, reason: 'constant' });
  });
  return { columns, training: { rowCount: matrix.rowCount, parameterCount: columns.length + 1, dense, denseParameters, indicators, indicatorGroups }, dropped };
}

/** A tiny ridge on the intercept keeps the system positive definite when every row is predicted with certainty. */
const interceptRidge = 1e-10;

const noColumn = new Float64Array(0);

/**
 * The design matrix (a leading column of ones, then the standardised columns) times a parameter
 * vector. Dense columns go four per pass over the rows: the result array is read and written a
 * quarter as often, which is what bounds this loop.
 */
function designTimes(design: TrainingDesign, parameters: Float64Array): Float64Array {
  const { dense, denseParameters, indicators } = design;
  let shift = parameters[0] ?? 0;
  for (const indicator of indicators) shift -= ((parameters[indicator.parameter] ?? 0) / indicator.scale) * indicator.center;
  const result = new Float64Array(design.rowCount).fill(shift);
  const n = design.rowCount;
  let j = 0;
  for (; j + 4 <= dense.length; j += 4) {
    const [a = noColumn, b = noColumn, c = noColumn, e = noColumn] = dense.slice(j, j + 4);
    const pa = parameters[denseParameters[j] ?? 0] ?? 0;
    const pb = parameters[denseParameters[j + 1] ?? 0] ?? 0;
    const pc = parameters[denseParameters[j + 2] ?? 0] ?? 0;
    const pe = parameters[denseParameters[j + 3] ?? 0] ?? 0;
    for (let row = 0; row < n; row += 1) {
      result[row] = (result[row] ?? 0) + pa * (a[row] ?? 0) + pb * (b[row] ?? 0) + pc * (c[row] ?? 0) + pe * (e[row] ?? 0);
    }
  }
  for (; j < dense.length; j += 1) {
    const column = dense[j] ?? noColumn;
    const p = parameters[denseParameters[j] ?? 0] ?? 0;
    for (let row = 0; row < n; row += 1) result[row] = (result[row] ?? 0) + p * (column[row] ?? 0);
  }
  for (const indicator of indicators) {
    const factor = (parameters[indicator.parameter] ?? 0) / indicator.scale;
    for (const row of indicator.rows) result[row] = (result[row] ?? 0) + factor;
  }
  return result;
}

/** The transposed design matrix times a vector over rows; dense columns four per pass, as in designTimes. */
function designTransposeTimes(design: TrainingDesign, byRow: Float64Array): Float64Array {
  const { dense, denseParameters, indicators } = design;
  const n = design.rowCount;
  const result = new Float64Array(design.parameterCount);
  let total = 0;
  for (let row = 0; row < n; row += 1) total += byRow[row] ?? 0;
  result[0] = total;
  let j = 0;
  for (; j + 4 <= dense.length; j += 4) {
    const [a = noColumn, b = noColumn, c = noColumn, e = noColumn] = dense.slice(j, j + 4);
    let sa = 0;
    let sb = 0;
    let sc = 0;
    let se = 0;
    for (let row = 0; row < n; row += 1) {
      const r = byRow[row] ?? 0;
      sa += r * (a[row] ?? 0);
      sb += r * (b[row] ?? 0);
      sc += r * (c[row] ?? 0);
      se += r * (e[row] ?? 0);
    }
    result[denseParameters[j] ?? 0] = sa;
    result[denseParameters[j + 1] ?? 0] = sb;
    result[denseParameters[j + 2] ?? 0] = sc;
    result[denseParameters[j + 3] ?? 0] = se;
  }
  for (; j < dense.length; j += 1) {
    const column = dense[j] ?? noColumn;
    let sum = 0;
    for (let row = 0; row < n; row += 1) sum += (byRow[row] ?? 0) * (column[row] ?? 0);
    result[denseParameters[j] ?? 0] = sum;
  }
  for (const indicator of indicators) {
    let sum = 0;
    for (const row of indicator.rows) sum += byRow[row] ?? 0;
    result[indicator.parameter] = (sum - indicator.center * total) / indicator.scale;
  }
  return result;
}

function objective(eta: Float64Array, labels: NumericColumn, weights: NumericColumn | undefined, parameters: Float64Array, l2: number): number {
  let loss = 0;
  for (let row = 0; row < eta.length; row += 1) {
    const z = eta[row] ?? 0;
    loss += weightAt(weights, row) * (softplus(z) - (labels[row] ?? 0) * z);
  }
  let penalty = 0;
  for (let index = 1; index < parameters.length; index += 1) penalty += (parameters[index] ?? 0) ** 2;
  return loss + (l2 / 2) * penalty;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += (a[index] ?? 0) * (b[index] ?? 0);
  return sum;
}

/** Cholesky factor (lower, row-major) of a symmetric positive-definite k×k matrix, in place. */
function choleskyFactor(a: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j += 1) {
    let diagonal = a[j * k + j] ?? 0;
    for (let i = 0; i < j; i += 1) diagonal -= (a[j * k + i] ?? 0) ** 2;
    const root = Math.sqrt(Math.max(diagonal, Number.MIN_VALUE));
    a[j * k + j] = root;
    for (let i = j + 1; i < k; i += 1) {
      let sum = a[i * k + j] ?? 0;
      for (let l = 0; l < j; l += 1) sum -= (a[i * k + l] ?? 0) * (a[j * k + l] ?? 0);
      a[i * k + j] = sum / root;
    }
  }
  return a;
}

/** Solves L Lᵀ x = b in place for a factor from choleskyFactor. */
function choleskySolve(factor: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i += 1) {
    let sum = b[i] ?? 0;
    for (let l = 0; l < i; l += 1) sum -= (factor[i * k + l] ?? 0) * (b[l] ?? 0);
    b[i] = sum / (factor[i * k + i] ?? 1);
  }
  for (let i = k - 1; i >= 0; i -= 1) {
    let sum = b[i] ?? 0;
    for (let l = i + 1; l < k; l += 1) sum -= (factor[l * k + i] ?? 0) * (b[l] ?? 0);
    b[i] = sum / (factor[i * k + i] ?? 1);
  }
}

/** The objective's local quadratic model at the current predictor: gradient, Hessian products and a preconditioner. */
interface NewtonModel {
  readonly gradient: Float64Array;
  hessianTimes(direction: Float64Array): Float64Array;
  /** An approximation of H⁻¹ applied to a vector: H's diagonal, and its exact block for each feature's indicator columns. */
  precondition(vector: Float64Array): Float64Array;
}

/**
 * Factors of the Hessian's blocks for each indicator group. Columns of a group are 1 on disjoint
 * rows, so with S the curvature over a column's rows and C the total curvature,
 * Σ curvature·(x_j − c_j)(x_k − c_k) = δ_jk·S_j − c_k·S_j − c_j·S_k + c_j·c_k·C. One-hot levels and
 * the intercept are nearly collinear, which is what slows conjugate gradients with a diagonal alone.
 */
function indicatorBlocks(design: TrainingDesign, sums: Float64Array, totalCurvature: number, l2: number): Float64Array[] {
  return design.indicatorGroups.map((group) => {
    const k = group.length;
    const block = new Float64Array(k * k);
    group.forEach((a, i) => {
      const first = design.indicators[a];
      group.forEach((b, j) => {
        const second = design.indicators[b];
        if (first === undefined || second === undefined) return;
        const sa = sums[a] ?? 0;
        const sb = sums[b] ?? 0;
        const same = i === j ? sa : 0;
        block[i * k + j] = (same - second.center * sa - first.center * sb + first.center * second.center * totalCurvature) / (first.scale * second.scale) + (i === j ? l2 : 0);
      });
    });
    return choleskyFactor(block, k);
  });
}

function newtonModel(design: TrainingDesign, eta: Float64Array, labels: NumericColumn, weights: NumericColumn | undefined, parameters: Float64Array, l2: number): NewtonModel {
  const n = eta.length;
  const residual = new Float64Array(n);
  const curvature = new Float64Array(n);
  for (let row = 0; row < n; row += 1) {
    const p = sigmoid(eta[row] ?? 0);
    const w = weightAt(weights, row);
    residual[row] = w * (p - (labels[row] ?? 0));
    curvature[row] = w * p * (1 - p);
  }
  const gradient = designTransposeTimes(design, residual);
  for (let index = 1; index < gradient.length; index += 1) gradient[index] = (gradient[index] ?? 0) + l2 * (parameters[index] ?? 0);
  const diagonal = new Float64Array(design.parameterCount);
  let totalCurvature = 0;
  for (let row = 0; row < n; row += 1) totalCurvature += curvature[row] ?? 0;
  diagonal[0] = totalCurvature + interceptRidge;
  design.dense.forEach((column, j) => {
    let sum = l2;
    for (let row = 0; row < n; row += 1) sum += (curvature[row] ?? 0) * (column[row] ?? 0) ** 2;
    diagonal[design.denseParameters[j] ?? 0] = sum;
  });
  // For a 0/1 column x, (x − c)² = x(1 − 2c) + c².
  const sums = new Float64Array(design.indicators.length);
  design.indicators.forEach(({ parameter, rows, center, scale }, index) => {
    let sum = 0;
    for (const row of rows) sum += curvature[row] ?? 0;
    sums[index] = sum;
    diagonal[parameter] = (sum * (1 - 2 * center) + center * center * totalCurvature) / (scale * scale) + l2;
  });
  const blocks = indicatorBlocks(design, sums, totalCurvature, l2);
  return {
    gradient,
    precondition(vector) {
      const result = vector.map((value, index) => value / (diagonal[index] ?? 1));
      design.indicatorGroups.forEach((group, g) => {
        const factor = blocks[g];
        if (factor === undefined) return;
        const parameters = group.map((member) => design.indicators[member]?.parameter ?? 0);
        const part = Float64Array.from(parameters, (parameter) => vector[parameter] ?? 0);
        choleskySolve(factor, group.length, part);
        parameters.forEach((parameter, i) => (result[parameter] = part[i] ?? 0));
      });
      return result;
    },
    hessianTimes(direction) {
      const predictorChange = designTimes(design, direction);
      for (let row = 0; row < n; row += 1) predictorChange[row] = (predictorChange[row] ?? 0) * (curvature[row] ?? 0);
      const product = designTransposeTimes(design, predictorChange);
      product[0] = (product[0] ?? 0) + interceptRidge * (direction[0] ?? 0);
      for (let index = 1; index < product.length; index += 1) product[index] = (product[index] ?? 0) + l2 * (direction[index] ?? 0);
      return product;
    },
  };
}

/**
 * The Newton step −H⁻¹g by preconditioned conjugate gradients, stopped once the residual is below
 * `tolerance`: each iteration costs two passes over the design rather than the d² passes of forming
 * H (minutes for 30,000 rows × 850 columns), and an inexact step far from the optimum loses nothing.
 * The caller tightens the tolerance with the gradient, so the fit still ends at the same optimum.
 */
function newtonStep(model: NewtonModel, tolerance: number, maxSteps: number): Float64Array {
  const { gradient } = model;
  const step = new Float64Array(gradient.length);
  const residual = gradient.map((g) => -g);
  let preconditioned = model.precondition(residual);
  const direction = Float64Array.from(preconditioned);
  let alignment = dot(residual, preconditioned);
  for (let iteration = 0; iteration < maxSteps && Math.sqrt(dot(residual, residual)) > tolerance; iteration += 1) {
    const curved = model.hessianTimes(direction);
    const curvature = dot(direction, curved);
    if (!(curvature > 0)) break;
    const length = alignment / curvature;
    for (let index = 0; index < step.length; index += 1) {
      step[index] = (step[index] ?? 0) + length * (direction[index] ?? 0);
      residual[index] = (residual[index] ?? 0) - length * (curved[index] ?? 0);
    }
    preconditioned = model.precondition(residual);
    const nextAlignment = dot(residual, preconditioned);
    const ratio = nextAlignment / alignment;
    alignment = nextAlignment;
    for (let index = 0; index < step.length; index += 1) direction[index] = (preconditioned[index] ?? 0) + ratio * (direction[index] ?? 0);
  }
  return step;
}

/** Trains the baseline. Labels are 0/1; both classes must be present (with weight). */
export function trainLogisticRegression(matrix: FeatureMatrix, labels: NumericColumn, options: LogisticRegressionOptions = {}): LogisticRegressionModel {
  const { l2 = 1, maxIterations = 100, weights, maxCategoryLevels = 50 } = options;
  const n = matrix.rowCount;
  requireRows(n);
  requireSameLength('labels', n, labels);
  requireBinaryLabels(labels);
  matrix.columns.forEach((column, index) => {
    requireSameLength(`feature ${matrix.features[index]?.name ?? String(index)}`, n, column);
  });
  if (!(l2 > 0) || !Number.isFinite(l2)) throw new AppError('VALIDATION_FAILED', `l2 must be a positive number, got ${String(l2)}`);
  requirePositiveInteger('maxIterations', maxIterations);
  requirePositiveInteger('maxCategoryLevels', maxCategoryLevels);
  const totalWeight = requireWeights(weights, n);
  let positives = 0;
  for (let row = 0; row < n; row += 1) if (labels[row] === 1) positives += weightAt(weights, row);
  if (!(positives > 0) || !(positives < totalWeight)) throw new AppError('VALIDATION_FAILED', 'logistic regression needs both positive and negative rows (with weight)');

  const design = buildDesign(matrix, weights, totalWeight, maxCategoryLevels);
  const m = design.columns.length + 1;
  const parameters = new Float64Array(m);
  parameters[0] = Math.log(positives / (totalWeight - positives));
  let eta = designTimes(design.training, parameters);
  let current = objective(eta, labels, weights, parameters, l2);
  let firstGradientNorm = 0;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations += 1;
    const model = newtonModel(design.training, eta, labels, weights, parameters, l2);
    const gradientNorm = Math.sqrt(dot(model.gradient, model.gradient));
    if (iterations === 1) firstGradientNorm = gradientNorm;
    if (!(gradientNorm > 0)) {
      converged = true;
      break;
    }
    // Loose steps while far away, tighter near the optimum (Eisenstat–Walker). The floor keeps the
    // last steps, whose size only has to show convergence, from costing many more products.
    const forcing = Math.min(0.5, Math.max(1e-3, Math.sqrt(gradientNorm / firstGradientNorm)));
    const step = newtonStep(model, forcing * gradientNorm, 2 * m);
    const decrease = dot(model.gradient, step);
    const predictorChange = designTimes(design.training, step);
    let size = 1;
    let accepted = false;
    while (size > 1e-12) {
      const trialParameters = parameters.map((value, index) => value + size * (step[index] ?? 0));
      const trialEta = eta.map((value, row) => value + size * (predictorChange[row] ?? 0));
      const trial = objective(trialEta, labels, weights, trialParameters, l2);
      if (trial <= current + 1e-4 * size * decrease) {
        parameters.set(trialParameters);
        eta = trialEta;
        const change = current - trial;
        current = trial;
        accepted = true;
        const largestStep = step.reduce((largest, value) => Math.max(largest, Math.abs(value * size)), 0);
        converged = largestStep < 1e-9 || change <= 1e-14 * Math.max(1, Math.abs(current));
        break;
      }
      size /= 2;
    }
    // No decrease along a Newton direction means we are at the minimum to rounding.
    if (!accepted) converged = true;
  }
  return {
    format: 'kindling.logistic-regression',
    version: 1,
    featureNames: matrix.features.map((feature) => feature.name),
    columns: design.columns,
    coefficients: [...parameters.subarray(1)],
    intercept: parameters[0],
    dropped: design.dropped,
    l2,
    iterations,
    converged,
  };
}

/** Probability of the positive class for each row. The matrix must have the training features, by name and order. */
export function predictLogisticRegression(model: LogisticRegressionModel, matrix: FeatureMatrix): Float64Array {
  const names = matrix.features.map((feature) => feature.name);
  if (names.length !== model.featureNames.length || names.some((name, index) => name !== model.featureNames[index])) {
    throw new AppError('VALIDATION_FAILED', 'the matrix does not have the features the logistic regression was trained on (same names, same order)', {
      details: { expected: model.featureNames.length, actual: names.length },
    });
  }
  const eta = new Float64Array(matrix.rowCount).fill(model.intercept);
  model.columns.forEach((column, j) => {
    const source = matrix.columns[column.feature];
    if (source === undefined) return;
    requireSameLength(`feature ${names[column.feature] ?? ''}`, matrix.rowCount, source);
    const factor = (model.coefficients[j] ?? 0) / column.scale;
    const raw = designValues(column, source);
    for (let row = 0; row < matrix.rowCount; row += 1) eta[row] = (eta[row] ?? 0) + factor * ((raw[row] ?? 0) - column.center);
  });
  return eta.map(sigmoid);
}
