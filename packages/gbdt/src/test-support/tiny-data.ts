/**
 * Random tiny data sets for oracle tests: few rows, repeated values, missing values and an optional
 * categorical feature, so that ties, empty bins and missing-value routing are all exercised.
 */
import { createSeededRandom, type SeededRandom } from '../seeded-random.js';
import type { FeatureMatrix, ModelFeature } from '../tree-model.js';

export interface TinyDataSet {
  readonly matrix: FeatureMatrix;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
}

export function normal(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

export function tinyDataSet(seed: number, withCategorical: boolean): TinyDataSet {
  const random = createSeededRandom(seed);
  const rowCount = 8 + random.nextInt(50);
  const numericCount = 1 + random.nextInt(3);
  const features: ModelFeature[] = [];
  const columns: Float64Array[] = [];
  for (let f = 0; f < numericCount; f++) {
    const missingRate = random.next() < 0.5 ? 0 : 0.2;
    const discrete = random.next() < 0.5;
    const column = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) {
      column[i] = random.next() < missingRate ? Number.NaN : discrete ? random.nextInt(6) : normal(random);
    }
    features.push({ name: `x${String(f)}`, kind: 'numeric' });
    columns.push(column);
  }
  if (withCategorical) {
    const categories = 2 + random.nextInt(4);
    const missingRate = random.next() < 0.5 ? 0 : 0.15;
    const column = new Float64Array(rowCount);
    for (let i = 0; i < rowCount; i++) column[i] = random.next() < missingRate ? Number.NaN : random.nextInt(categories);
    features.push({ name: 'c', kind: 'categorical', categoryCount: categories });
    columns.push(column);
  }
  const gradients = new Float64Array(rowCount);
  const hessians = new Float64Array(rowCount);
  const unitHessians = random.next() < 0.5;
  for (let i = 0; i < rowCount; i++) {
    gradients[i] = normal(random);
    hessians[i] = unitHessians ? 1 : 0.1 + 2 * random.next();
  }
  return { matrix: { rowCount, features, columns }, gradients, hessians };
}
