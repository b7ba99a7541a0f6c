import { isoFromDay, type TrainingSet } from '@kindling/features';
import { predict, trainGbdt, type FeatureMatrix, type GbdtParamsInput, type ModelFeature, type TreeEnsemble } from '@kindling/gbdt';
import { buildAmountReport, type ModelReport } from '@kindling/model-evaluation';
import { checkMatrixFeatures } from './matrix-features.js';
import { rowsOf, splitByTime } from './time-split.js';

/**
 * How much a contact will give in the window: most give nothing and a few give a lot, so the trees
 * use the Tweedie loss (a point mass at zero and a long right tail, log link), the amount analogue of
 * the propensity models. Validated by time the same way: earlier cutoffs train, half the latest
 * cutoff's contacts stop the trees early, the other half is reported on (expected against realised
 * revenue by decile and rank band).
 */
export interface AmountModel {
  readonly outcome: string;
  readonly windowMonths: number;
  readonly trainedAt: string;
  readonly cutoffs: readonly string[];
  readonly rows: { readonly train: number; readonly tuning: number; readonly test: number };
  readonly features: readonly ModelFeature[];
  readonly ensemble: TreeEnsemble;
  readonly report: ModelReport;
}

export interface AmountModelOptions {
  readonly seed?: number;
  readonly trainedAt?: string;
  /** Laid over the defaults (e.g. maxIterations in tests). */
  readonly gbdt?: GbdtParamsInput;
}

const amountParams: GbdtParamsInput = {
  objective: 'tweedie',
  tweedieVariancePower: 1.5,
  learningRate: 0.05,
  maxLeaves: 15,
  minSamplesLeaf: 50,
  lambdaL2: 1,
  rowSubsample: 0.8,
  featureSubsample: 0.8,
  maxIterations: 600,
  earlyStoppingRounds: 40,
};

export function trainAmountModel(set: TrainingSet, options: AmountModelOptions = {}): AmountModel {
  const { train, tuning, test } = splitByTime(set, options.seed ?? 0);
  const trainRows = rowsOf(set, train);
  const tuningRows = rowsOf(set, tuning);
  const { model } = trainGbdt(trainRows.matrix, trainRows.labels, { ...amountParams, ...options.gbdt, seed: options.seed ?? 0 }, { validation: tuningRows });
  const testRows = rowsOf(set, test);
  return {
    outcome: set.outcome,
    windowMonths: set.windowMonths,
    trainedAt: options.trainedAt ?? new Date().toISOString(),
    cutoffs: set.cutoffs.map(isoFromDay),
    rows: { train: train.length, tuning: tuning.length, test: test.length },
    features: set.matrix.features,
    ensemble: model,
    report: buildAmountReport(predict(model, testRows.matrix), testRows.labels),
  };
}

/** Expected amount per row, in the organisation's currency. */
export function predictAmounts(model: Pick<AmountModel, 'ensemble' | 'features'>, matrix: FeatureMatrix): Float64Array {
  checkMatrixFeatures(model.features, matrix);
  return predict(model.ensemble, matrix);
}
