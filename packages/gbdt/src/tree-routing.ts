import type { FlatTree } from './tree-model.js';

/**
 * Whether a value goes left at an internal node: the one statement of the routing rules that
 * TreeSHAP and leaf lookups share. The scoring kernel in predictor.ts repeats these rules inline on
 * its packed arrays (a call per node costs too much there); predictor tests hold the two equal.
 *
 * Missing (NaN) follows `missingGoesLeft`. Numeric: x <= threshold goes left. Categorical: the code's
 * bit in the node's bitset slice; a code outside the slice, negative or not an integer (a category
 * unseen in training) goes right.
 */
export function goesLeft(tree: FlatTree, node: number, x: number): boolean {
  if (Number.isNaN(x)) return tree.missingGoesLeft[node] === 1;
  const offset = tree.categoryOffset[node] ?? -1;
  if (offset < 0) return x <= (tree.threshold[node] ?? 0);
  return categoryGoesLeft(tree.categoryBits, offset, tree.categoryWords[node] ?? 0, x);
}

export function categoryGoesLeft(bits: Uint32Array, offset: number, words: number, code: number): boolean {
  if (!Number.isInteger(code) || code < 0 || code >= words * 32) return false;
  const word = bits[offset + (code >>> 5)] ?? 0;
  return ((word >>> (code & 31)) & 1) === 1;
}

/** The child a value follows at an internal node. */
export function nextNode(tree: FlatTree, node: number, x: number): number {
  return (goesLeft(tree, node, x) ? tree.left[node] : tree.right[node]) ?? -1;
}
