import { AppError } from '@kindling/errors';
import type { FeatureMatrix, Objective } from './tree-model.js';

/** Fewest rows of each class a logistic model is trained on; fewer cannot say anything about the class. */
export const minimumRowsPerClass = 2;

function fail(message: string): never {
  throw new AppError('VALIDATION_FAILED', message);
}

/** Checks shape, labels and weights of a training or validation set before any work is done. */
export function assertTrainingSet(name: string, matrix: FeatureMatrix, labels: Float64Array, weights: Float64Array | null, objective: Objective): void {
  if (matrix.rowCount <= 0 || !Number.isInteger(matrix.rowCount)) fail(`${name} set has no rows`);
  if (matrix.features.length === 0) fail(`${name} set has no features`);
  if (matrix.columns.length !== matrix.features.length) {
    fail(`${name} set has ${String(matrix.columns.length)} columns for ${String(matrix.features.length)} features`);
  }
  if (labels.length !== matrix.rowCount) fail(`${name} set has ${String(labels.length)} labels for ${String(matrix.rowCount)} rows`);
  if (weights !== null) assertWeights(name, weights, matrix.rowCount);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? Number.NaN;
    if (!Number.isFinite(label)) fail(`${name} label at row ${String(i)} is ${String(label)}; labels must be finite numbers`);
    if (objective === 'logistic' && label !== 0 && label !== 1) fail(`${name} label at row ${String(i)} is ${String(label)}; logistic labels must be 0 or 1`);
    if (objective === 'tweedie' && label < 0) fail(`${name} label at row ${String(i)} is negative; tweedie labels must be >= 0`);
  }
}

function assertWeights(name: string, weights: Float64Array, rowCount: number): void {
  if (weights.length !== rowCount) fail(`${name} set has ${String(weights.length)} weights for ${String(rowCount)} rows`);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] ?? Number.NaN;
    if (!Number.isFinite(weight) || weight < 0) fail(`${name} weight at row ${String(i)} is ${String(weight)}; weights must be finite and >= 0`);
    total += weight;
  }
  if (!(total > 0)) fail(`${name} weights sum to zero`);
}

/** What the training labels must also satisfy for the objective's starting score to exist. */
export function assertTrainableLabels(labels: Float64Array, weights: Float64Array | null, objective: Objective): void {
  if (objective === 'logistic') {
    let positives = 0;
    for (const label of labels) positives += label;
    const negatives = labels.length - positives;
    if (positives === 0 || negatives === 0) fail(`training labels are all ${positives === 0 ? '0' : '1'}; logistic training needs both classes`);
    if (positives < minimumRowsPerClass) fail(`training set has ${String(positives)} positive row; logistic training needs at least ${String(minimumRowsPerClass)}`);
    if (negatives < minimumRowsPerClass) fail(`training set has ${String(negatives)} negative row; logistic training needs at least ${String(minimumRowsPerClass)}`);
    if (weights !== null) {
      let positiveWeight = 0;
      let negativeWeight = 0;
      labels.forEach((label, i) => {
        if (label === 1) positiveWeight += weights[i] ?? 0;
        else negativeWeight += weights[i] ?? 0;
      });
      if (!(positiveWeight > 0 && negativeWeight > 0)) fail(`the ${positiveWeight > 0 ? 'negative' : 'positive'} training rows have zero total weight; logistic training needs weight on both classes`);
    }
  }
  if (objective === 'tweedie') {
    let weighted = 0;
    for (let i = 0; i < labels.length; i++) weighted += (labels[i] ?? 0) * (weights === null ? 1 : (weights[i] ?? 0));
    if (!(weighted > 0)) fail('training labels (with weight) are all zero; tweedie training needs some positive labels');
  }
}

/** A validation set must describe the same features, in the same order, as the training set. */
export function assertSameFeatures(train: FeatureMatrix, validation: FeatureMatrix): void {
  if (train.features.length !== validation.features.length) {
    fail(`validation set has ${String(validation.features.length)} features, training set ${String(train.features.length)}`);
  }
  train.features.forEach((feature, index) => {
    const other = validation.features[index];
    if (other?.name !== feature.name || other.kind !== feature.kind) {
      fail(`validation feature ${String(index)} is "${other?.name ?? ''}" (${other?.kind ?? ''}), training feature is "${feature.name}" (${feature.kind})`);
    }
  });
}
