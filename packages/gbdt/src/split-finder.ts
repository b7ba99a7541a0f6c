import type { BinMapper } from './binning.js';
import { histogramStride, type HistogramLayout } from './histogram.js';

/** Regularisation and constraints of a split, with LightGBM's meanings. */
export interface SplitParams {
  /** L2 penalty on leaf values (lambda_l2). */
  readonly lambdaL2: number;
  /** Fewest training rows in either child (min_data_in_leaf). */
  readonly minSamplesLeaf: number;
  /** Least hessian sum in either child (min_sum_hessian_in_leaf). */
  readonly minHessianLeaf: number;
  /** A split must gain strictly more than this (min_gain_to_split). */
  readonly minGainToSplit: number;
  /** Categorical: added to each category's hessian when ordering categories (cat_smooth). */
  readonly catSmooth: number;
  /** Categorical: extra L2 penalty in the gain of categorical splits (cat_l2). */
  readonly catL2: number;
}

/** Gradient statistics of a set of rows. */
export interface NodeStats {
  readonly gradient: number;
  readonly hessian: number;
  readonly count: number;
}

/**
 * The best split of a node. Rows go left when `goLeft[bin]` is 1, for every bin of the feature
 * (missing bin included), so numeric and categorical splits partition rows the same way.
 */
export interface SplitCandidate {
  readonly gain: number;
  readonly feature: number;
  readonly categorical: boolean;
  /** Numeric: bins 0..bin go left. -1 for categorical. */
  readonly bin: number;
  readonly missingGoesLeft: boolean;
  readonly goLeft: Uint8Array;
  readonly left: NodeStats;
  readonly right: NodeStats;
}

/** Leaf value minimising the second-order loss: -G / (H + lambda). */
export function leafValue(gradient: number, hessian: number, lambdaL2: number): number {
  const denominator = hessian + lambdaL2;
  return denominator > 0 ? -gradient / denominator : 0;
}

/** G^2 / (H + lambda): the loss reduction of a leaf, up to a constant; gains are differences of it. */
export function leafScore(gradient: number, hessian: number, lambdaL2: number): number {
  const denominator = hessian + lambdaL2;
  return denominator > 0 ? (gradient * gradient) / denominator : 0;
}

/**
 * Whether `gain` beats `best`. A relative tolerance makes ties (two features giving the same
 * partition, whose sums differ only by rounding) go to the first candidate in scan order, so the
 * choice does not depend on the order in which floating-point sums were taken.
 */
export function beats(gain: number, best: number): boolean {
  return gain > best + 1e-10 * Math.abs(best);
}

interface ScanState {
  best: SplitCandidate | null;
  bestGain: number;
}

/** The best split of a node over `features`, or null when none satisfies the constraints. */
export function findBestSplit(
  histogram: Float64Array,
  layout: HistogramLayout,
  mappers: readonly BinMapper[],
  features: Int32Array,
  params: SplitParams,
): SplitCandidate | null {
  const state: ScanState = { best: null, bestGain: params.minGainToSplit };
  for (const feature of features) {
    const mapper = mappers[feature];
    if (mapper === undefined) continue;
    const base = (layout.offsets[feature] ?? 0) * histogramStride;
    if (mapper.kind === 'categorical') scanCategorical(histogram, base, mapper.binCount, feature, params, state);
    else scanNumeric(histogram, base, mapper.binCount, feature, params, state);
  }
  return state.best;
}

function featureTotals(histogram: Float64Array, base: number, slots: number): NodeStats {
  let gradient = 0;
  let hessian = 0;
  let count = 0;
  for (let s = 0; s < slots; s++) {
    const i = base + s * histogramStride;
    gradient += histogram[i] ?? 0;
    hessian += histogram[i + 1] ?? 0;
    count += histogram[i + 2] ?? 0;
  }
  return { gradient, hessian, count };
}

function admissible(left: NodeStats, right: NodeStats, params: SplitParams): boolean {
  return (
    left.count >= params.minSamplesLeaf &&
    right.count >= params.minSamplesLeaf &&
    left.hessian >= params.minHessianLeaf &&
    right.hessian >= params.minHessianLeaf
  );
}

