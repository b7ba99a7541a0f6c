import type { FeatureMatrix, TreeEnsemble } from './tree-model.js';
import { shapValues } from './tree-shap.js';

/**
 * Model-level importance. The main measure is mean |SHAP| (raw-score units) over a sample of rows:
 * how far, on average, a feature moves a donor's score. Split counts and split covers come free
 * from the trees alone; they say how often a feature is used, not how much it matters, and are
 * given as secondary columns.
 */
export interface FeatureImportance {
  readonly feature: string;
  /** Mean absolute SHAP value over the sampled rows, in raw-score units. */
  readonly meanAbsShap: number;
  /** Number of splits on the feature across all trees. */
  readonly splitCount: number;
  /** Training weight that passed through those splits (sum of their covers). */
  readonly splitCover: number;
}

export interface FeatureImportanceOptions {
  /** Rows explained; the matrix is sampled evenly down to this many. Defaults to 2,000. */
  readonly sampleSize?: number;
}

const defaultSampleSize = 2000;

/**
 * Row indices spread evenly over the matrix: deterministic, and stratified over any order the rows
 * are stored in (a random sample of a sorted file could by chance miss one end of it).
 */
export function evenSample(rowCount: number, size: number): Int32Array {
  if (rowCount <= size) return Int32Array.from({ length: rowCount }, (_, row) => row);
  return Int32Array.from({ length: size }, (_, index) => Math.floor(((index + 0.5) * rowCount) / size));
}

/** Split counts and covers per feature index, from the trees alone. */
function splitStatistics(model: TreeEnsemble): { counts: Float64Array; covers: Float64Array } {
  const counts = new Float64Array(model.features.length);
  const covers = new Float64Array(model.features.length);
  for (const tree of model.trees) {
    tree.splitFeature.forEach((feature, node) => {
      if (feature < 0) return;
      counts[feature] = (counts[feature] ?? 0) + 1;
      covers[feature] = (covers[feature] ?? 0) + (tree.cover[node] ?? 0);
    });
  }
  return { counts, covers };
}

function byImportance(a: FeatureImportance & { readonly index: number }, b: FeatureImportance & { readonly index: number }): number {
  return b.meanAbsShap - a.meanAbsShap || b.splitCount - a.splitCount || a.index - b.index;
}

/**
 * Every feature of the model with its importance, most important first (mean |SHAP|, then split
 * count, then the model's feature order). The same model and matrix always give the same answer.
 */
export function featureImportance(model: TreeEnsemble, matrix: FeatureMatrix, options: FeatureImportanceOptions = {}): FeatureImportance[] {
  const rows = evenSample(matrix.rowCount, options.sampleSize ?? defaultSampleSize);
  const shap = shapValues(model, matrix, rows);
  const width = model.features.length + 1;
  const sums = new Float64Array(model.features.length);
  for (let index = 0; index < rows.length; index += 1) {
    for (let feature = 0; feature < model.features.length; feature += 1) {
      sums[feature] = (sums[feature] ?? 0) + Math.abs(shap[index * width + feature] ?? 0);
    }
  }
  const { counts, covers } = splitStatistics(model);
  return model.features
    .map((feature, index) => ({
      index,
      feature: feature.name,
      meanAbsShap: rows.length === 0 ? 0 : (sums[index] ?? 0) / rows.length,
      splitCount: counts[index] ?? 0,
      splitCover: covers[index] ?? 0,
    }))
    .sort(byImportance)
    .map(({ feature, meanAbsShap, splitCount, splitCover }) => ({ feature, meanAbsShap, splitCount, splitCover }));
}

/** Split counts and covers only, when no data is at hand: most-used first (count, then cover, then model order). */
export function splitImportance(model: TreeEnsemble): Omit<FeatureImportance, 'meanAbsShap'>[] {
  const { counts, covers } = splitStatistics(model);
  return model.features
    .map((feature, index) => ({ index, feature: feature.name, splitCount: counts[index] ?? 0, splitCover: covers[index] ?? 0 }))
    .sort((a, b) => b.splitCount - a.splitCount || b.splitCover - a.splitCover || a.index - b.index)
    .map(({ feature, splitCount, splitCover }) => ({ feature, splitCount, splitCover }));
}
