import { AppError } from '@kindling/errors';
import type { FeatureDefinition } from '../feature-definition.js';

/**
 * A score's reasons in plain words: the features that moved one donor's score most, each as a
 * phrase from the feature catalogue with the donor's own value filled in ("last gave 14 months
 * ago"). It takes plain numbers (SHAP values and feature values), so it knows nothing about the
 * model that produced them.
 *
 * Missing values: a feature whose value is missing (NaN) reads by its `phraseWhenMissing` ("has
 * never given") when the catalogue entry has one; without one it is passed over, because a phrase
 * built for a number cannot say "no value" (the next factor takes its place).
 */

/** What explaining needs of a catalogue entry; a `FeatureDefinition` is one. */
export type FactorDefinition = Pick<FeatureDefinition, 'name' | 'unit' | 'phrase' | 'phraseWhenMissing'>;

export interface Factor {
  readonly feature: string;
  /** Whether the feature pushed this donor's score up or down from the average donor's. */
  readonly direction: 'raises' | 'lowers';
  /** The SHAP value: the feature's contribution in the model's raw-score units (log-odds for a propensity). */
  readonly contribution: number;
  /** The donor's value of the feature (NaN when missing). */
  readonly value: number;
  /** The catalogue phrase with the formatted value filled in. */
  readonly text: string;
}

export interface TopFactorsInput {
  /** SHAP values in the order of `featureNames`; a trailing bias column (one more entry) is ignored. */
  readonly shap: ArrayLike<number>;
  /** The row's feature values in the same order; NaN for missing, category codes for categorical features. */
  readonly values: ArrayLike<number>;
  readonly featureNames: readonly string[];
  /** The catalogue entry of a feature name (e.g. from a Map of the catalogue and the organisation's custom attributes). */
  readonly definitionOf: (name: string) => FactorDefinition | undefined;
  /** How many factors to return at most; 3 when omitted. */
  readonly count?: number;
  /** Put before money amounts, e.g. "£"; amounts have no symbol when omitted. */
  readonly currencySymbol?: string;
  /** The label of a category code; a code with no label reads "category N". */
  readonly categoryLabel?: (feature: string, code: number) => string | undefined;
}

const defaultCount = 3;
const locale = 'en-GB';
const moneyFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholeFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const countFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const ratioFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
const yearFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: false });
const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });

/** Formats a value (not missing) by its unit, as it reads inside a phrase. */
export function formatFeatureValue(value: number, unit: FeatureDefinition['unit'], options: { readonly currencySymbol?: string; readonly categoryLabel?: (code: number) => string | undefined } = {}): string {
  switch (unit) {
    case 'money': {
      // The sign goes before the symbol ("-£12.00"), and an amount that rounds to zero has none.
      const magnitude = moneyFormat.format(Math.abs(value));
      const sign = value < 0 && magnitude !== moneyFormat.format(0) ? '-' : '';
      return `${sign}${options.currencySymbol ?? ''}${magnitude}`;
    }
    case 'months':
    case 'days': {
      // The unit is part of the value so that "1 month" and "14 months" both read right.
      const whole = wholeFormat.format(value);
      const noun = unit === 'months' ? 'month' : 'day';
      return `${whole} ${whole === '1' || whole === '-1' ? noun : `${noun}s`}`;
    }
    case 'count':
      return countFormat.format(value);
    case 'ratio':
      return ratioFormat.format(value);
    case 'share':
      return percentFormat.format(value);
    case 'year':
      return yearFormat.format(value);
    case 'flag':
      return value !== 0 ? 'yes' : 'no';
    case 'category':
      return options.categoryLabel?.(value) ?? `category ${String(value)}`;
  }
}

function checkLengths(input: TopFactorsInput): void {
  const features = input.featureNames.length;
  if (input.values.length !== features || (input.shap.length !== features && input.shap.length !== features + 1)) {
    throw new AppError('VALIDATION_FAILED', `explaining a score needs one SHAP value and one feature value per feature: got ${String(input.shap.length)} SHAP values and ${String(input.values.length)} values for ${String(features)} features`);
  }
}

/** Feature indices with a non-zero finite contribution, largest |SHAP| first (ties in feature order). */
function rankedFeatures(shap: ArrayLike<number>, featureCount: number): number[] {
  const indices: number[] = [];
  for (let index = 0; index < featureCount; index += 1) {
    const contribution = shap[index] ?? 0;
    if (contribution !== 0 && Number.isFinite(contribution)) indices.push(index);
  }
  return indices.sort((a, b) => Math.abs(shap[b] ?? 0) - Math.abs(shap[a] ?? 0) || a - b);
}

function reasonText(definition: FactorDefinition, value: number, input: TopFactorsInput): string | null {
  if (Number.isNaN(value)) return definition.phraseWhenMissing ?? null;
  const categoryLabel = input.categoryLabel;
  const formatted = formatFeatureValue(value, definition.unit, {
    ...(input.currencySymbol === undefined ? {} : { currencySymbol: input.currencySymbol }),
    ...(categoryLabel === undefined ? {} : { categoryLabel: (code: number) => categoryLabel(definition.name, code) }),
  });
  return definition.phrase.replaceAll('{value}', formatted);
}

/**
 * The top factors of one row's score, largest |contribution| first, each with its direction and
 * phrase. Features that contributed nothing are never reasons; a missing value is one only when its
 * catalogue entry says how it reads (`phraseWhenMissing`). A feature the catalogue does not know is
 * an error (AppError VALIDATION_FAILED): the model and the catalogue disagree.
 */
export function topFactors(input: TopFactorsInput): Factor[] {
  checkLengths(input);
  const wanted = input.count ?? defaultCount;
  const factors: Factor[] = [];
  for (const index of rankedFeatures(input.shap, input.featureNames.length)) {
    if (factors.length >= wanted) break;
    const feature = input.featureNames[index] ?? '';
    const definition = input.definitionOf(feature);
    if (definition === undefined) throw new AppError('VALIDATION_FAILED', `the feature catalogue has no entry for the model's feature "${feature}"`);
    const value = input.values[index] ?? Number.NaN;
    const text = reasonText(definition, value, input);
    if (text === null) continue;
    const contribution = input.shap[index] ?? 0;
    factors.push({ feature, direction: contribution > 0 ? 'raises' : 'lowers', contribution, value, text });
  }
  return factors;
}
