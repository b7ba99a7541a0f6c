import type { FeatureMatrix } from '@kindling/gbdt';

/** A seeded xorshift stream, so every test data set is the same on every run. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
}

export interface SyntheticRows {
  readonly matrix: FeatureMatrix;
  readonly labels: Float64Array;
  /** The probability the labels were drawn with. */
  readonly truth: Float64Array;
}

/**
 * Rows with four features: `linear` makes the log-odds a sum of the features; `interaction`
 * makes them depend on whether two features agree in sign (an XOR that no linear model can see).
 */
export function syntheticRows(rowCount: number, shape: 'linear' | 'interaction', seed: number): SyntheticRows {
  const uniform = seededUniform(seed);
  const names = ['months_since_last_gift', 'gift_count_12m', 'average_gift', 'noise'];
  const columns = names.map(() => new Float64Array(rowCount));
  const labels = new Float64Array(rowCount);
  const truth = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row += 1) {
    const x = columns.map((column) => {
      column[row] = uniform() * 2 - 1;
      return column[row] ?? 0;
    });
    const [a = 0, b = 0, c = 0] = x;
    const logit = shape === 'linear' ? 1.2 * a - 0.8 * b + 0.5 * c - 1 : (a * b > 0 ? 1.5 : -1.5) + 0.3 * c - 1;
    truth[row] = 1 / (1 + Math.exp(-logit));
    labels[row] = uniform() < (truth[row] ?? 0) ? 1 : 0;
  }
  return { matrix: { rowCount, features: names.map((name) => ({ name, kind: 'numeric' as const })), columns }, labels, truth };
}
