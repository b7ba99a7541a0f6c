import { describe, expect, it } from 'vitest';
import { HistoryBuilder, type ContactInput } from './contact-history.js';
import { dayFromIso as d, isoFromDay } from './day-numbers.js';
import { buildScoringSet, buildTrainingSet, rollingCutoffs } from './training-set.js';
import { isEligible, labelOf } from './outcomes.js';
import { categoryCodes, giftTypeCodes, noCode } from './vocabularies.js';

const oneOff = giftTypeCodes.indexOf('one-off');
const instalment = giftTypeCodes.indexOf('recurring instalment');
const bequest = giftTypeCodes.indexOf('bequest');
const appeal = categoryCodes.indexOf('Appeal');
const monthly = 1;
const person = (id: string, createdOn = '2015-01-01'): ContactInput => ({ id, kind: 0, createdOn: d(createdOn), birthYear: 1960, gender: 1, region: null, country: 'GB' });

describe('rolling-origin cutoffs', () => {
  it('leaves a full label window after the latest and steps back from it', () => {
    expect(rollingCutoffs(d('2025-12-31'), 12, 3, 3).map(isoFromDay)).toEqual(['2024-06-30', '2024-09-30', '2024-12-31']);
    expect(rollingCutoffs(d('2025-12-31'), 6, 12, 2).map(isoFromDay)).toEqual(['2024-06-30', '2025-06-30']);
  });
});

describe('buildTrainingSet', () => {
  const b = new HistoryBuilder();
  const lapsed = b.addContact(person('lapsed'));
  b.addGift(lapsed, d('2019-05-01'), 20, oneOff, appeal, noCode, -1);
  b.addGift(lapsed, d('2023-03-01'), 25, oneOff, appeal, noCode, -1);
  const regular = b.addContact(person('regular'));
  const plan = b.addPlan(regular, d('2020-01-01'), d('2023-08-01'), monthly);
  for (let month = 1; month <= 12; month++) b.addGift(regular, d(`2022-${String(month).padStart(2, '0')}-01`), month < 6 ? 10 : 15, instalment, noCode, noCode, plan);
  b.addGift(regular, d('2023-01-01'), 15, instalment, noCode, noCode, plan);
  const legacy = b.addContact(person('legacy'));
  b.addGift(legacy, d('2018-01-01'), 30, oneOff, noCode, noCode, -1);
  b.addGift(legacy, d('2023-06-01'), 5000, bequest, noCode, noCode, -1);
  const late = b.addContact(person('late', '2023-02-01'));
  b.addGift(late, d('2023-02-01'), 1500, oneOff, appeal, noCode, -1);
  b.addGift(late, d('2023-12-31'), 50, oneOff, appeal, noCode, -1);
  const history = b.finish();

  it('decides eligibility at the cutoff: a gift after it does not end a lapse', () => {
    expect(isEligible(history, 'reactivation', lapsed, d('2022-12-31'))).toBe(true);
    expect(labelOf(history, 'reactivation', lapsed, d('2022-12-31'), 12)).toBe(1);
    expect(isEligible(history, 'reactivation', lapsed, d('2023-12-31'))).toBe(false);
    expect(isEligible(history, 'reactivation', lapsed, d('2021-05-01'))).toBe(true);
    expect(isEligible(history, 'reactivation', lapsed, d('2021-04-30'))).toBe(false);
  });

  it('labels churn, upgrades and bequests from the window after the cutoff', () => {
    expect(isEligible(history, 'rg-churn', regular, d('2022-12-31'))).toBe(true);
    expect(labelOf(history, 'rg-churn', regular, d('2022-12-31'), 12)).toBe(1);
    expect(labelOf(history, 'rg-churn', regular, d('2022-03-31'), 12)).toBe(0);
    expect(labelOf(history, 'rg-upgrade', regular, d('2022-03-31'), 12)).toBe(1);
    expect(labelOf(history, 'rg-upgrade', regular, d('2022-06-30'), 12)).toBe(0);
    expect(isEligible(history, 'convert-to-monthly', regular, d('2019-12-31'))).toBe(true);
    expect(isEligible(history, 'convert-to-monthly', regular, d('2020-01-01'))).toBe(false);
    expect(labelOf(history, 'gift-in-will', legacy, d('2022-12-31'), 12)).toBe(1);
    expect(isEligible(history, 'gift-in-will', legacy, d('2023-06-01'))).toBe(false);
    expect(labelOf(history, 'large-gift', legacy, d('2022-12-31'), 12)).toBe(0);
  });

  it('stacks the eligible rows of each cutoff with their labels, cutoff and contact', () => {
    const set = buildTrainingSet(history, { outcome: 'mid-level', windowMonths: 12, cutoffs: [d('2022-12-31'), d('2021-12-31')], lastDataDay: d('2024-01-01') });
    expect(set.cutoffs.map(isoFromDay)).toEqual(['2021-12-31', '2022-12-31']);
    const rows = Array.from({ length: set.matrix.rowCount }, (_, r) => [isoFromDay(set.cutoffs[set.cutoffIndex[r] ?? 0] ?? 0), history.contactIds[set.contacts[r] ?? 0], set.labels[r]]);
    // 'late' is not in the population before 2023; the bequest of 'legacy' is not a mid-level gift.
    expect(rows).toEqual([
      ['2021-12-31', 'lapsed', 0],
      ['2021-12-31', 'regular', 0],
      ['2021-12-31', 'legacy', 0],
      ['2022-12-31', 'lapsed', 0],
      ['2022-12-31', 'regular', 0],
      ['2022-12-31', 'legacy', 0],
    ]);
    expect(set.matrix.columns.every((column) => column.length === set.matrix.rowCount)).toBe(true);
    // At 31 January 2023 the 25 of March and the bequest of June are not visible yet; 'late' has not appeared.
    const later = buildTrainingSet(history, { outcome: 'mid-level', cutoffs: [d('2023-01-31')], lastDataDay: d('2024-01-31'), features: ['gift_max_all_time'] });
    expect(Array.from(later.labels)).toEqual([0, 0, 0]);
    expect(Array.from(later.matrix.columns[0] ?? [])).toEqual([20, 15, 30]);
    const withLate = buildTrainingSet(history, { outcome: 'large-gift', cutoffs: [d('2023-02-01')], lastDataDay: d('2024-02-01') });
    expect(Array.from(withLate.contacts, (c) => history.contactIds[c])).toEqual(['lapsed', 'regular', 'legacy', 'late']);
    expect(Array.from(withLate.labels)).toEqual([0, 0, 0, 0]);
  });

  it('refuses a cutoff whose label window runs past the last data day', () => {
    expect(() => buildTrainingSet(history, { outcome: 'large-gift', cutoffs: [d('2023-01-01')], windowMonths: 12, lastDataDay: d('2023-12-31') })).toThrow(/2023-01-01 leaves less than 12 months/u);
    expect(() => buildTrainingSet(history, { outcome: 'no-such-thing' as 'large-gift' })).toThrow(/Unknown outcome/u);
  });

  it('defaults to rolling cutoffs from the last data day, and scores at that day without labels', () => {
    const set = buildTrainingSet(history, { outcome: 'gift-amount-sum', windowMonths: 6, stepMonths: 6, cutoffCount: 2 });
    expect(isoFromDay(history.lastDay)).toBe('2023-12-31');
    expect(set.cutoffs.map(isoFromDay)).toEqual(['2022-12-31', '2023-06-30']);
    const scoring = buildScoringSet(history);
    expect(scoring.cutoff).toBe(history.lastDay);
    expect(scoring.matrix.rowCount).toBe(4);
  });
});
