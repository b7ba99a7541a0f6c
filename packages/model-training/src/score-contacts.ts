import type { FeatureMatrix } from '@kindling/gbdt';
import { applyCalibrator, rankScores } from '@kindling/model-evaluation';
import { championRawScores } from './binary-model-selection.js';
import { checkMatrixFeatures } from './matrix-features.js';
import type { PropensityModel } from './propensity-model.js';

export interface ContactScores {
  /** Calibrated probability per row; NaN where the contact gets no score (below 1 in 10,000). */
  readonly probabilities: Float64Array;
  /** 1 = most likely; NaN with no score. Ties in probability are broken by the raw score. */
  readonly ranks: Float64Array;
  readonly rankedCount: number;
}

/**
 * Scores the rows of a featurised cutoff. Ranks follow the raw score where calibration flattens
 * it (isotonic steps), so two donors with the same published probability still rank in the order
 * the model tells them apart.
 */
export function scoreContacts(model: Pick<PropensityModel, 'champion' | 'calibrator' | 'features'>, matrix: FeatureMatrix): ContactScores {
  checkMatrixFeatures(model.features, matrix);
  const raw = championRawScores(model.champion, matrix);
  const ranking = rankScores(applyCalibrator(model.calibrator, raw), { tieBreak: raw });
  return { probabilities: ranking.scores, ranks: ranking.ranks, rankedCount: ranking.rankedCount };
}
