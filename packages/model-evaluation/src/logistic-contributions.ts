import { AppError } from '@kindling/errors';
import type { FeatureMatrix } from '@kindling/gbdt';
import { designValues, type LogisticRegressionModel } from './logistic-regression.js';

/**
 * Each feature's contribution to the given rows' log-odds, row-major with one column per feature
 * plus a trailing column for the intercept: coefficient × standardised value, summed over the
 * feature's design columns (its value, its missing indicator, its category levels). Design columns
 * are centred on their training means, so a contribution says how far this donor's value moves
 * the log-odds from the average donor's — for a linear model these are exactly its Shapley values,
 * and the row adds up to its log-odds.
 */
export function logisticContributions(model: LogisticRegressionModel, matrix: FeatureMatrix, rows: ArrayLike<number>): Float64Array {
  const featureCount = model.featureNames.length;
  if (matrix.features.length !== featureCount || matrix.features.some((feature, index) => feature.name !== model.featureNames[index])) {
    throw new AppError('VALIDATION_FAILED', 'the matrix does not have the features the logistic regression was trained on (same names, same order)');
  }
  const width = featureCount + 1;
  const result = new Float64Array(rows.length * width);
  for (let index = 0; index < rows.length; index += 1) result[index * width + featureCount] = model.intercept;
  model.columns.forEach((column, j) => {
    const source = matrix.columns[column.feature];
    if (source === undefined) return;
    const picked = Float64Array.from({ length: rows.length }, (_, index) => source[rows[index] ?? 0] ?? Number.NaN);
    const values = designValues(column, picked);
    const factor = (model.coefficients[j] ?? 0) / column.scale;
    for (let index = 0; index < rows.length; index += 1) {
      result[index * width + column.feature] = (result[index * width + column.feature] ?? 0) + factor * ((values[index] ?? 0) - column.center);
    }
  });
  return result;
}
