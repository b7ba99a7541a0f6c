/** Synthetic training sets with a known signal, for the booster's learning tests. */
import { createSeededRandom } from '../seeded-random.js';
import type { FeatureMatrix, ModelFeature } from '../tree-model.js';
import { normal } from './tiny-data.js';

export interface LabelledSet {
  readonly matrix: FeatureMatrix;
  readonly labels: Float64Array;
  /** The true signal (log-odds or log-mean) of each row. */
  readonly signal: Float64Array;
}

const features: ModelFeature[] = [
  { name: 'amount', kind: 'numeric' },
  { name: 'recency', kind: 'numeric' },
  { name: 'noise_a', kind: 'numeric' },
  { name: 'noise_b', kind: 'numeric' },
  { name: 'region', kind: 'categorical', categoryCount: 6 },
];
const regionEffect = [1.2, -0.8, 0.3, -1.5, 0.9, 0];

/** Columns with missing values, an infinity and a categorical feature; `signal` depends on three of them. */
export function syntheticFeatures(rowCount: number, seed: number): { matrix: FeatureMatrix; signal: Float64Array } {
  const random = createSeededRandom(seed);
  const amount = new Float64Array(rowCount);
  const recency = new Float64Array(rowCount);
  const noiseA = new Float64Array(rowCount);
  const noiseB = new Float64Array(rowCount);
  const region = new Float64Array(rowCount);
  const signal = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const a = normal(random);
    const r = random.next();
    const g = random.nextInt(6);
    const amountMissing = random.next() < 0.1;
    const regionMissing = random.next() < 0.05;
    amount[i] = amountMissing ? Number.NaN : a;
    recency[i] = random.next() < 0.01 ? Number.POSITIVE_INFINITY : r;
    noiseA[i] = normal(random);
    noiseB[i] = random.next() < 0.3 ? Number.NaN : random.nextInt(4);
    region[i] = regionMissing ? Number.NaN : g;
    signal[i] = (amountMissing ? 0.5 : a) + ((recency[i] ?? 0) < 0.3 ? 1 : -1) + (regionMissing ? 0 : (regionEffect[g] ?? 0));
  }
  const columns = [amount, recency, noiseA, noiseB, region];
  return { matrix: { rowCount, features, columns }, signal };
}

export function logisticSet(rowCount: number, seed: number): LabelledSet {
  const { matrix, signal } = syntheticFeatures(rowCount, seed);
  const random = createSeededRandom(seed + 1000);
  const labels = signal.map((s) => (random.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0));
  return { matrix, labels, signal };
}

/** Positive, skewed amounts (Tweedie-like: many zeros, a long right tail) with log-mean 0.5 * signal. */
export function tweedieSet(rowCount: number, seed: number): LabelledSet {
  const { matrix, signal } = syntheticFeatures(rowCount, seed);
  const random = createSeededRandom(seed + 2000);
  const labels = signal.map((s) => {
    const mean = Math.exp(0.5 * s);
    // Compound Poisson-gamma: N ~ Poisson(mean / 2), each claim exponential with mean 2.
    let n = 0;
    for (let p = Math.exp(-mean / 2), u = random.next(), c = p; u > c; ) {
      n += 1;
      p *= mean / 2 / n;
      c += p;
    }
    let total = 0;
    for (let k = 0; k < n; k++) total += -2 * Math.log(Math.max(random.next(), 1e-12));
    return total;
  });
  return { matrix, labels, signal };
}

/** Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties counted as half. */
export function areaUnderCurve(scores: Float64Array, labels: Float64Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] ?? 0] === scores[order[i] ?? 0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k] ?? 0] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  labels.forEach((label, i) => {
    if (label === 1) {
      positives += 1;
      rankSum += ranks[i] ?? 0;
    }
  });
  const negatives = labels.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
