import type { FlatTree, TreeEnsemble } from '../tree-model.js';

/**
 * Shapley values by their definition, for checking TreeSHAP: every subset S of the features is
 * enumerated (2^M subsets, so keep M small) and valued by the path-dependent conditional
 * expectation: at a split on a feature in S the row's own branch is followed, at any other split
 * both children are averaged by training cover. Routing is written out here again on purpose,
 * sharing no code with the model's predictor or TreeSHAP.
 */

function followsLeft(tree: FlatTree, node: number, x: number): boolean {
  if (Number.isNaN(x)) return tree.missingGoesLeft[node] === 1;
  const offset = tree.categoryOffset[node] ?? -1;
  if (offset < 0) return x <= (tree.threshold[node] ?? 0);
  const words = tree.categoryWords[node] ?? 0;
  if (!Number.isInteger(x) || x < 0 || x >= 32 * words) return false;
  const word = tree.categoryBits[offset + Math.floor(x / 32)] ?? 0;
  return Math.floor(word / 2 ** (x % 32)) % 2 === 1;
}

function conditionalExpectation(tree: FlatTree, node: number, row: readonly number[], known: readonly boolean[]): number {
  const feature = tree.splitFeature[node] ?? -1;
  if (feature < 0) return tree.value[node] ?? 0;
  const left = tree.left[node] ?? 0;
  const right = tree.right[node] ?? 0;
  if (known[feature] === true) return conditionalExpectation(tree, followsLeft(tree, node, row[feature] ?? Number.NaN) ? left : right, row, known);
  const leftCover = tree.cover[left] ?? 0;
  const rightCover = tree.cover[right] ?? 0;
  return (leftCover * conditionalExpectation(tree, left, row, known) + rightCover * conditionalExpectation(tree, right, row, known)) / (leftCover + rightCover);
}

function factorial(n: number): number {
  let product = 1;
  for (let k = 2; k <= n; k += 1) product *= k;
  return product;
}

/** The ensemble's value for the subset of features whose bits are set in `mask`. */
function subsetValue(model: TreeEnsemble, row: readonly number[], mask: number): number {
  const known = model.features.map((_, feature) => (mask & (1 << feature)) !== 0);
  return model.trees.reduce((sum, tree) => sum + conditionalExpectation(tree, 0, row, known), model.baseScore);
}

/** Shapley values of one row (one per feature) and the value of the empty subset (the bias). */
export function bruteForceShapley(model: TreeEnsemble, row: readonly number[]): { values: number[]; bias: number } {
  const count = model.features.length;
  const values = new Array<number>(count).fill(0);
  const valueOf = Array.from({ length: 2 ** count }, (_, mask) => subsetValue(model, row, mask));
  for (let feature = 0; feature < count; feature += 1) {
    const bit = 1 << feature;
    let total = 0;
    for (let mask = 0; mask < 2 ** count; mask += 1) {
      if ((mask & bit) !== 0) continue;
      let size = 0;
      for (let other = 0; other < count; other += 1) if ((mask & (1 << other)) !== 0) size += 1;
      const weight = (factorial(size) * factorial(count - size - 1)) / factorial(count);
      total += weight * ((valueOf[mask | bit] ?? 0) - (valueOf[mask] ?? 0));
    }
    values[feature] = total;
  }
  return { values, bias: valueOf[0] ?? 0 };
}
