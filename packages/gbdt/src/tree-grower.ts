import type { BinnedMatrix } from './binning.js';
import type { HistogramBuilder } from './histogram-builder.js';
import { subtractHistogram, type HistogramLayout } from './histogram.js';
import { beats, findBestSplit, leafValue, type NodeStats, type SplitCandidate, type SplitParams } from './split-finder.js';

export interface GrowerParams extends SplitParams {
  /** Most leaves of the tree (num_leaves). */
  readonly maxLeaves: number;
  /** Deepest level of a leaf (root = 0); -1 for no limit. */
  readonly maxDepth: number;
  /** Multiplies every node value. */
  readonly learningRate: number;
}

/**
 * A tree in bin space, as grown. A row at an internal node goes left when
 * `goLeft[node * 256 + bin]` is 1 for its bin of `splitFeature[node]`; this is how training and
 * validation scores are updated without converting back to raw thresholds.
 */
export interface BinTree {
  readonly nodeCount: number;
  readonly splitFeature: Int32Array;
  readonly splits: readonly (SplitCandidate | null)[];
  readonly goLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly cover: Float64Array;
  /** Node n's training rows are `rows[rowStart[n]..rowEnd[n])` of the grower's result. */
  readonly rowStart: Int32Array;
  readonly rowEnd: Int32Array;
}

export interface GrownTree {
  readonly tree: BinTree;
  /** The training rows, partitioned so that each node's rows are contiguous. */
  readonly rows: Uint32Array;
}

export interface GrowerInput {
  readonly binned: BinnedMatrix;
  readonly layout: HistogramLayout;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  /** Sample weights for `cover`; null means every row weighs 1. */
  readonly weights: Float64Array | null;
  /** Rows to grow on (bagging); null means all rows in order. */
  readonly rows: Uint32Array | null;
  /** Features the tree may split on (column sampling), ascending. */
  readonly features: Int32Array;
  readonly histograms: HistogramBuilder;
  /** Room for the row partition (at least as long as the rows grown on); the result's `rows` is a view of it. */
  readonly partition: Uint32Array;
}

export const binLookupStride = 256;

interface OpenLeaf {
  readonly node: number;
  readonly depth: number;
  readonly histogram: Float64Array | null;
  readonly split: SplitCandidate | null;
}

/**
 * Grows one tree leaf-wise (best-first, as LightGBM): the leaf whose best split gains most is
 * split next, until maxLeaves leaves or no admissible split. Histograms are built for the smaller
 * child only; the larger child's is the parent's minus it.
 */
export function growTree(input: GrowerInput, params: GrowerParams): GrownTree {
  const { binned, gradients, hessians } = input;
  const rowCount = input.rows === null ? binned.rowCount : input.rows.length;
  const rows = input.partition.subarray(0, rowCount);
  if (input.rows === null) for (let i = 0; i < rowCount; i++) rows[i] = i;
  else rows.set(input.rows);
  const buffer = new Uint32Array(rowCount);
  const capacity = 2 * params.maxLeaves - 1;
  const builder = createBuilder(capacity);

  const rootStats = sumStats(rows, 0, rowCount, gradients, hessians);
  addNode(builder, rootStats, 0, rowCount, params);
  const open: OpenLeaf[] = [];
  if (canSplit(0, rowCount, params)) {
    const rootHistogram = input.histograms.acquire();
    input.histograms.build(rootHistogram, input.features, { rows: input.rows === null ? null : rows, start: 0, end: rowCount });
    open.push(evaluate(0, 0, rootHistogram, input, params));
  }
  let leafCount = 1;

  while (leafCount < params.maxLeaves) {
    const chosen = pickLeaf(open);
    if (chosen < 0) break;
    const leaf = open[chosen];
    const split = leaf?.split;
    if (leaf === undefined || split === undefined || split === null) break;
    open.splice(chosen, 1);
    const start = builder.rowStart[leaf.node] ?? 0;
    const end = builder.rowEnd[leaf.node] ?? 0;
    const middle = partition(rows, buffer, start, end, binned.columns[split.feature] ?? new Uint8Array(0), split.goLeft);
    const leftNode = addNode(builder, split.left, start, middle, params);
    const rightNode = addNode(builder, split.right, middle, end, params);
    setSplit(builder, leaf.node, split, leftNode, rightNode);
    leafCount += 1;
    if (leafCount >= params.maxLeaves) {
      if (leaf.histogram !== null) input.histograms.release(leaf.histogram);
      break;
    }
    open.push(...childLeaves(leaf, leftNode, rightNode, builder, rows, input, params));
  }
  for (const leaf of open) if (leaf.histogram !== null) input.histograms.release(leaf.histogram);
  fillCover(builder, rows, input.weights);
  return { tree: finish(builder), rows };
}