function splitGain(left: NodeStats, right: NodeStats, parentScore: number, lambda: number): number {
  return leafScore(left.gradient, left.hessian, lambda) + leafScore(right.gradient, right.hessian, lambda) - parentScore;
}

function minus(total: NodeStats, part: NodeStats): NodeStats {
  return { gradient: total.gradient - part.gradient, hessian: total.hessian - part.hessian, count: total.count - part.count };
}

/**
 * Scans thresholds in bin order; for each, missing rows go right, then (if any) left. Kept free
 * of allocations per candidate: it runs for every bin of every feature of every node.
 */
function scanNumeric(histogram: Float64Array, base: number, binCount: number, feature: number, params: SplitParams, state: ScanState): void {
  const total = featureTotals(histogram, base, binCount + 1);
  const { lambdaL2: lambda, minSamplesLeaf, minHessianLeaf } = params;
  const parentScore = leafScore(total.gradient, total.hessian, lambda);
  const missingAt = base + binCount * histogramStride;
  const missingGradient = histogram[missingAt] ?? 0;
  const missingHessian = histogram[missingAt + 1] ?? 0;
  const missingCount = histogram[missingAt + 2] ?? 0;
  const totalGradient = total.gradient;
  const totalHessian = total.hessian;
  const totalCount = total.count;
  const lastBin = binCount - 1;
  let bestGain = state.bestGain;
  // `beats(gain, bestGain)` with the tolerance folded into one bar, updated with the best.
  let bar = bestGain + 1e-10 * Math.abs(bestGain);
  let bestBin = -1;
  let bestMissingLeft = false;
  let gradient = 0;
  let hessian = 0;
  let count = 0;
  for (let bin = 0; bin < binCount; bin++) {
    const i = base + bin * histogramStride;
    const binRows = histogram[i + 2] ?? 0;
    // An empty bin leaves the partition as it was: its candidates tie with earlier ones and lose.
    if (binRows === 0) continue;
    gradient += histogram[i] ?? 0;
    hessian += histogram[i + 1] ?? 0;
    count += binRows;
    if (missingCount === 0 && totalCount - count < minSamplesLeaf) break;
    // Missing rows right; at the last bin this is the split "present vs missing".
    if (bin < lastBin || missingCount > 0) {
      const rightHessian = totalHessian - hessian;
      if (count >= minSamplesLeaf && totalCount - count >= minSamplesLeaf && hessian >= minHessianLeaf && rightHessian >= minHessianLeaf) {
        const rightGradient = totalGradient - gradient;
        const gain = (gradient * gradient) / (hessian + lambda) + (rightGradient * rightGradient) / (rightHessian + lambda) - parentScore;
        if (gain > bar) {
          bestGain = gain;
          bar = gain + 1e-10 * Math.abs(gain);
          bestBin = bin;
          bestMissingLeft = false;
        }
      }
    }
    if (missingCount > 0 && bin < lastBin) {
      const leftGradient = gradient + missingGradient;
      const leftHessian = hessian + missingHessian;
      const leftCount = count + missingCount;
      const rightHessian = totalHessian - leftHessian;
      if (leftCount >= minSamplesLeaf && totalCount - leftCount >= minSamplesLeaf && leftHessian >= minHessianLeaf && rightHessian >= minHessianLeaf) {
        const rightGradient = totalGradient - leftGradient;
        const gain = (leftGradient * leftGradient) / (leftHessian + lambda) + (rightGradient * rightGradient) / (rightHessian + lambda) - parentScore;
        if (gain > bar) {
          bestGain = gain;
          bar = gain + 1e-10 * Math.abs(gain);
          bestBin = bin;
          bestMissingLeft = true;
        }
      }
    }
  }
  if (bestBin >= 0) state.best = numericCandidate(histogram, base, binCount, feature, bestBin, bestMissingLeft, bestGain, total);
  state.bestGain = bestGain;
}

