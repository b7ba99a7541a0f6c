import type { FlatTree } from './tree-model.js';

/**
 * The block layout every scorer shares, and the JavaScript kernel for trees the WebAssembly kernel
 * cannot score (those with categorical splits; see block-scorer.ts).
 *
 * Rows are scored a block at a time, every tree over the block before the next block. Each block's
 * slice of every column is copied into one contiguous buffer: a node then reads its value at
 * `columnStart[node] + row` with no lookup of a column object, and the block's data stays in cache
 * across trees where scoring all rows tree by tree would stream the whole matrix from memory once
 * per tree.
 *
 * Packed form: internal nodes of all trees in one index space, a child >= 0 is an internal node and
 * a child < 0 is leaf `~child`. Children sit side by side (`children[2 * node + step]`), and a plain
 * numeric split is one comparison `sign * x > bound` choosing step 1, arranged so that NaN (every
 * comparison with NaN is false) takes step 0, the missing direction:
 * - missing goes left: sign 1, bound = threshold, children [left, right];
 * - missing goes right: sign -1, bound = -nextUp(threshold), children [right, left], because for
 *   any x that is not NaN, x <= t exactly when -x > -nextUp(t).
 * Categorical splits and non-finite thresholds take a slower general path (children [left, right]).
 */

/** Rows per block: 1,024 rows × 8 bytes × a few hundred features is a few MB, held in L2/L3 across trees. */
export const blockRows = 1024;

/** Split kinds; `scoreBlock` tests for 0 by value, as it may not refer to anything outside itself. */
const fastNumeric = 0;
const generalSplit = 1;

export interface PackedEnsemble {
  readonly roots: Int32Array;
  /** Per internal node: `feature * blockRows`, where its column's slice starts in the block buffer. */
  readonly columnStart: Int32Array;
  readonly kind: Uint8Array;
  readonly sign: Float64Array;
  readonly bound: Float64Array;
  readonly children: Int32Array;
  /** General path only. */
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly categoryOffset: Int32Array;
  readonly categoryWords: Int32Array;
  readonly categoryBits: Uint32Array;
  readonly leafValue: Float64Array;
}

const bitsOfDouble = new Float64Array(1);
const wordsOfDouble = new BigInt64Array(bitsOfDouble.buffer);

/** The smallest double greater than a finite `value`. */
function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  bitsOfDouble[0] = value;
  wordsOfDouble[0] = (wordsOfDouble[0] ?? 0n) + (value > 0 ? 1n : -1n);
  return bitsOfDouble[0];
}

export function packEnsemble(trees: readonly FlatTree[]): PackedEnsemble {
  let internalCount = 0;
  let leafCount = 0;
  let bitCount = 0;
  for (const tree of trees) {
    const leaves = tree.splitFeature.reduce((count, feature) => count + (feature < 0 ? 1 : 0), 0);
    leafCount += leaves;
    internalCount += tree.splitFeature.length - leaves;
    bitCount += tree.categoryBits.length;
  }
  const packed: PackedEnsemble = {
    roots: new Int32Array(trees.length),
    columnStart: new Int32Array(internalCount),
    kind: new Uint8Array(internalCount),
    sign: new Float64Array(internalCount),
    bound: new Float64Array(internalCount),
    children: new Int32Array(2 * internalCount),
    threshold: new Float64Array(internalCount),
    missingLeft: new Uint8Array(internalCount),
    categoryOffset: new Int32Array(internalCount),
    categoryWords: new Int32Array(internalCount),
    categoryBits: new Uint32Array(bitCount),
    leafValue: new Float64Array(leafCount),
  };
  const base = { internal: 0, leaf: 0, bits: 0 };
  trees.forEach((tree, index) => {
    packed.roots[index] = packTree(tree, packed, base);
    packed.categoryBits.set(tree.categoryBits, base.bits);
    base.bits += tree.categoryBits.length;
  });
  return packed;
}

