import { AppError } from '@kindling/errors';
import { assertMatrixMatchesModel } from './predictor.js';
import type { FeatureMatrix, FlatTree, TreeEnsemble } from './tree-model.js';
import { nextNode } from './tree-routing.js';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2), in raw-score units. The value of a feature subset S
 * for a row is the tree's expectation when the features in S follow the row and every other split
 * is averaged over its children by training cover. The algorithm carries, down each root-to-leaf
 * path, the weights of every subset size for the features met so far ("extend"), and takes a
 * feature back out ("unwind") when the path meets it again, so each leaf costs O(depth²).
 *
 * A row's hot child at a split is the one the predictor would take (tree-routing.ts), so missing
 * values and categorical codes are attributed exactly as they are scored.
 */

/** One stack frame per depth of the unique-feature path; frames are slices of these arrays. */
interface PathStore {
  readonly feature: Int32Array;
  readonly zeroFraction: Float64Array;
  readonly oneFraction: Float64Array;
  readonly weight: Float64Array;
}

function maxDepth(tree: FlatTree, node = 0): number {
  if ((tree.splitFeature[node] ?? -1) < 0) return 0;
  return 1 + Math.max(maxDepth(tree, tree.left[node] ?? 0), maxDepth(tree, tree.right[node] ?? 0));
}

function createPathStore(depth: number): PathStore {
  // Frame d holds up to d + 1 elements; depths 0..depth+1 sum to (depth + 2)(depth + 3) / 2.
  const size = ((depth + 2) * (depth + 3)) / 2;
  return { feature: new Int32Array(size), zeroFraction: new Float64Array(size), oneFraction: new Float64Array(size), weight: new Float64Array(size) };
}

/** A plain loop: frames are a few elements long, shorter than copyWithin's call costs. */
function copyFrame(path: PathStore, from: number, to: number, length: number): void {
  const { feature, zeroFraction, oneFraction, weight } = path;
  for (let i = 0; i < length; i += 1) {
    feature[to + i] = feature[from + i] ?? -1;
    zeroFraction[to + i] = zeroFraction[from + i] ?? 0;
    oneFraction[to + i] = oneFraction[from + i] ?? 0;
    weight[to + i] = weight[from + i] ?? 0;
  }
}

/** Appends a feature to the path at `start` (length `depth`) and updates the subset-size weights. */
function extendPath(path: PathStore, start: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const { weight } = path;
  path.feature[start + depth] = feature;
  path.zeroFraction[start + depth] = zeroFraction;
  path.oneFraction[start + depth] = oneFraction;
  weight[start + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i -= 1) {
    const w = weight[start + i] ?? 0;
    weight[start + i + 1] = (weight[start + i + 1] ?? 0) + (oneFraction * w * (i + 1)) / (depth + 1);
    weight[start + i] = (zeroFraction * w * (depth - i)) / (depth + 1);
  }
}