function sumStats(rows: Uint32Array, start: number, end: number, gradients: Float64Array, hessians: Float64Array): NodeStats {
  let gradient = 0;
  let hessian = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i] ?? 0;
    gradient += gradients[row] ?? 0;
    hessian += hessians[row] ?? 0;
  }
  return { gradient, hessian, count: end - start };
}

function canSplit(depth: number, count: number, params: GrowerParams): boolean {
  return (params.maxDepth < 0 || depth < params.maxDepth) && count >= 2 * params.minSamplesLeaf;
}

function evaluate(node: number, depth: number, histogram: Float64Array, input: GrowerInput, params: GrowerParams): OpenLeaf {
  const split = findBestSplit(histogram, input.layout, input.binned.mappers, input.features, params);
  if (split !== null) return { node, depth, histogram, split };
  input.histograms.release(histogram);
  return closedLeaf(node, depth);
}

function pickLeaf(open: readonly OpenLeaf[]): number {
  let chosen = -1;
  let bestGain = Number.NEGATIVE_INFINITY;
  open.forEach((leaf, index) => {
    if (leaf.split !== null && (chosen < 0 || beats(leaf.split.gain, bestGain))) {
      chosen = index;
      bestGain = leaf.split.gain;
    }
  });
  return chosen;
}

function childLeaves(parent: OpenLeaf, leftNode: number, rightNode: number, builder: TreeBuilder, rows: Uint32Array, input: GrowerInput, params: GrowerParams): OpenLeaf[] {
  const depth = parent.depth + 1;
  const leftCount = parent.split?.left.count ?? 0;
  const rightCount = parent.split?.right.count ?? 0;
  const leftOpen = canSplit(depth, leftCount, params);
  const rightOpen = canSplit(depth, rightCount, params);
  const large = parent.histogram;
  if (large === null) return [closedLeaf(leftNode, depth), closedLeaf(rightNode, depth)];
  if (!leftOpen && !rightOpen) {
    input.histograms.release(large);
    return [closedLeaf(leftNode, depth), closedLeaf(rightNode, depth)];
  }
  const smallNode = leftCount <= rightCount ? leftNode : rightNode;
  const small = input.histograms.acquire();
  input.histograms.build(small, input.features, { rows, start: builder.rowStart[smallNode] ?? 0, end: builder.rowEnd[smallNode] ?? 0 });
  // The parent's histogram is not needed once its children exist: it becomes the larger child's.
  subtractHistogram(large, large, small);
  const child = (node: number, open: boolean): OpenLeaf => {
    const histogram = node === smallNode ? small : large;
    if (open) return evaluate(node, depth, histogram, input, params);
    input.histograms.release(histogram);
    return closedLeaf(node, depth);
  };
  return [child(leftNode, leftOpen), child(rightNode, rightOpen)];
}

function closedLeaf(node: number, depth: number): OpenLeaf {
  return { node, depth, histogram: null, split: null };
}

/** Stable in-place partition of rows[start..end) by the split's bin lookup; returns the first right index. */
function partition(rows: Uint32Array, buffer: Uint32Array, start: number, end: number, bins: Uint8Array, goLeft: Uint8Array): number {
  let leftEnd = start;
  let rightCount = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i] ?? 0;
    if (goLeft[bins[row] ?? 0] === 1) rows[leftEnd++] = row;
    else buffer[rightCount++] = row;
  }
  rows.set(buffer.subarray(0, rightCount), leftEnd);
  return leftEnd;
}

/** A `BinTree` while it grows: the node count and split list still change. */
type TreeBuilder = Omit<BinTree, 'nodeCount' | 'splits'> & { nodeCount: number; readonly splits: (SplitCandidate | null)[] };

