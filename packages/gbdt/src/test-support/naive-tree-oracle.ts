/**
 * A deliberately naive tree grower on raw values, the oracle for the binned grower: every split is
 * found by trying every threshold between adjacent distinct raw values (both sides for missing
 * values) and every subset of a categorical feature's categories, with row sums taken afresh
 * from the rows. Slow (exponential in categories), for data sets of tens of rows only.
 *
 * It shares with the real grower only the definitions it must: the gain formula, the constraint
 * meanings, the best-first order, and three canonical-form rules that decide between splits of
 * equal gain (first candidate in scan order wins, a numeric split's left side holds a present
 * value, and missing values unseen at a node follow the bigger child).
 */
import type { FeatureMatrix } from '../tree-model.js';

export interface OracleParams {
  readonly lambdaL2: number;
  readonly catL2: number;
  readonly minSamplesLeaf: number;
  readonly minHessianLeaf: number;
  readonly minGainToSplit: number;
  readonly maxLeaves: number;
  readonly maxDepth: number;
  readonly learningRate: number;
}

export interface OracleNode {
  readonly rows: readonly number[];
  readonly value: number;
  readonly cover: number;
  split?: OracleSplit;
  left?: OracleNode;
  right?: OracleNode;
}

export interface OracleSplit {
  readonly feature: number;
  readonly gain: number;
  /** Numeric splits only. */
  readonly threshold: number;
  readonly missingGoesLeft: boolean;
  readonly leftRows: readonly number[];
  readonly rightRows: readonly number[];
}

interface Sums {
  g: number;
  h: number;
  n: number;
}

const relativeTolerance = 1e-10;

function beats(gain: number, best: number): boolean {
  return gain > best + relativeTolerance * Math.abs(best);
}

function sums(rows: readonly number[], gradients: Float64Array, hessians: Float64Array): Sums {
  let g = 0;
  let h = 0;
  for (const row of rows) {
    g += gradients[row] ?? 0;
    h += hessians[row] ?? 0;
  }
  return { g, h, n: rows.length };
}

function score(s: Sums, lambda: number): number {
  return s.h + lambda > 0 ? (s.g * s.g) / (s.h + lambda) : 0;
}

export function oracleThresholdBetween(a: number, b: number): number {
  const middle = a / 2 + b / 2;
  return middle >= a && middle < b ? middle : a;
}

interface Context {
  readonly matrix: FeatureMatrix;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  readonly weights: Float64Array | null;
  readonly params: OracleParams;
}

function value(ctx: Context, rows: readonly number[]): number {
  const s = sums(rows, ctx.gradients, ctx.hessians);
  const denominator = s.h + ctx.params.lambdaL2;
  return denominator > 0 ? (-s.g / denominator) * ctx.params.learningRate : 0;
}

function cover(ctx: Context, rows: readonly number[]): number {
  return rows.reduce((total, row) => total + (ctx.weights === null ? 1 : (ctx.weights[row] ?? 0)), 0);
}

function makeNode(ctx: Context, rows: readonly number[]): OracleNode {
  return { rows, value: value(ctx, rows), cover: cover(ctx, rows) };
}

interface Best {
  split: OracleSplit | undefined;
  gain: number;
}

function consider(ctx: Context, best: Best, feature: number, threshold: number, missingLeft: boolean, leftRows: number[], rightRows: number[], lambda: number, parent: Sums, missingSeen: boolean): void {
  const { params } = ctx;
  const left = sums(leftRows, ctx.gradients, ctx.hessians);
  const right = sums(rightRows, ctx.gradients, ctx.hessians);
  if (left.n < params.minSamplesLeaf || right.n < params.minSamplesLeaf) return;
  if (left.h < params.minHessianLeaf || right.h < params.minHessianLeaf) return;
  const gain = score(left, lambda) + score(right, lambda) - score(parent, lambda);
  if (!beats(gain, best.gain)) return;
  const missingGoesLeft = missingSeen ? missingLeft : left.n >= right.n;
  best.split = { feature, gain, threshold, missingGoesLeft, leftRows, rightRows };
  best.gain = gain;
}

