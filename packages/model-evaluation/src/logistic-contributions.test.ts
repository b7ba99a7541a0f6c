import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '@kindling/gbdt';
import { logisticContributions } from './logistic-contributions.js';
import { predictLogisticRegression, trainLogisticRegression } from './logistic-regression.js';

/** Two numeric features (one with gaps) and a categorical one, with a seeded linear signal. */
function rows(count: number): { matrix: FeatureMatrix; labels: Float64Array } {
  let state = 99;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const a = new Float64Array(count);
  const b = new Float64Array(count);
  const c = new Float64Array(count);
  const labels = new Float64Array(count);
  for (let row = 0; row < count; row += 1) {
    a[row] = uniform() * 4 - 2;
    b[row] = uniform() < 0.2 ? Number.NaN : uniform();
    c[row] = Math.floor(uniform() * 3);
    const logit = 1.1 * (a[row] ?? 0) + (Number.isNaN(b[row] ?? 0) ? 0.7 : -(b[row] ?? 0)) + (c[row] === 2 ? 0.8 : 0) - 0.5;
    labels[row] = uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  const features = [{ name: 'a', kind: 'numeric' as const }, { name: 'b', kind: 'numeric' as const }, { name: 'c', kind: 'categorical' as const, categoryCount: 3 }];
  return { matrix: { rowCount: count, features, columns: [a, b, c] }, labels };
}

describe('logistic regression contributions', () => {
  const { matrix, labels } = rows(2000);
  const model = trainLogisticRegression(matrix, labels, { l2: 1 });

  it('add up, with the intercept column, to each row\'s log-odds', () => {
    const picked = [0, 5, 17, 1999];
    const contributions = logisticContributions(model, matrix, picked);
    const probabilities = predictLogisticRegression(model, matrix);
    picked.forEach((row, index) => {
      const sum = contributions.subarray(index * 4, index * 4 + 4).reduce((total, value) => total + value, 0);
      const p = probabilities[row] ?? 0;
      expect(sum).toBeCloseTo(Math.log(p / (1 - p)), 9);
    });
  });

  it('average zero over the training rows (the average donor is the reference)', () => {
    const all = Array.from({ length: matrix.rowCount }, (_, row) => row);
    const contributions = logisticContributions(model, matrix, all);
    for (let feature = 0; feature < 3; feature += 1) {
      let sum = 0;
      for (let row = 0; row < all.length; row += 1) sum += contributions[row * 4 + feature] ?? 0;
      expect(Math.abs(sum / all.length)).toBeLessThan(1e-9);
    }
  });
});