function createBuilder(capacity: number): TreeBuilder {
  return {
    nodeCount: 0,
    splitFeature: new Int32Array(capacity).fill(-1),
    splits: [],
    goLeft: new Uint8Array(capacity * binLookupStride),
    left: new Int32Array(capacity).fill(-1),
    right: new Int32Array(capacity).fill(-1),
    value: new Float64Array(capacity),
    cover: new Float64Array(capacity),
    rowStart: new Int32Array(capacity),
    rowEnd: new Int32Array(capacity),
  };
}

function addNode(builder: TreeBuilder, stats: NodeStats, start: number, end: number, params: GrowerParams): number {
  const node = builder.nodeCount++;
  builder.value[node] = params.learningRate * leafValue(stats.gradient, stats.hessian, params.lambdaL2);
  builder.rowStart[node] = start;
  builder.rowEnd[node] = end;
  builder.splits.push(null);
  return node;
}

function setSplit(builder: TreeBuilder, node: number, split: SplitCandidate, leftNode: number, rightNode: number): void {
  builder.splitFeature[node] = split.feature;
  builder.splits[node] = split;
  builder.goLeft.set(split.goLeft, node * binLookupStride);
  builder.left[node] = leftNode;
  builder.right[node] = rightNode;
}

/** Cover bottom-up, so that cover[parent] = cover[left] + cover[right] holds exactly. */
function fillCover(builder: TreeBuilder, rows: Uint32Array, weights: Float64Array | null): void {
  for (let node = builder.nodeCount - 1; node >= 0; node--) {
    const left = builder.left[node] ?? -1;
    if (left >= 0) {
      builder.cover[node] = (builder.cover[left] ?? 0) + (builder.cover[builder.right[node] ?? 0] ?? 0);
      continue;
    }
    const start = builder.rowStart[node] ?? 0;
    const end = builder.rowEnd[node] ?? 0;
    let cover = 0;
    if (weights === null) cover = end - start;
    else for (let i = start; i < end; i++) cover += weights[rows[i] ?? 0] ?? 0;
    builder.cover[node] = cover;
  }
}

function finish(builder: TreeBuilder): BinTree {
  const n = builder.nodeCount;
  return {
    nodeCount: n,
    splitFeature: builder.splitFeature.slice(0, n),
    splits: builder.splits.slice(0, n),
    goLeft: builder.goLeft.slice(0, n * binLookupStride),
    left: builder.left.slice(0, n),
    right: builder.right.slice(0, n),
    value: builder.value.slice(0, n),
    cover: builder.cover.slice(0, n),
    rowStart: builder.rowStart.slice(0, n),
    rowEnd: builder.rowEnd.slice(0, n),
  };
}

/** Adds the tree's value to `scores[row]` for each of `rows` (all rows when null), walking bins. */
export function addTreeScores(tree: BinTree, binned: BinnedMatrix, scores: Float64Array): void {
  if (tree.nodeCount === 1) {
    const value = tree.value[0] ?? 0;
    for (let row = 0; row < scores.length; row++) scores[row] = (scores[row] ?? 0) + value;
    return;
  }
  const { left, right, splitFeature, goLeft, value } = tree;
  const columns = binned.columns;
  for (let row = 0; row < scores.length; row++) {
    let node = 0;
    let next = left[0] ?? -1;
    while (next >= 0) {
      const bin = columns[splitFeature[node] ?? 0]?.[row] ?? 0;
      node = goLeft[node * binLookupStride + bin] === 1 ? next : (right[node] ?? 0);
      next = left[node] ?? -1;
    }
    scores[row] = (scores[row] ?? 0) + (value[node] ?? 0);
  }
}

/** Adds each leaf's value to the scores of its training rows, using the grower's partition. */
export function addLeafScores(grown: GrownTree, scores: Float64Array): void {
  const { tree, rows } = grown;
  for (let node = 0; node < tree.nodeCount; node++) {
    if ((tree.left[node] ?? -1) >= 0) continue;
    const value = tree.value[node] ?? 0;
    const end = tree.rowEnd[node] ?? 0;
    for (let i = tree.rowStart[node] ?? 0; i < end; i++) {
      const row = rows[i] ?? 0;
      scores[row] = (scores[row] ?? 0) + value;
    }
  }
}