function numericCandidates(ctx: Context, best: Best, feature: number, rows: readonly number[]): void {
  const column = ctx.matrix.columns[feature] ?? new Float64Array(0);
  const distinct = [...new Set([...column].filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b);
  const parent = sums(rows, ctx.gradients, ctx.hessians);
  const missingRows = rows.filter((row) => Number.isNaN(column[row] ?? 0));
  const missingSeen = missingRows.length > 0;
  distinct.forEach((v, j) => {
    const next = distinct[j + 1];
    const threshold = next === undefined ? Number.POSITIVE_INFINITY : oracleThresholdBetween(v, next);
    const presentLeft = rows.filter((row) => (column[row] ?? 0) <= threshold);
    if (presentLeft.length === 0) return;
    const presentRight = rows.filter((row) => (column[row] ?? 0) > threshold);
    if (next !== undefined || missingSeen) consider(ctx, best, feature, threshold, false, presentLeft, [...presentRight, ...missingRows], ctx.params.lambdaL2, parent, missingSeen);
    if (missingSeen && next !== undefined) consider(ctx, best, feature, threshold, true, [...presentLeft, ...missingRows], presentRight, ctx.params.lambdaL2, parent, missingSeen);
  });
}

function categoricalCandidates(ctx: Context, best: Best, feature: number, rows: readonly number[]): void {
  const column = ctx.matrix.columns[feature] ?? new Float64Array(0);
  const keyOf = (row: number): number => (Number.isNaN(column[row] ?? 0) ? -1 : (column[row] ?? 0));
  const categories = [...new Set(rows.map(keyOf))].sort((a, b) => a - b);
  const missingSeen = categories.includes(-1);
  const parent = sums(rows, ctx.gradients, ctx.hessians);
  const lambda = ctx.params.lambdaL2 + ctx.params.catL2;
  for (let mask = 1; mask < (1 << categories.length) - 1; mask++) {
    const leftSet = new Set(categories.filter((_, k) => (mask >> k) & 1));
    const leftRows = rows.filter((row) => leftSet.has(keyOf(row)));
    const rightRows = rows.filter((row) => !leftSet.has(keyOf(row)));
    consider(ctx, best, feature, Number.NaN, leftSet.has(-1), leftRows, rightRows, lambda, parent, missingSeen);
  }
}

function bestSplit(ctx: Context, rows: readonly number[]): OracleSplit | undefined {
  const best: Best = { split: undefined, gain: ctx.params.minGainToSplit };
  ctx.matrix.features.forEach((feature, index) => {
    if (feature.kind === 'categorical') categoricalCandidates(ctx, best, index, rows);
    else numericCandidates(ctx, best, index, rows);
  });
  return best.split;
}

/** Grows one tree best-first, exactly as specified for the real grower, but by brute force. */
export function growOracleTree(matrix: FeatureMatrix, gradients: Float64Array, hessians: Float64Array, weights: Float64Array | null, params: OracleParams): OracleNode {
  const ctx: Context = { matrix, gradients, hessians, weights, params };
  const root = makeNode(ctx, Array.from({ length: matrix.rowCount }, (_, row) => row));
  const open: { node: OracleNode; depth: number; split: OracleSplit | undefined }[] = [];
  const evaluate = (node: OracleNode, depth: number): void => {
    const allowed = (params.maxDepth < 0 || depth < params.maxDepth) && node.rows.length >= 2 * params.minSamplesLeaf;
    open.push({ node, depth, split: allowed ? bestSplit(ctx, node.rows) : undefined });
  };
  evaluate(root, 0);
  let leaves = 1;
  while (leaves < params.maxLeaves) {
    let chosen = -1;
    let gain = Number.NEGATIVE_INFINITY;
    open.forEach((entry, index) => {
      if (entry.split !== undefined && (chosen < 0 || beats(entry.split.gain, gain))) {
        chosen = index;
        gain = entry.split.gain;
      }
    });
    const entry = open[chosen];
    if (entry?.split === undefined) break;
    open.splice(chosen, 1);
    entry.node.split = entry.split;
    entry.node.left = makeNode(ctx, entry.split.leftRows);
    entry.node.right = makeNode(ctx, entry.split.rightRows);
    leaves += 1;
    evaluate(entry.node.left, entry.depth + 1);
    evaluate(entry.node.right, entry.depth + 1);
  }
  return root;
}
