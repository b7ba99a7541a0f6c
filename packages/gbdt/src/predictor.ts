/**
 * Scoring a feature matrix: the model is turned into a scoring plan (block-scorer.ts: numeric-only
 * trees for the WebAssembly kernel, the rest for the JavaScript one), then rows are copied and
 * scored a block of `blockRows` at a time (scoring-kernel.ts), on the calling thread or shared with
 * worker threads (parallel-scoring.ts). Every path adds the same leaf values in the same order, so
 * scores do not depend on the path taken.
 */
import { AppError } from '@kindling/errors';
import { createBlockScorer, createScoringPlan } from './block-scorer.js';
import { scoreInParallel } from './parallel-scoring.js';
import { blockRows, copyBlock, scoreBlock } from './scoring-kernel.js';
import type { FeatureMatrix, ModelFeature, Objective, TreeEnsemble } from './tree-model.js';
import { nextNode } from './tree-routing.js';

export interface ScoringOptions {
  /**
   * Threads to score with, the calling thread included; 1 when omitted. Worth it for large files on
   * a machine with idle cores: a worker costs tens of milliseconds to start, so fewer than
   * `minimumParallelRows` rows are always scored on the calling thread.
   */
  readonly threads?: number;
}

/** Below this many rows starting workers costs more than it saves. */
export const minimumParallelRows = 16 * blockRows;

function sameFeature(a: ModelFeature, b: ModelFeature): boolean {
  return a.name === b.name && a.kind === b.kind;
}

/**
 * Refuses a matrix whose features are not the model's, in the same order: scoring it would read
 * the wrong columns and give confident nonsense rather than an error.
 */
export function assertMatrixMatchesModel(model: TreeEnsemble, matrix: FeatureMatrix): void {
  const count = Math.max(model.features.length, matrix.features.length);
  for (let index = 0; index < count; index += 1) {
    const expected = model.features[index];
    const actual = matrix.features[index];
    if (expected !== undefined && actual !== undefined && sameFeature(expected, actual)) continue;
    const wanted = expected === undefined ? 'no feature' : `${expected.kind} feature "${expected.name}"`;
    const found = actual === undefined ? 'no feature' : `${actual.kind} feature "${actual.name}"`;
    throw new AppError('VALIDATION_FAILED', `the feature matrix does not match the model: at position ${String(index)} the model expects ${wanted} but the matrix has ${found}`, {
      details: { position: index, expected: expected?.name ?? null, actual: actual?.name ?? null },
    });
  }
  if (matrix.columns.length !== matrix.features.length) {
    throw new AppError('VALIDATION_FAILED', `the feature matrix has ${String(matrix.columns.length)} columns for ${String(matrix.features.length)} features`);
  }
  matrix.columns.forEach((column, index) => {
    if (column.length !== matrix.rowCount) {
      throw new AppError('VALIDATION_FAILED', `the feature matrix column of "${matrix.features[index]?.name ?? ''}" has ${String(column.length)} values for ${String(matrix.rowCount)} rows`);
    }
  });
}

/** Raw scores (base score plus every tree's leaf value): log-odds, log-mean or the mean, by objective. */
export function predictRaw(model: TreeEnsemble, matrix: FeatureMatrix, options: ScoringOptions = {}): Float64Array {
  assertMatrixMatchesModel(model, matrix);
  const out = new Float64Array(matrix.rowCount).fill(model.baseScore);
  if (model.trees.length === 0) return out;
  const plan = createScoringPlan(model);
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  if (threads > 1 && matrix.rowCount >= minimumParallelRows) {
    scoreInParallel(plan, matrix.columns, matrix.rowCount, out, model.baseScore, threads);
    return out;
  }
  const scorer = createBlockScorer(plan, scoreBlock);
  for (let start = 0; start < matrix.rowCount; start += blockRows) {
    const end = Math.min(start + blockRows, matrix.rowCount);
    copyBlock(matrix.columns, start, end, scorer.block);
    scorer.score(end - start, out, start);
  }
  return out;
}

/** Maps raw scores to the objective's scale in place: probability, expected amount, or unchanged. */
export function transformRawScores(objective: Objective, raw: Float64Array): Float64Array {
  if (objective === 'logistic') {
    for (let index = 0; index < raw.length; index += 1) raw[index] = 1 / (1 + Math.exp(-(raw[index] ?? 0)));
  } else if (objective === 'tweedie') {
    for (let index = 0; index < raw.length; index += 1) raw[index] = Math.exp(raw[index] ?? 0);
  }
  return raw;
}

/** Predictions on the objective's scale: a probability (logistic), an expected amount (tweedie) or the mean (squared error). */
export function predict(model: TreeEnsemble, matrix: FeatureMatrix, options: ScoringOptions = {}): Float64Array {
  return transformRawScores(model.objective, predictRaw(model, matrix, options));
}

/**
 * The leaf each row reaches in each tree, row-major: entry `row * trees + tree` is a node index
 * within that tree. For leaf-based diagnostics and for checking the scoring kernel.
 */
export function predictLeafIndices(model: TreeEnsemble, matrix: FeatureMatrix): Int32Array {
  assertMatrixMatchesModel(model, matrix);
  const treeCount = model.trees.length;
  const leaves = new Int32Array(matrix.rowCount * treeCount);
  model.trees.forEach((tree, treeIndex) => {
    for (let row = 0; row < matrix.rowCount; row += 1) {
      let node = 0;
      let split = tree.splitFeature[0] ?? -1;
      while (split >= 0) {
        node = nextNode(tree, node, matrix.columns[split]?.[row] ?? Number.NaN);
        split = tree.splitFeature[node] ?? -1;
      }
      leaves[row * treeCount + treeIndex] = node;
    }
  });
  return leaves;
}
