import { describe, expect, it } from 'vitest';
import { HistoryBuilder, type ContactHistory, type ContactInput } from './contact-history.js';
import { dayFromIso as d } from './day-numbers.js';
import { featuriseAt, type FeaturisedCutoff } from './featuriser.js';
import { categoryCodes, channelCodes, giftTypeCodes, noCode, responseCodes } from './vocabularies.js';

const oneOff = giftTypeCodes.indexOf('one-off');
const instalment = giftTypeCodes.indexOf('recurring instalment');
const appeal = categoryCodes.indexOf('Appeal');
const email = channelCodes.indexOf('Email');
const directMail = channelCodes.indexOf('Direct Mail');

function contact(id: string, overrides: Partial<ContactInput> = {}): ContactInput {
  return { id, kind: 0, createdOn: d('2020-01-01'), birthYear: 1970, gender: 0, region: 'Kent', country: 'GB', ...overrides };
}

/** The value of one feature for one contact (by id), or undefined when the contact is not a row. */
function valueOf(result: FeaturisedCutoff, history: ContactHistory, id: string, feature: string): number | undefined {
  const row = [...result.contacts].findIndex((c) => history.contactIds[c] === id);
  const column = result.matrix.features.findIndex((f) => f.name === feature);
  if (column < 0) throw new Error(`no feature ${feature}`);
  return row < 0 ? undefined : result.matrix.columns[column]?.[row];
}

describe('window edges', () => {
  const b = new HistoryBuilder();
  const c = b.addContact(contact('a'));
  b.addGift(c, d('2024-12-31'), 7, oneOff, noCode, noCode, -1);
  b.addGift(c, d('2025-01-01'), 11, oneOff, appeal, email, -1);
  b.addGift(c, d('2025-03-31'), 13, oneOff, appeal, directMail, -1);
  b.addGift(c, d('2025-04-01'), 1000, oneOff, appeal, directMail, -1);
  const history = b.finish();
  const at = featuriseAt(history, d('2025-03-31'));

  it('counts a gift dated on the cutoff and not one dated the day after', () => {
    expect(valueOf(at, history, 'a', 'gift_count_all_time')).toBe(3);
    expect(valueOf(at, history, 'a', 'gift_sum_all_time')).toBe(31);
    expect(valueOf(at, history, 'a', 'last_gift_amount')).toBe(13);
    expect(valueOf(at, history, 'a', 'months_since_last_gift')).toBe(0);
    expect(valueOf(at, history, 'a', 'gift_max_all_time')).toBe(13);
  });

  it('starts a 3-month window the day after the same day three months before (31 Dec excluded, 1 Jan included)', () => {
    expect(valueOf(at, history, 'a', 'gift_count_3m')).toBe(2);
    expect(valueOf(at, history, 'a', 'gift_sum_3m')).toBe(24);
    expect(valueOf(at, history, 'a', 'gift_count_6m')).toBe(3);
    expect(valueOf(at, history, 'a', 'gift_count_change_3m')).toBe(2 - 1);
  });

  it('slices by campaign category and channel, with gifts without a campaign in the none slices', () => {
    expect(valueOf(at, history, 'a', 'gift_count_category_appeal_12m')).toBe(2);
    expect(valueOf(at, history, 'a', 'gift_sum_channel_direct_mail_all_time')).toBe(13);
    expect(valueOf(at, history, 'a', 'gift_count_category_none_12m')).toBe(1);
    expect(valueOf(at, history, 'a', 'gift_count_type_one_off_all_time')).toBe(3);
    expect(valueOf(at, history, 'a', 'acquisition_channel')).toBe(channelCodes.length);
    expect(valueOf(at, history, 'a', 'months_since_last_gift_channel_email')).toBeCloseTo(89 / 30.436875, 10);
    expect(valueOf(at, history, 'a', 'months_since_last_gift_category_raffle_lottery')).toBeNaN();
  });

  it('reads seasonality and spread from the visible gifts only', () => {
    expect(valueOf(at, history, 'a', 'december_share_all_time')).toBeCloseTo(1 / 3, 12);
    expect(valueOf(at, history, 'a', 'month_of_last_gift')).toBe(2);
    expect(valueOf(at, history, 'a', 'giving_months_all_time')).toBe(3);
    const mean = 31 / 3;
    const std = Math.sqrt(((7 - mean) ** 2 + (11 - mean) ** 2 + (13 - mean) ** 2) / 2);
    expect(valueOf(at, history, 'a', 'gift_amount_std_all_time')).toBeCloseTo(std, 10);
    expect(valueOf(at, history, 'a', 'gift_amount_cv_all_time')).toBeCloseTo(std / mean, 10);
    expect(valueOf(at, history, 'a', 'mean_days_between_gifts')).toBe(90 / 2);
  });

  it('gives the same values for several cutoffs at once as for each alone', () => {
    const cutoffs = [d('2024-12-31'), d('2025-03-31'), d('2025-06-30')];
    const together = featuriseAt(history, cutoffs);
    cutoffs.forEach((cutoff, k) => {
      const alone = featuriseAt(history, cutoff);
      expect(together[k]?.matrix.columns).toEqual(alone.matrix.columns);
      expect([...(together[k]?.contacts ?? [])]).toEqual([...alone.contacts]);
    });
  });

  it('computes only the features asked for, in the order asked', () => {
    const subset = featuriseAt(history, d('2025-03-31'), { features: ['gift_sum_3m', 'gift_count_all_time'] });
    expect(subset.matrix.features.map((f) => f.name)).toEqual(['gift_sum_3m', 'gift_count_all_time']);
    expect(subset.matrix.columns.map((column) => column[0])).toEqual([24, 3]);
    expect(() => featuriseAt(history, d('2025-03-31'), { features: ['postcode_district'] })).toThrow(/Unknown feature: postcode_district/u);
  });
});

