/** Compares a grown FlatTree with the naive oracle's tree, node by node, on the training rows. */
import type { FeatureMatrix, FlatTree } from '../tree-model.js';
import type { OracleNode } from './naive-tree-oracle.js';
import { rawGoesLeft as goesLeft } from './raw-tree-scoring.js';

function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

function sameRows(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && [...a].sort((x, y) => x - y).every((row, i) => row === [...b].sort((x, y) => x - y)[i]);
}

/** Describes the first difference between a grown tree and the oracle's, or returns null. */
export function treeDifference(tree: FlatTree, node: number, oracle: OracleNode, matrix: FeatureMatrix, path: string): string | null {
  if (!closeTo(tree.value[node] ?? Number.NaN, oracle.value)) return `${path}: value ${String(tree.value[node])} vs ${String(oracle.value)}`;
  if (!closeTo(tree.cover[node] ?? Number.NaN, oracle.cover)) return `${path}: cover ${String(tree.cover[node])} vs ${String(oracle.cover)}`;
  const { split } = oracle;
  const feature = tree.splitFeature[node] ?? -1;
  if (split === undefined || oracle.left === undefined || oracle.right === undefined) return feature === -1 ? null : `${path}: split on ${String(feature)}, oracle has a leaf`;
  if (feature !== split.feature) return `${path}: feature ${String(feature)} vs ${String(split.feature)} (gain ${String(split.gain)})`;
  const column = matrix.columns[feature] ?? new Float64Array(0);
  const leftRows = oracle.rows.filter((row) => goesLeft(tree, node, column[row] ?? 0));
  const categorical = (tree.categoryOffset[node] ?? -1) >= 0;
  let mirrored = false;
  if (!categorical) {
    if (tree.threshold[node] !== split.threshold) return `${path}: threshold ${String(tree.threshold[node])} vs ${String(split.threshold)}`;
    if ((tree.missingGoesLeft[node] === 1) !== split.missingGoesLeft) return `${path}: missingGoesLeft differs`;
  } else if (!sameRows(leftRows, split.leftRows)) {
    // A categorical partition and its mirror image are the same split.
    if (!sameRows(leftRows, split.rightRows)) return `${path}: categorical partition differs`;
    mirrored = true;
  }
  if (!sameRows(leftRows, mirrored ? split.rightRows : split.leftRows)) return `${path}: rows going left differ`;
  const [oracleLeft, oracleRight] = mirrored ? [oracle.right, oracle.left] : [oracle.left, oracle.right];
  return (
    treeDifference(tree, tree.left[node] ?? -1, oracleLeft, matrix, `${path}L`) ?? treeDifference(tree, tree.right[node] ?? -1, oracleRight, matrix, `${path}R`)
  );
}