/** Packed ids of a tree's nodes: internal nodes and leaves numbered on from `base`, which advances. */
function packedIds(tree: FlatTree, packed: PackedEnsemble, base: { internal: number; leaf: number }): Int32Array {
  const ids = new Int32Array(tree.splitFeature.length);
  for (let node = 0; node < ids.length; node += 1) {
    if ((tree.splitFeature[node] ?? -1) < 0) {
      packed.leafValue[base.leaf] = tree.value[node] ?? 0;
      ids[node] = ~base.leaf;
      base.leaf += 1;
    } else {
      ids[node] = base.internal;
      base.internal += 1;
    }
  }
  return ids;
}

/** Packs one tree after those already packed (advancing `base`) and returns its root's packed id. */
function packTree(tree: FlatTree, packed: PackedEnsemble, base: { internal: number; leaf: number; bits: number }): number {
  const ids = packedIds(tree, packed, base);
  for (let node = 0; node < ids.length; node += 1) {
    const feature = tree.splitFeature[node] ?? -1;
    if (feature < 0) continue;
    const at = ids[node] ?? 0;
    const threshold = tree.threshold[node] ?? 0;
    const offset = tree.categoryOffset[node] ?? -1;
    const missingLeft = tree.missingGoesLeft[node] === 1;
    const left = ids[tree.left[node] ?? 0] ?? 0;
    const right = ids[tree.right[node] ?? 0] ?? 0;
    const fast = offset < 0 && Number.isFinite(threshold);
    const swap = fast && !missingLeft;
    packed.columnStart[at] = feature * blockRows;
    packed.kind[at] = fast ? fastNumeric : generalSplit;
    packed.sign[at] = swap ? -1 : 1;
    packed.bound[at] = swap ? -nextUp(threshold) : threshold;
    packed.children[2 * at] = swap ? right : left;
    packed.children[2 * at + 1] = swap ? left : right;
    packed.threshold[at] = threshold;
    packed.missingLeft[at] = missingLeft ? 1 : 0;
    packed.categoryOffset[at] = offset >= 0 ? base.bits + offset : -1;
    packed.categoryWords[at] = tree.categoryWords[node] ?? 0;
  }
  return ids[0] ?? 0;
}

/**
 * Adds every tree's output for the `rows` rows held in `block` to `out`, from `outStart`.
 *
 * Self-contained on purpose: it refers to nothing outside its own body, so worker threads can run
 * it from its source text (parallel-scoring.ts). The general path repeats tree-routing.ts's rules.
 */
export function scoreBlock(packed: PackedEnsemble, block: Float64Array, rows: number, out: Float64Array, outStart: number): void {
  const { roots, columnStart, kind, sign, bound, children, leafValue, threshold, missingLeft, categoryOffset, categoryWords, categoryBits } = packed;
  for (const root of roots) {
    for (let row = 0; row < rows; row += 1) {
      let node = root;
      while (node >= 0) {
        const x = block[(columnStart[node] ?? 0) + row] ?? Number.NaN;
        let step: number;
        if (kind[node] === 0) step = (sign[node] ?? 0) * x > (bound[node] ?? 0) ? 1 : 0;
        else if (Number.isNaN(x)) step = missingLeft[node] === 1 ? 0 : 1;
        else if ((categoryOffset[node] ?? -1) < 0) step = x <= (threshold[node] ?? 0) ? 0 : 1;
        else {
          // (x | 0) === x rejects fractions and values outside int32 in one test.
          const known = (x | 0) === x && x >= 0 && x < (categoryWords[node] ?? 0) * 32;
          const word = known ? (categoryBits[(categoryOffset[node] ?? 0) + (x >>> 5)] ?? 0) : 0;
          step = ((word >>> (x & 31)) & 1) === 1 ? 0 : 1;
        }
        node = children[2 * node + step] ?? 0;
      }
      out[outStart + row] = (out[outStart + row] ?? 0) + (leafValue[~node] ?? 0);
    }
  }
}

/** Copies rows [start, end) of every column into `block`, each column at `feature * blockRows`. */
export function copyBlock(columns: readonly Float64Array[], start: number, end: number, block: Float64Array): void {
  columns.forEach((column, feature) => {
    block.set(column.subarray(start, end), feature * blockRows);
  });
}
