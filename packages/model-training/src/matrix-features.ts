import { AppError } from '@kindling/errors';
import type { FeatureMatrix, ModelFeature } from '@kindling/gbdt';

/** A model scores only the features it was trained on, in the same order and of the same kind. */
export function checkMatrixFeatures(expected: readonly ModelFeature[], matrix: FeatureMatrix): void {
  if (matrix.features.length !== expected.length) {
    throw new AppError('VALIDATION_FAILED', `The model was trained on ${String(expected.length)} features but the data has ${String(matrix.features.length)}: featurise with the same catalogue`);
  }
  expected.forEach((feature, index) => {
    const given = matrix.features[index];
    if (given?.name !== feature.name || given.kind !== feature.kind) {
      throw new AppError('VALIDATION_FAILED', `Feature ${String(index + 1)} of the data is ${given?.name ?? 'missing'} but the model expects ${feature.name} (${feature.kind})`);
    }
  });
}
