import { describe, expect, it } from 'vitest';
import { customAttributeFeatures, featureCatalogue, featureWindows } from './feature-catalogue.js';

describe('the feature catalogue', () => {
  it('lists hundreds of features, each named once and fully described', () => {
    expect(featureCatalogue.length).toBeGreaterThanOrEqual(300);
    expect(new Set(featureCatalogue.map((f) => f.name)).size).toBe(featureCatalogue.length);
    for (const feature of featureCatalogue) {
      expect(feature.name, feature.name).toMatch(/^[a-z][a-z0-9_]*$/u);
      expect(feature.description.length, feature.name).toBeGreaterThan(10);
      expect(feature.phrase, feature.name).toContain('{value}');
      expect(feature.kind === 'categorical', feature.name).toBe(feature.unit === 'category');
    }
  });

  it('covers every family, and every window for the main gift aggregates', () => {
    const families = new Set(featureCatalogue.map((f) => f.family));
    for (const family of ['recency', 'frequency', 'value', 'trend', 'seasonality', 'tenure', 'recurring', 'communications', 'contact'] as const) expect(families).toContain(family);
    for (const window of featureWindows) {
      expect(featureCatalogue.filter((f) => f.name.startsWith('gift_count_') && f.window === window && f.family === 'frequency').length, String(window)).toBeGreaterThan(0);
    }
    expect(featureCatalogue.map((f) => f.name)).toEqual(expect.arrayContaining(['gift_count_category_emergency_12m', 'gift_sum_channel_direct_mail_all_time', 'gift_count_type_recurring_instalment_36m', 'acquisition_channel', 'payment_failures_6m', 'responses_channel_email_12m']));
  });

  it('has no feature built from a personal or undated current-state field', () => {
    for (const word of ['postcode', 'district', 'given_name', 'family_name', 'organisation_name', 'email_address', 'phone_number', 'address', 'birth_date', 'date_of_birth', 'notes', 'deceased', 'do_not', 'status', 'ciphertext', 'blind']) {
      expect(featureCatalogue.filter((f) => f.name.includes(word)).map((f) => f.name), word).toEqual([]);
    }
  });

  it('names custom attributes apart from the catalogue and from each other', () => {
    const custom = customAttributeFeatures([{ name: 'Wealth Score', kind: 'numeric' }, { name: 'wealth-score', kind: 'categorical' }, { name: '£££', kind: 'numeric' }]);
    expect(custom.map((f) => [f.name, f.kind, f.family])).toEqual([
      ['custom_wealth_score', 'numeric', 'custom-attribute'],
      ['custom_wealth_score_2', 'categorical', 'custom-attribute'],
      ['custom_attribute', 'numeric', 'custom-attribute'],
    ]);
  });
});