describe('population at the cutoff', () => {
  const b = new HistoryBuilder();
  b.addContact(contact('old'));
  b.addContact(contact('created-after', { createdOn: d('2025-04-01') }));
  const migrated = b.addContact(contact('migrated', { createdOn: d('2025-06-01') }));
  b.addGift(migrated, d('2019-05-05'), 20, oneOff, noCode, noCode, -1);
  const undated = b.addContact(contact('undated-late', { createdOn: null }));
  b.addGift(undated, d('2025-04-01'), 5, oneOff, noCode, noCode, -1);
  const undatedEarly = b.addContact(contact('undated-early', { createdOn: null }));
  b.addGift(undatedEarly, d('2025-03-31'), 5, oneOff, noCode, noCode, -1);
  b.addContact(contact('never-seen', { createdOn: null }));
  const history = b.finish();
  const at = featuriseAt(history, d('2025-03-31'));

  it('holds contacts that appeared on or before the cutoff, by creation date or an earlier first gift', () => {
    expect([...at.contacts].map((c) => history.contactIds[c]).sort()).toEqual(['migrated', 'old', 'undated-early']);
  });

  it('does not show a creation date after the cutoff', () => {
    expect(valueOf(at, history, 'migrated', 'months_since_created')).toBeNaN();
    expect(valueOf(at, history, 'migrated', 'months_since_first_gift')).toBeGreaterThan(70);
    expect(valueOf(at, history, 'old', 'months_since_created')).toBeCloseTo((d('2025-03-31') - d('2020-01-01')) / 30.436875, 10);
  });
});

describe('recurring plans at the cutoff', () => {
  const b = new HistoryBuilder();
  const c = b.addContact(contact('rg'));
  const running = b.addPlan(c, d('2024-01-15'), d('2025-06-01'), 1);
  const ended = b.addPlan(c, d('2023-01-15'), d('2025-03-31'), 1);
  b.addPlan(c, d('2025-04-01'), null, 1);
  for (const [day, amount] of [['2024-01-15', 10], ['2024-02-15', 10], ['2024-03-15', 15], ['2025-03-15', 15], ['2025-04-15', 8]] as const) {
    b.addGift(c, d(day), amount, instalment, noCode, noCode, running);
  }
  b.addGift(c, d('2023-01-15'), 5, instalment, noCode, noCode, ended);
  b.addPlanAmount(running, d('2025-04-02'), 30);
  b.addFailure(running, d('2025-03-31'));
  b.addFailure(running, d('2025-04-01'));
  const history = b.finish();
  const at = featuriseAt(history, d('2025-03-31'));

  it('reconstructs which plans run from their dates, not their status', () => {
    expect(valueOf(at, history, 'rg', 'active_plans')).toBe(1);
    expect(valueOf(at, history, 'rg', 'plan_endings_all_time')).toBe(1);
    expect(valueOf(at, history, 'rg', 'plans_started_all_time')).toBe(2);
    expect(valueOf(at, history, 'rg', 'months_since_plan_ended')).toBe(0);
  });

  it('takes the instalment at the cutoff from dated facts only', () => {
    expect(valueOf(at, history, 'rg', 'current_plan_amount')).toBe(15);
    expect(valueOf(at, history, 'rg', 'monthly_plan_amount')).toBe(15);
    expect(valueOf(at, history, 'rg', 'plan_upgrades_all_time')).toBe(1);
    expect(valueOf(at, history, 'rg', 'plan_downgrades_all_time')).toBe(0);
    const later = featuriseAt(history, d('2025-04-20'));
    expect(valueOf(later, history, 'rg', 'current_plan_amount')).toBe(8);
    expect(valueOf(later, history, 'rg', 'plan_downgrades_all_time')).toBe(1);
    const afterRecord = featuriseAt(history, d('2025-04-03'));
    expect(valueOf(afterRecord, history, 'rg', 'current_plan_amount')).toBe(30);
  });

  it('counts failures dated on or before the cutoff', () => {
    expect(valueOf(at, history, 'rg', 'payment_failures_3m')).toBe(1);
    expect(valueOf(at, history, 'rg', 'payment_failures_all_time')).toBe(1);
    expect(valueOf(at, history, 'rg', 'months_since_last_failure')).toBe(0);
  });
});

