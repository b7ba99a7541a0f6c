import { AppError } from '@kindling/errors';

/** Numbers by row: a typed array or a plain array, read-only. */
export type NumericColumn = ArrayLike<number>;

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('VALIDATION_FAILED', message, { details });
}

export function requireSameLength(what: string, expected: number, column: NumericColumn | undefined): void {
  if (column !== undefined && column.length !== expected) {
    fail(`${what} has ${String(column.length)} values but there are ${String(expected)} rows`, { what, expected, actual: column.length });
  }
}

export function requireRows(rowCount: number): void {
  if (rowCount === 0) fail('there are no rows to evaluate');
}

/** Labels must be exactly 0 or 1: a 2 or a NaN is an upstream bug, not a negative. */
export function requireBinaryLabels(labels: NumericColumn): void {
  for (let row = 0; row < labels.length; row += 1) {
    const label = labels[row];
    if (label !== 0 && label !== 1) fail(`label at row ${String(row)} is ${String(label)}; labels must be 0 or 1`, { row });
  }
}

export function requireFiniteScores(what: string, scores: NumericColumn): void {
  for (let row = 0; row < scores.length; row += 1) {
    if (!Number.isFinite(scores[row])) fail(`${what} at row ${String(row)} is ${String(scores[row])}; it must be a finite number`, { what, row });
  }
}

/** Probabilities must lie in [0, 1]; NaN is refused rather than silently treated as 0. */
export function requireProbabilities(probabilities: NumericColumn): void {
  for (let row = 0; row < probabilities.length; row += 1) {
    const value = probabilities[row] ?? Number.NaN;
    if (!(value >= 0 && value <= 1)) fail(`probability at row ${String(row)} is ${String(value)}; it must lie in [0, 1]`, { row });
  }
}

/** Weights must be finite and non-negative, with a positive total. Returns the total. */
export function requireWeights(weights: NumericColumn | undefined, rowCount: number): number {
  if (weights === undefined) return rowCount;
  requireSameLength('weights', rowCount, weights);
  let total = 0;
  for (let row = 0; row < rowCount; row += 1) {
    const weight = weights[row] ?? Number.NaN;
    if (!(weight >= 0) || !Number.isFinite(weight)) fail(`weight at row ${String(row)} is ${String(weight)}; weights must be finite and non-negative`, { row });
    total += weight;
  }
  if (!(total > 0)) fail('the weights sum to zero');
  return total;
}

export function weightAt(weights: NumericColumn | undefined, row: number): number {
  return weights === undefined ? 1 : (weights[row] ?? 0);
}

export function requirePositiveInteger(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(`${what} must be a positive integer, got ${String(value)}`, { what, value });
}