/** Reverses `extendPath` for the element at `index` of a path of length `depth + 1`. */
function unwindPath(path: PathStore, start: number, depth: number, index: number): void {
  const { weight } = path;
  const oneFraction = path.oneFraction[start + index] ?? 0;
  const zeroFraction = path.zeroFraction[start + index] ?? 0;
  let nextOnePortion = weight[start + depth] ?? 0;
  for (let i = depth - 1; i >= 0; i -= 1) {
    if (oneFraction !== 0) {
      const kept = weight[start + i] ?? 0;
      weight[start + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      nextOnePortion = kept - ((weight[start + i] ?? 0) * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      weight[start + i] = ((weight[start + i] ?? 0) * (depth + 1)) / (zeroFraction * (depth - i));
    }
  }
  for (let i = index; i < depth; i += 1) {
    path.feature[start + i] = path.feature[start + i + 1] ?? -1;
    path.zeroFraction[start + i] = path.zeroFraction[start + i + 1] ?? 0;
    path.oneFraction[start + i] = path.oneFraction[start + i + 1] ?? 0;
  }
}

/** The total weight the path would have with the element at `index` unwound, without changing it. */
function unwoundPathSum(path: PathStore, start: number, depth: number, index: number): number {
  const { weight } = path;
  const oneFraction = path.oneFraction[start + index] ?? 0;
  const zeroFraction = path.zeroFraction[start + index] ?? 0;
  let nextOnePortion = weight[start + depth] ?? 0;
  let total = 0;
  for (let i = depth - 1; i >= 0; i -= 1) {
    if (oneFraction !== 0) {
      const part = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      total += part;
      nextOnePortion = (weight[start + i] ?? 0) - (part * zeroFraction * (depth - i)) / (depth + 1);
    } else if (zeroFraction !== 0) {
      total += (weight[start + i] ?? 0) / zeroFraction / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

interface TreeWalk {
  readonly tree: FlatTree;
  readonly path: PathStore;
  readonly columns: readonly Float64Array[];
  readonly row: number;
  /** The row's SHAP values, written from `outStart`. */
  readonly out: Float64Array;
  readonly outStart: number;
}

function featureValue(walk: TreeWalk, feature: number): number {
  return walk.columns[feature]?.[walk.row] ?? Number.NaN;
}

/** The recursion of Algorithm 2; `parentStart` is the parent's frame, this call's frame follows it. */
function recurse(walk: TreeWalk, node: number, parentStart: number, depthIn: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const { tree, path } = walk;
  let depth = depthIn;
  // The frame sits past the parent's (at most depth + 1 elements), so the parent's path survives for the cold child.
  const start = parentStart + depth + 1;
  copyFrame(path, parentStart, start, depth);
  extendPath(path, start, depth, zeroFraction, oneFraction, feature);
  const split = tree.splitFeature[node] ?? -1;
  if (split < 0) {
    const leafValue = tree.value[node] ?? 0;
    for (let i = 1; i <= depth; i += 1) {
      const w = unwoundPathSum(path, start, depth, i);
      const at = walk.outStart + (path.feature[start + i] ?? 0);
      walk.out[at] = (walk.out[at] ?? 0) + w * ((path.oneFraction[start + i] ?? 0) - (path.zeroFraction[start + i] ?? 0)) * leafValue;
    }
    return;
  }
  const hot = nextNode(tree, node, featureValue(walk, split));
  const cold = hot === tree.left[node] ? (tree.right[node] ?? -1) : (tree.left[node] ?? -1);
  const cover = tree.cover[node] ?? 0;
  // A node no training weight reached contributes nothing to the expectation either way.
  const hotZeroFraction = cover > 0 ? (tree.cover[hot] ?? 0) / cover : 0;
  const coldZeroFraction = cover > 0 ? (tree.cover[cold] ?? 0) / cover : 0;
  let incomingZeroFraction = 1;
  let incomingOneFraction = 1;
  let seen = 0;
  while (seen <= depth && path.feature[start + seen] !== split) seen += 1;
  if (seen <= depth) {
    incomingZeroFraction = path.zeroFraction[start + seen] ?? 0;
    incomingOneFraction = path.oneFraction[start + seen] ?? 0;
    unwindPath(path, start, depth, seen);
    depth -= 1;
  }
  recurse(walk, hot, start, depth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, split);
  recurse(walk, cold, start, depth + 1, coldZeroFraction * incomingZeroFraction, 0, split);
}

/** The tree's mean output over the training distribution (cover-weighted mean of its leaves). */
export function treeExpectedValue(tree: FlatTree, node = 0): number {
  if ((tree.splitFeature[node] ?? -1) < 0) return tree.value[node] ?? 0;
  const left = tree.left[node] ?? 0;
  const right = tree.right[node] ?? 0;
  const leftCover = tree.cover[left] ?? 0;
  const rightCover = tree.cover[right] ?? 0;
  const total = leftCover + rightCover;
  if (total <= 0) return tree.value[node] ?? 0;
  return (leftCover * treeExpectedValue(tree, left) + rightCover * treeExpectedValue(tree, right)) / total;
}

/** The ensemble's expected raw score: the SHAP bias, which every row's values add up from. */
export function expectedRawScore(model: TreeEnsemble): number {
  return model.trees.reduce((sum, tree) => sum + treeExpectedValue(tree), model.baseScore);
}

/**
 * SHAP values per row in raw-score units, row-major: `rows.length × (features + 1)`, the last
 * column the expected value. For every row the values plus the expected value equal `predictRaw`
 * (up to rounding), and a feature no tree splits on gets exactly 0.
 *
 * `rows` picks row indices of the matrix (all rows when omitted). Cost per row is
 * O(trees × leaves × depth²), so explain a sample or the rows on screen, not a whole file.
 */
export function shapValues(model: TreeEnsemble, matrix: FeatureMatrix, rows?: ArrayLike<number>): Float64Array {
  assertMatrixMatchesModel(model, matrix);
  const selected = rows ?? Int32Array.from({ length: matrix.rowCount }, (_, row) => row);
  const width = model.features.length + 1;
  const out = new Float64Array(selected.length * width);
  const bias = expectedRawScore(model);
  const paths = model.trees.map((tree) => createPathStore(maxDepth(tree)));
  for (let index = 0; index < selected.length; index += 1) {
    const row = selected[index] ?? 0;
    if (!Number.isInteger(row) || row < 0 || row >= matrix.rowCount) {
      throw new AppError('BAD_REQUEST', `row ${String(row)} is outside the feature matrix (${String(matrix.rowCount)} rows)`);
    }
    const outStart = index * width;
    model.trees.forEach((tree, treeIndex) => {
      const path = paths[treeIndex];
      if (path === undefined || (tree.splitFeature[0] ?? -1) < 0) return;
      recurse({ tree, path, columns: matrix.columns, row, out, outStart }, 0, 0, 0, 1, 1, -1);
    });
    out[outStart + width - 1] = bias;
  }
  return out;
}
