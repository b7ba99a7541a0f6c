import type { SolicitationChannel } from '@kindling/crm-import';
import type { DemoContact } from '../population/population.js';
import type { PlannedCampaign } from './campaign-plan.js';
import type { ContactState } from './contact-state.js';
import { calendarOf, monthsBetween, type Day } from './day-numbers.js';
import { parameters } from './simulation-parameters.js';

/**
 * The behavioural model, shared by the simulation (which draws from it) and the ground truth
 * (which evaluates it): one definition, so the truth is exactly what generated the data.
 */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.327_591_1 * x);
  const erf = 1 - ((((1.061_405_429 * t - 1.453_152_027) * t + 1.421_413_741) * t - 0.284_496_736) * t + 0.254_829_592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function monthsSinceGift(state: ContactState, contact: DemoContact, day: Day): number {
  return state.lastGiftDay === undefined ? monthsBetween(contact.acquisitionDay, day) + parameters.response.neverGaveRecencyMonths : monthsBetween(state.lastGiftDay, day);
}

function channelPreference(contact: DemoContact, channel: SolicitationChannel): number {
  if (channel === 'Email' || channel === 'Digital/Online' || channel === 'SMS') return contact.digital - 0.5;
  if (channel === 'Direct Mail') return 0.5 - contact.digital;
  return 0;
}

/**
 * Log-odds that `contact` responds to one package of `campaign` on `day`: recency, frequency,
 * value, past behaviour in the channel, channel preference and latent affinity (RFM + affinity).
 */
export function responseLogit(contact: DemoContact, state: ContactState, campaign: PlannedCampaign, channel: SolicitationChannel, day: Day, dormant: boolean): number {
  const r = parameters.response;
  const recency = r.recencyIntercept - r.recencySlope * Math.log2(1 + monthsSinceGift(state, contact, day) / 6);
  const frequency = r.frequency * Math.log1p(state.gifts > 24 ? 24 + Math.log(state.gifts - 23) : state.gifts);
  const value = r.value * Math.max(-2, Math.min(3, Math.log((state.lastCashAmount ?? contact.capacity) / 25)));
  const history = state.responses === 0 ? 0 : r.channelHistory * ((state.responsesByChannel[channel] ?? 0) / (1 + state.responses) - 0.3);
  const regularPenalty = state.plan !== undefined && (campaign.kind === 'cash-appeal' || campaign.kind === 'emergency') ? r.regularGiverPenalty : 0;
  const dormancy = dormant ? parameters.dormancy.responseLogit : 0;
  return campaign.baseLogit + r.affinity * contact.affinity + recency + frequency + value + history + r.channelPreference * channelPreference(contact, channel) + regularPenalty + dormancy;
}

/** Mean of log amount for a gift to this campaign (or a spontaneous gift when undefined). */
export function amountMu(contact: DemoContact, state: ContactState, campaign: PlannedCampaign | undefined): number {
  const { capacityWeight, previousWeight } = parameters.giftAmount;
  const usual = capacityWeight * Math.log(contact.capacity) + previousWeight * Math.log(state.lastCashAmount ?? contact.capacity);
  if (campaign?.kind === 'major-ask') return Math.log(contact.capacity) + Math.log(6);
  if (campaign?.kind === 'emergency') return usual + 0.1;
  if (campaign?.kind === 'event') return usual + Math.log(2.5);
  return usual;
}

export const amountSigma = (campaign: PlannedCampaign | undefined): number => (campaign?.kind === 'major-ask' ? 0.6 : parameters.giftAmount.sigma);

/** Whole currency units, never below the minimum: as donors give. */
export function amountFrom(mu: number, sigma: number, z: number): number {
  return Math.max(parameters.giftAmount.minimum, Math.round(Math.exp(mu + sigma * z)));
}

/** P(amount ≥ threshold) for `amountFrom`, exactly (rounding included). */
export function amountAtLeast(threshold: number, mu: number, sigma: number): number {
  if (threshold <= parameters.giftAmount.minimum) return 1;
  return 1 - normalCdf((Math.log(threshold - 0.5) - mu) / sigma);
}

/** E[amount] of `amountFrom`, ignoring rounding (under half a unit). */
export const expectedAmount = (mu: number, sigma: number): number => Math.exp(mu + (sigma * sigma) / 2);

/** Unsolicited gifts per month: online gifts, cheques in the post; high in December. */
export function spontaneousRate(contact: DemoContact, state: ContactState, month: number, dormant: boolean): number {
  const s = parameters.spontaneous;
  return s.monthlyRate * Math.exp(s.affinity * contact.affinity) * (s.seasonal[month - 1] ?? 1) * (dormant ? parameters.dormancy.spontaneousFactor : 1) * (state.plan === undefined ? 1 : 0.5) * (0.5 + contact.digital);
}

export function ageOn(contact: DemoContact, day: Day): number {
  return calendarOf(day).year - contact.birthYear;
}

// By whole year of age: the simulation asks once per contact-month, so the powers are computed once.
const monthlyDeathByAge = Array.from({ length: 151 }, (_, age) => 1 - Math.pow(1 - Math.min(0.6, Math.exp(parameters.mortality.a + parameters.mortality.b * age)), 1 / 12));

/** Probability of dying within one month at this age (Gompertz, annual rate spread evenly). */
export function monthlyDeathProbability(contact: DemoContact, day: Day): number {
  if (contact.kind === 'organisation') return 0;
  return monthlyDeathByAge[Math.max(0, Math.min(150, ageOn(contact, day)))] ?? 0;
}

/** Probability that a death leaves a gift in the will, given what the contact did. */
export function bequestProbability(contact: DemoContact, state: ContactState, day: Day): number {
  const b = parameters.bequest;
  return sigmoid(state.bequestLogit + b.loyaltyPerGift * Math.min(40, state.gifts) + b.ageOver60 * Math.max(0, ageOn(contact, day) - 60));
}

export function probabilityToDormant(contact: DemoContact): number {
  return Math.min(0.9, parameters.dormancy.toDormantBase * Math.exp(parameters.dormancy.affinityEffect * contact.affinity));
}

/** Monthly hazard that an active plan is cancelled by the donor. */
export function churnHazard(contact: DemoContact, plan: { startDay: Day; origin: 'face-to-face' | 'other' }, day: Day, dormant: boolean): number {
  const rg = parameters.regularGiving;
  const firstYear = monthsBetween(plan.startDay, day) < 12;
  const base = firstYear ? rg.churnFirstYear[plan.origin] : rg.churnLater[plan.origin];
  return Math.min(0.5, base * Math.exp(rg.churnAffinity * contact.affinity) * (dormant ? rg.dormantChurnFactor : 1));
}
