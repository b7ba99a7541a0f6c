import { isAppError } from '@kindling/errors';
import { describe, expect, it } from 'vitest';
import { featureCatalogue } from '../feature-catalogue.js';
import type { FeatureDefinition } from '../feature-definition.js';
import { formatFeatureValue, topFactors, type FactorDefinition } from './top-factors.js';

const definitions: FactorDefinition[] = [
  { name: 'months_since_last_gift', unit: 'months', phrase: 'last gave {value} ago', phraseWhenMissing: 'no gift on record' },
  { name: 'gift_sum_12m', unit: 'money', phrase: 'gave {value} in total in the last 12 months' },
  { name: 'gift_count_12m', unit: 'count', phrase: 'gave {value} times in the last 12 months' },
  { name: 'response_rate_12m', unit: 'share', phrase: 'responded to {value} of solicitations in the last 12 months' },
  { name: 'region', unit: 'category', phrase: 'lives in {value}' },
  { name: 'age_at_cutoff', unit: 'year', phrase: 'aged about {value}' },
];
const byName = new Map(definitions.map((definition) => [definition.name, definition]));
const featureNames = definitions.map((definition) => definition.name);
const definitionOf = (name: string) => byName.get(name);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('topFactors', () => {
  it('ranks by |contribution|, says which way each pushed, and fills the phrase with the formatted value', () => {
    const factors = topFactors({
      shap: [0.8, -1.2, 0.1, -0.05, 0, 0.3, -9.9],
      values: [14.4, 1234.5, 3, 0.456, 2, 64],
      featureNames,
      definitionOf,
      currencySymbol: '£',
    });
    expect(factors).toEqual([
      { feature: 'gift_sum_12m', direction: 'lowers', contribution: -1.2, value: 1234.5, text: 'gave £1,234.50 in total in the last 12 months' },
      { feature: 'months_since_last_gift', direction: 'raises', contribution: 0.8, value: 14.4, text: 'last gave 14 months ago' },
      { feature: 'age_at_cutoff', direction: 'raises', contribution: 0.3, value: 64, text: 'aged about 64' },
    ]);
  });

  it('returns as many factors as asked, never one that contributed nothing, ties in feature order', () => {
    const input = { shap: [0.2, 0, -0.2, Number.NaN, 0.2, 0], values: [1, 2, 3, 0.5, 4, 40], featureNames, definitionOf, categoryLabel: () => 'Kent' };
    expect(topFactors({ ...input, count: 10 }).map((factor) => factor.feature)).toEqual(['months_since_last_gift', 'gift_count_12m', 'region']);
    expect(topFactors({ ...input, count: 1 }).map((factor) => factor.text)).toEqual(['last gave 1 month ago']);
    expect(topFactors({ ...input, shap: [0, 0, 0, 0, 0, 0, 5] })).toEqual([]);
  });

  it('phrases a missing value by phraseWhenMissing, and otherwise passes it over for the next factor', () => {
    const factors = topFactors({ shap: [-2, 1.5, 0.5, 0, 0, 0], values: [Number.NaN, Number.NaN, 2, 0, 0, 0], featureNames, definitionOf, count: 2 });
    expect(factors).toEqual([
      { feature: 'months_since_last_gift', direction: 'lowers', contribution: -2, value: Number.NaN, text: 'no gift on record' },
      { feature: 'gift_count_12m', direction: 'raises', contribution: 0.5, value: 2, text: 'gave 2 times in the last 12 months' },
    ]);
  });

  it('names category codes by the given labels, and reads "category N" without one', () => {
    const labels = ['Kent', 'Fife'];
    const shap = [0, 0, 0, 0, 1, 0];
    const label = (feature: string, code: number) => (feature === 'region' ? labels[code] : undefined);
    expect(topFactors({ shap, values: [0, 0, 0, 0, 1, 0], featureNames, definitionOf, categoryLabel: label })[0]?.text).toBe('lives in Fife');
    expect(topFactors({ shap, values: [0, 0, 0, 0, 7, 0], featureNames, definitionOf, categoryLabel: label })[0]?.text).toBe('lives in category 7');
    expect(topFactors({ shap, values: [0, 0, 0, 0, 1, 0], featureNames, definitionOf })[0]?.text).toBe('lives in category 1');
  });

  it('reads a real catalogue entry', () => {
    const catalogue = new Map<string, FeatureDefinition>(featureCatalogue.map((entry) => [entry.name, entry]));
    const entry = catalogue.get('gift_count_12m');
    expect(entry).toBeDefined();
    const [factor] = topFactors({ shap: [0.4], values: [1200], featureNames: ['gift_count_12m'], definitionOf: (name) => catalogue.get(name) });
    expect(factor?.text).toBe(entry?.phrase.replaceAll('{value}', '1,200'));
  });

  it('refuses a feature the catalogue does not know and inputs of the wrong length', () => {
    expect(refusal(() => topFactors({ shap: [1], values: [1], featureNames: ['mystery'], definitionOf }))).toBe('the feature catalogue has no entry for the model\'s feature "mystery"');
    expect(refusal(() => topFactors({ shap: [1, 2, 3], values: [1], featureNames: ['gift_count_12m'], definitionOf }))).toMatch(/got 3 SHAP values and 1 values for 1 features/);
    expect(refusal(() => topFactors({ shap: [1], values: [], featureNames: ['gift_count_12m'], definitionOf }))).toMatch(/got 1 SHAP values and 0 values for 1 features/);
  });
});

describe('formatFeatureValue', () => {
  it('formats each unit as it reads in a sentence', () => {
    expect(formatFeatureValue(1234567.891, 'money')).toBe('1,234,567.89');
    expect(formatFeatureValue(-12, 'money', { currencySymbol: '£' })).toBe('-£12.00');
    expect(formatFeatureValue(-0.001, 'money', { currencySymbol: '£' })).toBe('£0.00');
    expect(formatFeatureValue(0.5, 'money', { currencySymbol: '€' })).toBe('€0.50');
    expect(formatFeatureValue(14.6, 'months')).toBe('15 months');
    expect(formatFeatureValue(1234.4, 'days')).toBe('1,234 days');
    expect(formatFeatureValue(1, 'months')).toBe('1 month');
    expect(formatFeatureValue(3, 'count')).toBe('3');
    expect(formatFeatureValue(2.25, 'count')).toBe('2.3');
    expect(formatFeatureValue(12000, 'count')).toBe('12,000');
    expect(formatFeatureValue(1.5, 'ratio')).toBe('1.5');
    expect(formatFeatureValue(0.3333, 'ratio')).toBe('0.33');
    expect(formatFeatureValue(0.456, 'share')).toBe('46%');
    expect(formatFeatureValue(1, 'share')).toBe('100%');
    expect(formatFeatureValue(1987, 'year')).toBe('1987');
    expect(formatFeatureValue(1, 'flag')).toBe('yes');
    expect(formatFeatureValue(0, 'flag')).toBe('no');
    expect(formatFeatureValue(3, 'category', { categoryLabel: (code) => ['a', 'b', 'c', 'd'][code] })).toBe('d');
  });
});
