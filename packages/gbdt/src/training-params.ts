import { z } from 'zod';
import { AppError } from '@kindling/errors';

/**
 * Training parameters with LightGBM's defaults (num_leaves 31, min_data_in_leaf 20,
 * min_sum_hessian_in_leaf 1e-3, learning_rate 0.1, max_bin 255, cat_smooth 10, cat_l2 10,
 * tweedie_variance_power 1.5). Bagging, when rowSubsample < 1, draws new rows every iteration.
 */
export const gbdtParamsSchema = z.strictObject({
  objective: z.enum(['logistic', 'squared-error', 'tweedie']).default('logistic'),
  learningRate: z.number().positive().max(10).default(0.1),
  maxLeaves: z.int().min(2).max(65_536).default(31),
  /** Deepest leaf level (root = 0); -1 for no limit. */
  maxDepth: z.int().min(-1).refine((depth) => depth !== 0, 'maxDepth must be -1 (no limit) or at least 1').default(-1),
  minSamplesLeaf: z.int().min(1).default(20),
  minHessianLeaf: z.number().min(0).default(1e-3),
  lambdaL2: z.number().min(0).default(0),
  minGainToSplit: z.number().min(0).default(0),
  /** Fraction of rows drawn (without replacement, independently per row) for each tree. */
  rowSubsample: z.number().gt(0).max(1).default(1),
  /** Fraction of features a tree may use, drawn per tree. */
  featureSubsample: z.number().gt(0).max(1).default(1),
  maxIterations: z.int().min(1).max(100_000).default(100),
  /** Stop when the validation loss has not improved for this many iterations; needs a validation set. */
  earlyStoppingRounds: z.int().min(1).optional(),
  seed: z.int().default(0),
  maxBins: z.int().min(2).max(255).default(255),
  /** Categorical codes seen fewer times in training pool into one "other" category. */
  minCategoryCount: z.int().min(1).default(5),
  catSmooth: z.number().min(0).default(10),
  catL2: z.number().min(0).default(10),
  /** Logistic only: weight multiplier of positive rows (LightGBM's scale_pos_weight). */
  positiveWeight: z.number().positive().default(1),
  tweedieVariancePower: z.number().min(1).lt(2).default(1.5),
  /**
   * Threads for histogram building (this one plus threads - 1 workers). Any value gives the same
   * model; workers pay off only on large data sets, where they are used.
   */
  threads: z.int().min(1).max(64).default(1),
});

export type GbdtParams = z.output<typeof gbdtParamsSchema>;
export type GbdtParamsInput = z.input<typeof gbdtParamsSchema>;

export function parseGbdtParams(input: GbdtParamsInput): GbdtParams {
  const parsed = gbdtParamsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`);
    throw new AppError('VALIDATION_FAILED', `invalid GBDT parameters: ${problems.join('; ')}`, { details: { problems } });
  }
  return parsed.data;
}
