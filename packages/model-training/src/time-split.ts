import { AppError } from '@kindling/errors';
import type { TrainingSet } from '@kindling/features';
import { latestCutoffSplit, selectRows, selectValues } from '@kindling/model-evaluation';
import type { LabelledRows } from './binary-model-selection.js';

/**
 * Splits the latest cutoff's rows between tuning (early stopping, model choice, calibration) and
 * the test rows the report is computed on, by contact so that a donor is never on both sides.
 * Alternating by a hash of the contact index keeps the split deterministic and independent of
 * row order.
 */
function splitLatest(set: TrainingSet, latestRows: Int32Array, seed: number): { tuning: Int32Array; test: Int32Array } {
  const tuning: number[] = [];
  const test: number[] = [];
  for (const row of latestRows) {
    const contact = set.contacts[row] ?? 0;
    (Math.imul(contact ^ seed, 0x9e3779b1) >>> 0 < 0x80000000 ? tuning : test).push(row);
  }
  return { tuning: Int32Array.from(tuning), test: Int32Array.from(test) };
}

export function rowsOf(set: TrainingSet, rows: Int32Array): LabelledRows {
  return { matrix: selectRows(set.matrix, rows), labels: selectValues(set.labels, rows) };
}

/** Earlier cutoffs train; the latest cutoff's contacts are halved between tuning and test. */
export function splitByTime(set: TrainingSet, seed: number): { train: Int32Array; tuning: Int32Array; test: Int32Array } {
  const { train, validation } = latestCutoffSplit(set.cutoffIndex);
  const { tuning, test } = splitLatest(set, validation, seed);
  if (test.length === 0 || tuning.length === 0) throw new AppError('VALIDATION_FAILED', 'The latest cutoff has too few contacts to tune and test a model');
  return { train, tuning, test };
}
