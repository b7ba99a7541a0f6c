import { describe, expect, it } from 'vitest';
import { drawContact, type PopulationWindow } from '../population/population.js';
import { planCampaigns } from './campaign-plan.js';
import { simulateContact } from './contact-history.js';
import type { ContactState } from './contact-state.js';
import { dayOf } from './day-numbers.js';
import { groundTruthOf, type GroundTruth } from './ground-truth.js';
import { parameters } from './simulation-parameters.js';

/*
 * The truth is checked against the simulation itself: each contact is simulated to the end of
 * the window (→ truth), then, with the same random stream, one year further (→ what happened).
 * Mean predicted probabilities must match observed shares within sampling error plus the
 * documented first-order approximation.
 */
const seed = 'truth';
const contacts = 5000;
const firstYear = 2018;
const endYear = 2025;
const lastDay = dayOf(endYear, 12, 31);
const plan = planCampaigns(firstYear, endYear + 1, seed);
const population: PopulationWindow = { firstDay: dayOf(firstYear, 1, 1), lastDay, locale: 'uk', allowOrganisations: true };

interface Outcome {
  readonly truth: GroundTruth;
  readonly atEnd: ContactState;
  readonly later: ContactState;
}

const outcomes: readonly Outcome[] = Array.from({ length: contacts }, (_, index) => {
  const contact = drawContact(index, seed, population);
  const atEnd = simulateContact(contact, plan, { firstYear, years: endYear - firstYear + 1, lastDay }, seed);
  const later = simulateContact(contact, plan, { firstYear, years: endYear - firstYear + 2, lastDay: lastDay + 365 }, seed);
  return { truth: groundTruthOf(contact, atEnd, plan, lastDay), atEnd, later };
});

const futureGifts = (outcome: Outcome) => outcome.later.giftEvents.filter((gift) => gift.day > lastDay);
const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

function expectCalibrated(predicted: readonly number[], observed: readonly boolean[], name: string): void {
  const expected = mean(predicted);
  const actual = mean(observed.map((value) => (value ? 1 : 0)));
  const standardError = Math.sqrt((expected * (1 - expected)) / predicted.length);
  console.info(name, { n: predicted.length, expected: expected.toFixed(4), actual: actual.toFixed(4) });
  expect(predicted.length, name).toBeGreaterThan(100);
  expect(Math.abs(expected - actual), name).toBeLessThan(4 * standardError + 0.15 * expected + 0.005);
}

describe('ground truth', () => {
  it('continues the same history: the extended run agrees with the window up to its last day', () => {
    for (const { atEnd, later } of outcomes.slice(0, 200)) {
      expect(later.giftEvents.filter((gift) => gift.day <= lastDay).length).toBeGreaterThanOrEqual(atEnd.giftEvents.length);
    }
  });

  it('gives probabilities in [0, 1] and positive expected amounts', () => {
    for (const { truth } of outcomes) {
      for (const value of [truth.respondsToNextAppeal, truth.largeGift, truth.reactivates, truth.convertsToMonthly, truth.upgradesRegularGift, truth.regularGiftChurns, truth.becomesMidLevel, truth.majorGift, truth.giftInWill]) {
        if (value === undefined) continue;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      if (truth.expectedNextGiftAmount !== undefined) expect(truth.expectedNextGiftAmount).toBeGreaterThan(0);
    }
  });

  it('ranks recent, frequent donors above lapsed ones', () => {
    const recentFrequent = outcomes.filter(({ atEnd }) => atEnd.deathDay === undefined && atEnd.plan === undefined && atEnd.cashGifts >= 3 && (atEnd.lastGiftDay ?? 0) > lastDay - 183);
    const lapsed = outcomes.filter(({ truth }) => truth.lapsed);
    const respond = (group: readonly Outcome[]) => mean(group.map(({ truth }) => truth.respondsToNextAppeal));
    expect(recentFrequent.length).toBeGreaterThan(50);
    expect(respond(recentFrequent)).toBeGreaterThan(3 * respond(lapsed));
  });

  it('matches what happens next: reactivation of the lapsed', () => {
    const lapsed = outcomes.filter(({ truth }) => truth.reactivates !== undefined);
    expectCalibrated(lapsed.map(({ truth }) => truth.reactivates ?? 0), lapsed.map((outcome) => futureGifts(outcome).length > 0 || outcome.later.plans.length > outcome.atEnd.plans.length), 'reactivates');
  });

  it('matches what happens next: large gifts', () => {
    const living = outcomes.filter(({ atEnd }) => atEnd.deathDay === undefined);
    expectCalibrated(living.map(({ truth }) => truth.largeGift), living.map((outcome) => futureGifts(outcome).some((gift) => gift.amount >= parameters.thresholds.largeGift && gift.type !== 'bequest' && gift.type !== 'recurring instalment')), 'large gift');
  });

  it('matches what happens next: regular-giving churn and conversion', () => {
    const givers = outcomes.filter(({ truth }) => truth.regularGiftChurns !== undefined);
    expectCalibrated(
      givers.map(({ truth }) => truth.regularGiftChurns ?? 0),
      givers.map(({ atEnd, later }) => {
        const plan = later.plans[atEnd.plan?.localIndex ?? -1];
        return plan !== undefined && plan.status !== 'active' && plan.cancellationReason !== 'Donor deceased';
      }),
      'rg churn',
    );
    const candidates = outcomes.filter(({ truth }) => truth.convertsToMonthly !== undefined);
    expectCalibrated(candidates.map(({ truth }) => truth.convertsToMonthly ?? 0), candidates.map(({ atEnd, later }) => later.plans.length > atEnd.plans.length), 'converts');
  });
});
