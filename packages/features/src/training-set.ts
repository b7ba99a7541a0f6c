import { AppError } from '@kindling/errors';
import type { FeatureMatrix } from '@kindling/gbdt';
import type { ContactHistory } from './contact-history.js';
import { addMonths, isoFromDay, type Day } from './day-numbers.js';
import { featuriseAt, featuriseRows, populationMask, type FeaturisationOptions, type FeaturisedCutoff } from './featuriser.js';
import { isEligible, labelOf, outcomeNamed, type OutcomeName } from './outcomes.js';

export interface TrainingSetOptions extends FeaturisationOptions {
  readonly outcome: OutcomeName;
  /** Months after each cutoff in which the label is observed. Default 12. */
  readonly windowMonths?: number;
  /** Cutoffs to stack; when absent, `rollingCutoffs` from the history's last day. */
  readonly cutoffs?: readonly Day[];
  /** Months between rolling cutoffs (default 12) and how many (default 3). */
  readonly stepMonths?: number;
  readonly cutoffCount?: number;
  /** The export's last day (default: the history's latest dated fact). */
  readonly lastDataDay?: Day;
}

export interface TrainingSet {
  readonly outcome: OutcomeName;
  readonly windowMonths: number;
  /** Ascending; row r was featurised at `cutoffs[cutoffIndex[r]]`. Validate on the last, train on the earlier ones. */
  readonly cutoffs: readonly Day[];
  readonly matrix: FeatureMatrix;
  readonly labels: Float64Array;
  readonly cutoffIndex: Int32Array;
  /** Index into `history.contactIds`. */
  readonly contacts: Int32Array;
}

/**
 * Rolling-origin cutoffs, oldest first: the latest leaves a full label window before
 * `lastDataDay`, the others step back `stepMonths` each.
 */
export function rollingCutoffs(lastDataDay: Day, windowMonths: number, stepMonths: number, count: number): Day[] {
  if (!Number.isInteger(stepMonths) || stepMonths < 1) throw new AppError('VALIDATION_FAILED', 'stepMonths must be a whole number of months, at least 1');
  if (!Number.isInteger(count) || count < 1) throw new AppError('VALIDATION_FAILED', 'cutoffCount must be a whole number, at least 1');
  // Each counted from the last day itself, so month-end clamping never accumulates (31 Dec, 30 Jun, 31 Dec).
  return Array.from({ length: count }, (_, k) => addMonths(lastDataDay, -windowMonths - stepMonths * (count - 1 - k)));
}

function checkedWindow(windowMonths: number): number {
  if (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > 120) throw new AppError('VALIDATION_FAILED', 'windowMonths must be a whole number of months from 1 to 120');
  return windowMonths;
}

/**
 * Stacks the eligible contacts of several cutoffs into one training matrix with their labels.
 * Features see facts up to each cutoff only; labels are read from the window after it, which
 * must end on or before the last data day (else the label would be cut short).
 */
export function buildTrainingSet(history: ContactHistory, options: TrainingSetOptions): TrainingSet {
  const outcome = outcomeNamed(options.outcome).name;
  const windowMonths = checkedWindow(options.windowMonths ?? 12);
  const lastDataDay = options.lastDataDay ?? history.lastDay;
  const cutoffs = [...(options.cutoffs ?? rollingCutoffs(lastDataDay, windowMonths, options.stepMonths ?? 12, options.cutoffCount ?? 3))].sort((a, b) => a - b);
  if (cutoffs.length === 0) throw new AppError('VALIDATION_FAILED', 'A training set needs at least one cutoff');
  for (const cutoff of cutoffs) {
    if (addMonths(cutoff, windowMonths) > lastDataDay) {
      throw new AppError('VALIDATION_FAILED', `The cutoff ${isoFromDay(cutoff)} leaves less than ${String(windowMonths)} months of data before ${isoFromDay(lastDataDay)} to observe its labels`);
    }
  }
  const include = populationMask(history, cutoffs);
  const labels = new Float64Array(include.length).fill(Number.NaN);
  for (let c = 0; c < history.contactCount; c++) {
    cutoffs.forEach((cutoff, k) => {
      const at = c * cutoffs.length + k;
      if (include[at] !== 1) return;
      const label = isEligible(history, outcome, c, cutoff) ? labelOf(history, outcome, c, cutoff, windowMonths) : Number.NaN;
      if (Number.isNaN(label)) include[at] = 0;
      else labels[at] = label;
    });
  }
  const rows = featuriseRows(history, cutoffs, include, options);
  const rowLabels = new Float64Array(rows.matrix.rowCount);
  for (let r = 0; r < rowLabels.length; r++) rowLabels[r] = labels[(rows.contacts[r] ?? 0) * cutoffs.length + (rows.cutoffIndex[r] ?? 0)] ?? Number.NaN;
  return { outcome, windowMonths, cutoffs, matrix: rows.matrix, labels: rowLabels, cutoffIndex: rows.cutoffIndex, contacts: rows.contacts };
}

/** The rows to score: the population at the last data day (or `cutoff`), with no labels. */
export function buildScoringSet(history: ContactHistory, options: FeaturisationOptions & { readonly cutoff?: Day } = {}): FeaturisedCutoff {
  return featuriseAt(history, options.cutoff ?? history.lastDay, options);
}