describe('communications, contact and custom attributes', () => {
  const b = new HistoryBuilder();
  b.defineAttribute('Wealth Score', 'numeric');
  b.defineAttribute('Segment', 'categorical');
  const c = b.addContact(contact('x', { customAttributes: { 'Wealth Score': 7.5, Segment: 'Gold' } }));
  b.addContact(contact('y', { birthYear: null, gender: noCode, region: null, customAttributes: { Segment: 'Bronze' } }));
  const responded = responseCodes.indexOf('responded');
  const noResponse = responseCodes.indexOf('no response');
  b.addCommunication(c, d('2025-01-10'), appeal, email, responded);
  b.addCommunication(c, d('2025-02-10'), appeal, email, noResponse);
  b.addCommunication(c, d('2025-03-10'), appeal, directMail, noResponse);
  b.addCommunication(c, d('2025-04-10'), appeal, email, responded);
  const history = b.finish();
  const at = featuriseAt(history, d('2025-03-31'));

  it('counts solicitations and responses by channel up to the cutoff', () => {
    expect(valueOf(at, history, 'x', 'communications_3m')).toBe(3);
    expect(valueOf(at, history, 'x', 'responses_channel_email_all_time')).toBe(1);
    expect(valueOf(at, history, 'x', 'communications_channel_email_12m')).toBe(2);
    expect(valueOf(at, history, 'x', 'response_rate_all_time')).toBeCloseTo(1 / 3, 12);
    expect(valueOf(at, history, 'x', 'response_rate_channel_email_all_time')).toBe(0.5);
    expect(valueOf(at, history, 'x', 'months_since_last_response')).toBeCloseTo((d('2025-03-31') - d('2025-01-10')) / 30.436875, 10);
    expect(valueOf(at, history, 'y', 'response_rate_all_time')).toBeNaN();
  });

  it('derives age at the cutoff and codes categories, missing when unknown', () => {
    expect(valueOf(at, history, 'x', 'age_at_cutoff')).toBe(55);
    expect(valueOf(at, history, 'y', 'age_at_cutoff')).toBeNaN();
    expect(valueOf(at, history, 'y', 'gender')).toBeNaN();
    expect(valueOf(at, history, 'y', 'region')).toBeNaN();
  });

  it('codes categories with a trained model\'s levels when given, unknown values missing', () => {
    const recoded = featuriseAt(history, d('2025-03-31'), { features: ['custom_segment', 'region'], categoryLevels: { custom_segment: ['Silver', 'Gold'], region: ['Kent'] } });
    expect(recoded.matrix.features).toEqual([
      { name: 'custom_segment', kind: 'categorical', categoryCount: 2 },
      { name: 'region', kind: 'categorical', categoryCount: 1 },
    ]);
    expect(Array.from(recoded.matrix.columns[0] ?? [])).toEqual([1, Number.NaN]);
    expect(Array.from(recoded.matrix.columns[1] ?? [])).toEqual([0, Number.NaN]);
  });

  it('adds the organisation\'s custom attributes, categorical codes in sorted level order', () => {
    expect(valueOf(at, history, 'x', 'custom_wealth_score')).toBe(7.5);
    expect(valueOf(at, history, 'y', 'custom_wealth_score')).toBeNaN();
    expect(valueOf(at, history, 'x', 'custom_segment')).toBe(1);
    expect(valueOf(at, history, 'y', 'custom_segment')).toBe(0);
    expect(at.matrix.features.find((f) => f.name === 'custom_segment')).toEqual({ name: 'custom_segment', kind: 'categorical', categoryCount: 2 });
  });
});

describe('soft credits and plan frequencies', () => {
  const b = new HistoryBuilder();
  const c = b.addContact(contact('spouse'));
  b.addSoftCredit(c, d('2024-01-15'), 100);
  b.addSoftCredit(c, d('2025-03-31'), 40);
  b.addSoftCredit(c, d('2025-04-01'), 999);
  const quarterly = b.addPlan(c, d('2024-01-01'), null, 2);
  b.addGift(c, d('2025-01-01'), 30, instalment, noCode, noCode, quarterly);
  const history = b.finish();
  const at = featuriseAt(history, d('2025-03-31'));

  it('counts gifts the contact was soft-credited with, up to the cutoff', () => {
    expect(valueOf(at, history, 'spouse', 'soft_credit_count_12m')).toBe(1);
    expect(valueOf(at, history, 'spouse', 'soft_credit_sum_all_time')).toBe(140);
    expect(valueOf(at, history, 'spouse', 'months_since_last_soft_credit')).toBe(0);
  });

  it('gives the monthly equivalent of a quarterly instalment', () => {
    expect(valueOf(at, history, 'spouse', 'current_plan_amount')).toBe(30);
    expect(valueOf(at, history, 'spouse', 'monthly_plan_amount')).toBe(10);
    expect(valueOf(at, history, 'spouse', 'active_plan_frequency')).toBe(2);
  });
});