function numericCandidate(histogram: Float64Array, base: number, binCount: number, feature: number, bin: number, missingLeft: boolean, gain: number, total: NodeStats): SplitCandidate {
  let gradient = 0;
  let hessian = 0;
  let count = 0;
  for (let b = 0; b <= bin; b++) {
    const i = base + b * histogramStride;
    gradient += histogram[i] ?? 0;
    hessian += histogram[i + 1] ?? 0;
    count += histogram[i + 2] ?? 0;
  }
  const missingAt = base + binCount * histogramStride;
  const missingCount = histogram[missingAt + 2] ?? 0;
  if (missingLeft) {
    gradient += histogram[missingAt] ?? 0;
    hessian += histogram[missingAt + 1] ?? 0;
    count += missingCount;
  }
  const left: NodeStats = { gradient, hessian, count };
  const right = minus(total, left);
  // With no missing rows at this node, missing values met later follow the bigger child.
  const missingGoesLeft = missingCount > 0 ? missingLeft : left.count >= right.count;
  const goLeft = new Uint8Array(binCount + 1);
  goLeft.fill(1, 0, bin + 1);
  goLeft[binCount] = missingGoesLeft ? 1 : 0;
  return { gain, feature, categorical: false, bin, missingGoesLeft, goLeft, left, right };
}

/**
 * LightGBM's categorical scan: order the node's categories by gradient/(hessian + catSmooth) and
 * try each prefix of that order (and, when the "other" bin holds rows, each suffix) as the left
 * set. With catSmooth = catL2 = 0 this finds the best of all 2^k partitions (Fisher, 1958).
 * The missing bin takes part as one more category; the other bin always stays right.
 */
function scanCategorical(histogram: Float64Array, base: number, binCount: number, feature: number, params: SplitParams, state: ScanState): void {
  const total = featureTotals(histogram, base, binCount + 1);
  const lambda = params.lambdaL2 + params.catL2;
  const parentScore = leafScore(total.gradient, total.hessian, lambda);
  const otherBin = binCount - 1;
  const candidates: number[] = [];
  for (let bin = 0; bin <= binCount; bin++) {
    if (bin !== otherBin && (histogram[base + bin * histogramStride + 2] ?? 0) > 0) candidates.push(bin);
  }
  const ratio = (bin: number): number => {
    const i = base + bin * histogramStride;
    return (histogram[i] ?? 0) / ((histogram[i + 1] ?? 0) + params.catSmooth);
  };
  candidates.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const otherCount = histogram[base + otherBin * histogramStride + 2] ?? 0;
  const lastPrefix = otherCount > 0 ? candidates.length : candidates.length - 1;
  scanCategoryOrder(candidates, lastPrefix, histogram, base, binCount, feature, total, parentScore, lambda, params, state);
  if (otherCount > 0) scanCategoryOrder(candidates.toReversed(), lastPrefix, histogram, base, binCount, feature, total, parentScore, lambda, params, state);
}

function scanCategoryOrder(
  order: readonly number[],
  lastPrefix: number,
  histogram: Float64Array,
  base: number,
  binCount: number,
  feature: number,
  total: NodeStats,
  parentScore: number,
  lambda: number,
  params: SplitParams,
  state: ScanState,
): void {
  let gradient = 0;
  let hessian = 0;
  let count = 0;
  for (let k = 0; k < lastPrefix; k++) {
    const i = base + (order[k] ?? 0) * histogramStride;
    gradient += histogram[i] ?? 0;
    hessian += histogram[i + 1] ?? 0;
    count += histogram[i + 2] ?? 0;
    const left: NodeStats = { gradient, hessian, count };
    const right = minus(total, left);
    if (!admissible(left, right, params)) continue;
    const gain = splitGain(left, right, parentScore, lambda);
    if (!beats(gain, state.bestGain)) continue;
    const goLeft = new Uint8Array(binCount + 1);
    for (let j = 0; j <= k; j++) goLeft[order[j] ?? 0] = 1;
    const missingSeen = (histogram[base + binCount * histogramStride + 2] ?? 0) > 0;
    if (!missingSeen) goLeft[binCount] = left.count >= right.count ? 1 : 0;
    const missingGoesLeft = goLeft[binCount] === 1;
    state.best = { gain, feature, categorical: true, bin: -1, missingGoesLeft, goLeft, left, right };
    state.bestGain = gain;
  }
}
