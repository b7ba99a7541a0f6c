import { z } from 'zod';
import { AppError } from '@kindling/errors';
import { parseModelFile, serialiseModel, type ModelFeature } from '@kindling/gbdt';
import { calibratorSchema, logisticRegressionModelSchema, modelReportSchema, type Calibrator, type LogisticRegressionModel, type ModelReport } from '@kindling/model-evaluation';
import type { CandidateResult, Champion } from './binary-model-selection.js';

export const propensityModelFormat = 'kindling.propensity-model';
const engineVersion = '0.1.0';

/** A trained propensity model with everything needed to score, explain and show it. */
export interface PropensityModel {
  readonly format: typeof propensityModelFormat;
  readonly version: 1;
  /** The outcome definition's name (`@kindling/features` outcomes). */
  readonly outcome: string;
  readonly windowMonths: number;
  readonly trainedAt: string;
  /** ISO dates of the training set's cutoffs, oldest first; the last one tuned and tested the model. */
  readonly cutoffs: readonly string[];
  readonly rows: { readonly train: number; readonly tuning: number; readonly test: number };
  readonly featureNames: readonly string[];
  readonly features: readonly ModelFeature[];
  readonly champion: Champion;
  readonly baseline: LogisticRegressionModel;
  readonly calibrator: Calibrator;
  readonly candidates: readonly CandidateResult[];
  /** Computed on the test rows, which played no part in fitting, choosing or calibrating. */
  readonly report: ModelReport;
}

const modelFeatureSchema = z.union([
  z.object({ name: z.string().min(1), kind: z.literal('numeric') }).strict(),
  z.object({ name: z.string().min(1), kind: z.literal('categorical'), categoryCount: z.number().int().min(0) }).strict(),
]);

/** The stored form: the trees in their own self-checking file format, everything else plain JSON. */
const storedSchema = z
  .object({
    format: z.literal(propensityModelFormat),
    version: z.literal(1),
    outcome: z.string().min(1).max(100),
    windowMonths: z.number().int().min(1).max(120),
    trainedAt: z.iso.datetime(),
    cutoffs: z.array(z.iso.date()).min(1),
    rows: z.object({ train: z.number().int().min(0), tuning: z.number().int().min(0), test: z.number().int().min(0) }).strict(),
    featureNames: z.array(z.string().min(1)),
    features: z.array(modelFeatureSchema),
    champion: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('gbdt'), name: z.string(), params: z.record(z.string(), z.unknown()), modelFile: z.string() }).strict(),
      z.object({ kind: z.literal('logistic'), name: z.string(), model: logisticRegressionModelSchema }).strict(),
    ]),
    baseline: logisticRegressionModelSchema,
    calibrator: calibratorSchema,
    candidates: z.array(z.object({ name: z.string(), kind: z.enum(['gbdt', 'logistic']), tuningAuc: z.number(), iterations: z.number().int().optional() }).strict()),
    report: modelReportSchema,
  })
  .strict();

export function serialisePropensityModel(model: PropensityModel): string {
  const { champion } = model;
  const storedChampion =
    champion.kind === 'gbdt'
      ? {
          kind: 'gbdt' as const,
          name: champion.name,
          params: champion.params,
          modelFile: serialiseModel(champion.ensemble, { createdAt: model.trainedAt, engineVersion, trainingParams: champion.params, featureCatalogue: model.featureNames }),
        }
      : champion;
  return JSON.stringify({ ...model, champion: storedChampion });
}

/** Reads a stored model, checking every part; anything else is refused with VALIDATION_FAILED naming the problem. */
export function parsePropensityModel(text: string): PropensityModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', 'The propensity model file is not JSON', { cause: error });
  }
  const parsed = storedSchema.safeParse(value);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `The propensity model file is not valid: ${z.prettifyError(parsed.error)}`);
  const stored = parsed.data;
  if (stored.featureNames.length !== stored.features.length || stored.features.some((feature, index) => feature.name !== stored.featureNames[index])) {
    throw new AppError('VALIDATION_FAILED', 'The propensity model file is not valid: its feature list and feature names disagree');
  }
  const champion: Champion =
    stored.champion.kind === 'gbdt'
      ? { kind: 'gbdt', name: stored.champion.name, params: stored.champion.params, ensemble: parseModelFile(stored.champion.modelFile).model }
      : stored.champion;
  return { ...stored, champion };
}
