import { requireBinaryLabels, requirePositiveInteger, requireProbabilities, requireRows, requireSameLength, requireWeights, weightAt, type NumericColumn } from './input-checks.js';

export type BinStrategy = 'uniform' | 'quantile';

export interface CalibrationBin {
  /** Bin edges: a probability p falls in the bin when lower <= p < upper (the last bin includes upper). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Sum of sample weights (equals count without weights). */
  readonly weight: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface CalibrationCurve {
  readonly strategy: BinStrategy;
  /** Non-empty bins only, in increasing order of probability. */
  readonly bins: readonly CalibrationBin[];
  /** Σ over bins of (bin weight / total weight) · |mean predicted − observed rate|. */
  readonly expectedCalibrationError: number;
}

export interface CalibrationCurveOptions {
  /** Number of bins requested (default 10). Quantile bins may merge when many probabilities tie. */
  readonly bins?: number;
  readonly strategy?: BinStrategy;
  readonly weights?: NumericColumn;
}

/** Quantile edges by the sorted probabilities (nearest rank), deduplicated so tied values never make an empty bin. */
function quantileEdges(probabilities: NumericColumn, binCount: number): number[] {
  const sorted = Float64Array.from(probabilities).sort();
  const edges = [sorted[0] ?? 0];
  for (let bin = 1; bin < binCount; bin += 1) {
    const position = (bin / binCount) * (sorted.length - 1);
    const lower = Math.floor(position);
    const fraction = position - lower;
    const edge = (sorted[lower] ?? 0) * (1 - fraction) + (sorted[Math.min(lower + 1, sorted.length - 1)] ?? 0) * fraction;
    if (edge > (edges[edges.length - 1] ?? 0)) edges.push(edge);
  }
  const last = sorted[sorted.length - 1] ?? 1;
  if (last > (edges[edges.length - 1] ?? 0) || edges.length === 1) edges.push(last);
  return edges;
}

function uniformEdges(binCount: number): number[] {
  return Array.from({ length: binCount + 1 }, (_, index) => index / binCount);
}

/** Index of the bin holding p: the last edge <= p among the inner edges (binary search). */
function binOf(edges: readonly number[], p: number): number {
  let low = 0;
  let high = edges.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((edges[middle] ?? 0) <= p) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Reliability curve: rows grouped by predicted probability into equal-width ('uniform') or
 * equal-count ('quantile', linear-interpolated quantiles) bins, each with its mean prediction and
 * observed positive rate, plus the expected calibration error. O(n log k) after the quantile sort.
 */
export function calibrationCurve(probabilities: NumericColumn, labels: NumericColumn, options: CalibrationCurveOptions = {}): CalibrationCurve {
  const { bins: binCount = 10, strategy = 'uniform', weights } = options;
  requireRows(probabilities.length);
  requireSameLength('labels', probabilities.length, labels);
  requireBinaryLabels(labels);
  requireProbabilities(probabilities);
  requirePositiveInteger('bins', binCount);
  const totalWeight = requireWeights(weights, probabilities.length);
  const edges = strategy === 'uniform' ? uniformEdges(binCount) : quantileEdges(probabilities, binCount);
  const slots = edges.length - 1;
  const count = new Float64Array(slots);
  const weight = new Float64Array(slots);
  const predicted = new Float64Array(slots);
  const observed = new Float64Array(slots);
  for (let row = 0; row < probabilities.length; row += 1) {
    const p = probabilities[row] ?? 0;
    const bin = binOf(edges, p);
    const w = weightAt(weights, row);
    count[bin] = (count[bin] ?? 0) + 1;
    weight[bin] = (weight[bin] ?? 0) + w;
    predicted[bin] = (predicted[bin] ?? 0) + w * p;
    observed[bin] = (observed[bin] ?? 0) + w * (labels[row] ?? 0);
  }
  const result: CalibrationBin[] = [];
  let calibrationError = 0;
  for (let bin = 0; bin < slots; bin += 1) {
    const binWeight = weight[bin] ?? 0;
    if ((count[bin] ?? 0) === 0 || binWeight === 0) continue;
    const meanPredicted = (predicted[bin] ?? 0) / binWeight;
    const observedRate = (observed[bin] ?? 0) / binWeight;
    calibrationError += (binWeight / totalWeight) * Math.abs(meanPredicted - observedRate);
    result.push({ lower: edges[bin] ?? 0, upper: edges[bin + 1] ?? 1, count: count[bin] ?? 0, weight: binWeight, meanPredicted, observedRate });
  }
  return { strategy, bins: result, expectedCalibrationError: calibrationError };
}
