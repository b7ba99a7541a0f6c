/**
 * Scores a TreeEnsemble on raw values straight from the FlatTree contract (not the package's
 * predictor, which is tested on its own): the training tests use it to check that what the
 * booster learned in bin space means the same in raw units.
 */
import type { FeatureMatrix, FlatTree, TreeEnsemble } from '../tree-model.js';

export function rawGoesLeft(tree: FlatTree, node: number, x: number): boolean {
  if (Number.isNaN(x)) return tree.missingGoesLeft[node] === 1;
  const offset = tree.categoryOffset[node] ?? -1;
  if (offset < 0) return x <= (tree.threshold[node] ?? 0);
  const words = tree.categoryWords[node] ?? 0;
  if (!Number.isInteger(x) || x < 0 || x >= words * 32) return false;
  return (((tree.categoryBits[offset + Math.floor(x / 32)] ?? 0) >>> x % 32) & 1) === 1;
}

export function rawTreeValue(tree: FlatTree, matrix: FeatureMatrix, row: number): number {
  let node = 0;
  while ((tree.left[node] ?? -1) >= 0) {
    const x = matrix.columns[tree.splitFeature[node] ?? 0]?.[row] ?? Number.NaN;
    node = (rawGoesLeft(tree, node, x) ? tree.left[node] : tree.right[node]) ?? 0;
  }
  return tree.value[node] ?? 0;
}

/** Raw scores (log-odds, log-mean or mean) of every row. */
export function rawScores(model: TreeEnsemble, matrix: FeatureMatrix): Float64Array {
  const scores = new Float64Array(matrix.rowCount).fill(model.baseScore);
  for (const tree of model.trees) for (let row = 0; row < matrix.rowCount; row++) scores[row] = (scores[row] ?? 0) + rawTreeValue(tree, matrix, row);
  return scores;
}
