import type { SeededRandom } from '../seeded-random.js';
import type { FeatureKind, FeatureMatrix, FlatTree, ModelFeature, Objective, TreeEnsemble } from '../tree-model.js';

/**
 * Trees written as nested objects, flattened into the model's typed arrays. Tests score the nested
 * form with a plain recursive walk (`evaluateHandTree`), an oracle that shares no code with the
 * flat-array predictor.
 */
export interface HandLeaf {
  readonly leaf: number;
  readonly cover: number;
}

interface HandSplitBase {
  readonly feature: number;
  readonly missingLeft: boolean;
  readonly left: HandNode;
  readonly right: HandNode;
}

export interface HandNumericSplit extends HandSplitBase {
  readonly threshold: number;
}

export interface HandCategoricalSplit extends HandSplitBase {
  readonly categoriesLeft: readonly number[];
}

export type HandNode = HandLeaf | HandNumericSplit | HandCategoricalSplit;

function isLeaf(node: HandNode): node is HandLeaf {
  return 'leaf' in node;
}

function coverOf(node: HandNode): number {
  return isLeaf(node) ? node.cover : coverOf(node.left) + coverOf(node.right);
}

function meanValue(node: HandNode): number {
  if (isLeaf(node)) return node.leaf;
  return (coverOf(node.left) * meanValue(node.left) + coverOf(node.right) * meanValue(node.right)) / coverOf(node);
}

function countNodes(node: HandNode): number {
  return isLeaf(node) ? 1 : 1 + countNodes(node.left) + countNodes(node.right);
}

/** Lays a nested tree out in pre-order (root at 0), covers summed from the leaves. */
export function flatten(root: HandNode): FlatTree {
  const count = countNodes(root);
  const tree = {
    splitFeature: new Int32Array(count),
    threshold: new Float64Array(count),
    missingGoesLeft: new Uint8Array(count),
    categoryOffset: new Int32Array(count).fill(-1),
    categoryWords: new Int32Array(count),
    left: new Int32Array(count).fill(-1),
    right: new Int32Array(count).fill(-1),
    value: new Float64Array(count),
    cover: new Float64Array(count),
  };
  const bits: number[] = [];
  let next = 0;
  const place = (node: HandNode): number => {
    const at = next;
    next += 1;
    tree.value[at] = meanValue(node);
    tree.cover[at] = coverOf(node);
    if (isLeaf(node)) {
      tree.splitFeature[at] = -1;
      return at;
    }
    tree.splitFeature[at] = node.feature;
    tree.missingGoesLeft[at] = node.missingLeft ? 1 : 0;
    if ('categoriesLeft' in node) {
      const words = Math.floor(Math.max(0, ...node.categoriesLeft) / 32) + 1;
      tree.categoryOffset[at] = bits.length;
      tree.categoryWords[at] = words;
      const slice = new Array<number>(words).fill(0);
      for (const code of node.categoriesLeft) slice[code >>> 5] = ((slice[code >>> 5] ?? 0) | (1 << (code & 31))) >>> 0;
      bits.push(...slice);
    } else {
      tree.threshold[at] = node.threshold;
    }
    tree.left[at] = place(node.left);
    tree.right[at] = place(node.right);
    return at;
  };
  place(root);
  return { ...tree, categoryBits: Uint32Array.from(bits) };
}

/** The nested tree's output for one row, by the documented routing rules. */
export function evaluateHandTree(node: HandNode, row: readonly number[]): number {
  if (isLeaf(node)) return node.leaf;
  const x = row[node.feature] ?? Number.NaN;
  let left: boolean;
  if (Number.isNaN(x)) left = node.missingLeft;
  else if ('categoriesLeft' in node) left = node.categoriesLeft.includes(x);
  else left = x <= node.threshold;
  return evaluateHandTree(left ? node.left : node.right, row);
}

export interface RandomTreeOptions {
  readonly kinds: readonly FeatureKind[];
  readonly maxDepth: number;
  /** Categories per categorical feature (codes 0..n-1). */
  readonly categoryCount: number;
}

/** Numeric thresholds and values come from one grid, so rows land exactly on thresholds too. */
const grid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  const item = items[random.nextInt(items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A random tree whose paths may test the same feature more than once (the case TreeSHAP must unwind). */
export function randomHandTree(random: SeededRandom, options: RandomTreeOptions, depth = 0): HandNode {
  const stop = depth >= options.maxDepth || (depth > 0 && random.next() < 0.25);
  if (stop) return { leaf: Math.round((random.next() * 2 - 1) * 1000) / 1000, cover: 1 + random.nextInt(20) };
  const feature = random.nextInt(options.kinds.length);
  const missingLeft = random.next() < 0.5;
  const left = randomHandTree(random, options, depth + 1);
  const right = randomHandTree(random, options, depth + 1);
  if (options.kinds[feature] === 'categorical') {
    const categoriesLeft = Array.from({ length: options.categoryCount }, (_, code) => code).filter(() => random.next() < 0.5);
    return { feature, missingLeft, categoriesLeft, left, right };
  }
  return { feature, missingLeft, threshold: pick(random, grid.slice(1, -1)), left, right };
}

export function featuresOf(kinds: readonly FeatureKind[], categoryCount: number): ModelFeature[] {
  return kinds.map((kind, index) => (kind === 'categorical' ? { name: `f${String(index)}`, kind, categoryCount } : { name: `f${String(index)}`, kind }));
}

export function handEnsemble(trees: readonly HandNode[], features: readonly ModelFeature[], baseScore = 0, objective: Objective = 'squared-error'): TreeEnsemble {
  return { objective, baseScore, features, trees: trees.map(flatten) };
}

/**
 * Random rows as plain arrays: numeric values on the threshold grid, categorical codes including
 * one unseen in training and a fraction, and about 15 % missing.
 */
export function randomRows(random: SeededRandom, kinds: readonly FeatureKind[], categoryCount: number, count: number): number[][] {
  return Array.from({ length: count }, () =>
    kinds.map((kind) => {
      if (random.next() < 0.15) return Number.NaN;
      if (kind === 'numeric') return pick(random, grid);
      return random.next() < 0.1 ? pick(random, [categoryCount, categoryCount + 40, 0.5]) : random.nextInt(categoryCount);
    }),
  );
}

/** Plain rows into the column-major matrix the model reads. */
export function matrixOf(features: readonly ModelFeature[], rows: readonly (readonly number[])[]): FeatureMatrix {
  return {
    rowCount: rows.length,
    features,
    columns: features.map((_, feature) => Float64Array.from(rows, (row) => row[feature] ?? Number.NaN)),
  };
}
