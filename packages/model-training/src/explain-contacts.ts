import { featureImportance, shapValues, type FeatureMatrix } from '@kindling/gbdt';
import { topFactors, type Factor, type FactorDefinition } from '@kindling/features';
import { logisticContributions } from '@kindling/model-evaluation';
import type { Champion } from './binary-model-selection.js';
import { checkMatrixFeatures } from './matrix-features.js';
import type { PropensityModel } from './propensity-model.js';

/**
 * Per-feature contributions to each row's raw score, row-major with one column per feature and a
 * trailing expected value: exact TreeSHAP for trees, coefficient × centred value for a logistic
 * regression (its exact Shapley values, the features' training means being the reference).
 */
export function scoreContributions(champion: Champion, matrix: FeatureMatrix, rows: ArrayLike<number>): Float64Array {
  return champion.kind === 'gbdt' ? shapValues(champion.ensemble, matrix, rows) : logisticContributions(champion.model, matrix, rows);
}

export interface ExplainOptions {
  /** The catalogue entry of a feature (the catalogue plus the organisation's custom attributes). */
  readonly definitionOf: (name: string) => FactorDefinition | undefined;
  readonly count?: number;
  readonly currencySymbol?: string;
  readonly categoryLabel?: (feature: string, code: number) => string | undefined;
}

/** The top factors of each given row's score, in plain words from the catalogue. */
export function explainContacts(model: Pick<PropensityModel, 'champion' | 'features'>, matrix: FeatureMatrix, rows: readonly number[], options: ExplainOptions): Factor[][] {
  checkMatrixFeatures(model.features, matrix);
  const width = matrix.features.length + 1;
  const shap = scoreContributions(model.champion, matrix, rows);
  const featureNames = matrix.features.map((feature) => feature.name);
  return rows.map((row, index) => {
    const values = matrix.columns.map((column) => column[row] ?? Number.NaN);
    return topFactors({ ...options, shap: shap.subarray(index * width, (index + 1) * width), values, featureNames });
  });
}

export interface ModelImportance {
  readonly feature: string;
  /** Mean absolute contribution to the raw score over a sample of rows. */
  readonly meanAbsContribution: number;
}

/** Model-level importance: mean |contribution| over an even sample of rows, most important first. */
export function modelImportance(model: Pick<PropensityModel, 'champion' | 'features'>, matrix: FeatureMatrix, sampleSize = 2000): ModelImportance[] {
  checkMatrixFeatures(model.features, matrix);
  const { champion } = model;
  if (champion.kind === 'gbdt') {
    return featureImportance(champion.ensemble, matrix, { sampleSize }).map((entry) => ({ feature: entry.feature, meanAbsContribution: entry.meanAbsShap }));
  }
  const step = Math.max(1, matrix.rowCount / sampleSize);
  const rows = Array.from({ length: Math.min(sampleSize, matrix.rowCount) }, (_, index) => Math.floor(index * step));
  const width = matrix.features.length + 1;
  const shap = logisticContributions(champion.model, matrix, rows);
  const totals = matrix.features.map((feature, j) => {
    let sum = 0;
    for (let index = 0; index < rows.length; index += 1) sum += Math.abs(shap[index * width + j] ?? 0);
    return { feature: feature.name, meanAbsContribution: rows.length === 0 ? 0 : sum / rows.length };
  });
  return totals.sort((a, b) => b.meanAbsContribution - a.meanAbsContribution);
}
