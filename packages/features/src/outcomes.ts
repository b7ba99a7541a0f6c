import { AppError } from '@kindling/errors';
import { openEnd, type ContactHistory } from './contact-history.js';
import { planAmountAt, upperBound } from './history-queries.js';
import { addMonths, type Day } from './day-numbers.js';
import { categoryCodes, giftTypeCode, instalmentsPerMonth, noCode } from './vocabularies.js';

export const outcomeNames = [
  'responds-to-appeal',
  'large-gift',
  'reactivation',
  'convert-to-monthly',
  'rg-upgrade',
  'rg-churn',
  'mid-level',
  'major-gift',
  'gift-in-will',
  'gift-amount-sum',
  'gift-amount-mean',
] as const;
export type OutcomeName = (typeof outcomeNames)[number];

export interface OutcomeDefinition {
  readonly name: OutcomeName;
  /** binary: 1 or 0; amount: money (a regression target). */
  readonly kind: 'binary' | 'amount';
  /** Who is labelled, decided from facts dated on or before the cutoff. */
  readonly eligibility: string;
  /** What the label is, over the window after the cutoff (cutoff + 1 day … cutoff + window). */
  readonly label: string;
}

/** The outcomes a training set can be built for (docs/features.md, "Outcomes"). */
export const outcomeDefinitions: readonly OutcomeDefinition[] = [
  { name: 'responds-to-appeal', kind: 'binary', eligibility: 'the population', label: 'a gift of more than 10 to an Appeal, Newsletter, Acquisition or Emergency campaign' },
  { name: 'large-gift', kind: 'binary', eligibility: 'the population', label: 'a single gift of 500 or more that is not a regular instalment or a bequest' },
  { name: 'reactivation', kind: 'binary', eligibility: 'lapsed: gave before, but not in the 24 months to the cutoff, and no plan running at it', label: 'any gift, or a plan started' },
  { name: 'convert-to-monthly', kind: 'binary', eligibility: 'never had a recurring plan', label: 'a recurring plan started' },
  { name: 'rg-upgrade', kind: 'binary', eligibility: 'a plan running at the cutoff with a known instalment', label: 'an instalment (or amount record) at least 5 above that plan\'s instalment at the cutoff' },
  { name: 'rg-churn', kind: 'binary', eligibility: 'a plan running at the cutoff', label: 'none of the running plans survives: each ends in the window or pays no instalment in it (when the window is at least one instalment interval long)' },
  { name: 'mid-level', kind: 'binary', eligibility: 'never gave 1,000 or more at once (bequests aside)', label: 'a gift of 1,000 or more (not a bequest)' },
  { name: 'major-gift', kind: 'binary', eligibility: 'never gave 10,000 or more at once (bequests aside)', label: 'a gift of 10,000 or more (not a bequest)' },
  { name: 'gift-in-will', kind: 'binary', eligibility: 'no bequest received before the cutoff', label: 'a bequest received' },
  { name: 'gift-amount-sum', kind: 'amount', eligibility: 'the population', label: 'the total of all gifts' },
  { name: 'gift-amount-mean', kind: 'amount', eligibility: 'the population; rows without a gift in the window have no label and are left out (a conditional amount model)', label: 'the average gift' },
];

export function outcomeNamed(name: string): OutcomeDefinition {
  const outcome = outcomeDefinitions.find((definition) => definition.name === name);
  if (outcome === undefined) throw new AppError('VALIDATION_FAILED', `Unknown outcome: ${name}. Known: ${outcomeNames.join(', ')}`);
  return outcome;
}

const responseCategories = new Set(['Appeal', 'Newsletter', 'Acquisition', 'Emergency'].map((category) => categoryCodes.indexOf(category as (typeof categoryCodes)[number])));

/** One contact's events around one cutoff: the gifts up to it and up to the end of the label window. */
interface Span {
  readonly first: number;
  readonly atCutoff: number;
  readonly atEnd: number;
}

function giftSpan(history: ContactHistory, contact: number, cutoff: Day, windowEnd: Day): Span {
  const { start, day } = history.gifts;
  const first = start[contact] ?? 0;
  const last = start[contact + 1] ?? 0;
  const atCutoff = upperBound(day, first, last, cutoff);
  return { first, atCutoff, atEnd: upperBound(day, atCutoff, last, windowEnd) };
}

function isRunningAt(history: ContactHistory, plan: number, day: Day): boolean {
  return (history.plans.startDay[plan] ?? openEnd) <= day && (history.plans.endDay[plan] ?? openEnd) > day;
}

function maxNonBequestGift(history: ContactHistory, from: number, to: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) if (history.gifts.type[i] !== giftTypeCode.bequest && (history.gifts.amount[i] ?? 0) > max) max = history.gifts.amount[i] ?? 0;
  return max;
}

function anyGift(history: ContactHistory, from: number, to: number, test: (i: number) => boolean): boolean {
  for (let i = from; i < to; i++) if (test(i)) return true;
  return false;
}

/**
 * Whether the contact is labelled for `outcome` at `cutoff`, from facts dated on or before it
 * only (the caller has already limited rows to the population at the cutoff).
 */
export function isEligible(history: ContactHistory, outcome: OutcomeName, contact: number, cutoff: Day): boolean {
  const span = giftSpan(history, contact, cutoff, cutoff);
  const plans = history.plans;
  const firstPlan = plans.start[contact] ?? 0;
  const endPlan = plans.start[contact + 1] ?? 0;
  const running = (): number[] => {
    const list: number[] = [];
    for (let p = firstPlan; p < endPlan; p++) if (isRunningAt(history, p, cutoff)) list.push(p);
    return list;
  };
  switch (outcome) {
    case 'reactivation': {
      if (span.atCutoff === span.first || running().length > 0) return false;
      return (history.gifts.day[span.atCutoff - 1] ?? 0) <= addMonths(cutoff, -24);
    }
    case 'convert-to-monthly':
      return firstPlan === endPlan || (plans.startDay[firstPlan] ?? 0) > cutoff;
    case 'rg-upgrade':
      return running().some((p) => !Number.isNaN(planAmountAt(history, p, contact, cutoff)));
    case 'rg-churn':
      return running().length > 0;
    case 'mid-level':
      return maxNonBequestGift(history, span.first, span.atCutoff) < 1_000;
    case 'major-gift':
      return maxNonBequestGift(history, span.first, span.atCutoff) < 10_000;
    case 'gift-in-will':
      return !anyGift(history, span.first, span.atCutoff, (i) => history.gifts.type[i] === giftTypeCode.bequest);
    default:
      return true;
  }
}

function planSurvives(history: ContactHistory, plan: number, span: Span, windowEnd: Day, windowMonths: number): boolean {
  if ((history.plans.endDay[plan] ?? openEnd) <= windowEnd) return false;
  const frequency = history.plans.frequency[plan] ?? noCode;
  const intervalMonths = 1 / (frequency === noCode ? 1 : (instalmentsPerMonth[frequency] ?? 1));
  if (windowMonths < intervalMonths) return true;
  return anyGift(history, span.atCutoff, span.atEnd, (i) => history.gifts.plan[i] === plan);
}

function upgraded(history: ContactHistory, plan: number, contact: number, span: Span, cutoff: Day, windowEnd: Day): boolean {
  const base = planAmountAt(history, plan, contact, cutoff);
  if (Number.isNaN(base)) return false;
  if (anyGift(history, span.atCutoff, span.atEnd, (i) => history.gifts.plan[i] === plan && (history.gifts.amount[i] ?? 0) >= base + 5)) return true;
  const plans = history.plans;
  for (let r = plans.amountStart[plan] ?? 0; r < (plans.amountStart[plan + 1] ?? 0); r++) {
    const day = plans.amountDay[r] ?? 0;
    if (day > cutoff && day <= windowEnd && (plans.amount[r] ?? 0) >= base + 5) return true;
  }
  return false;
}

/**
 * The label of an eligible contact over (cutoff, windowEnd]: 1/0 for binary outcomes, money for
 * amounts, NaN when there is none (a mean over no gifts).
 */
export function labelOf(history: ContactHistory, outcome: OutcomeName, contact: number, cutoff: Day, windowMonths: number): number {
  const windowEnd = addMonths(cutoff, windowMonths);
  const span = giftSpan(history, contact, cutoff, windowEnd);
  const { gifts, plans } = history;
  const firstPlan = plans.start[contact] ?? 0;
  const endPlan = plans.start[contact + 1] ?? 0;
  const inWindow = (test: (i: number) => boolean): number => (anyGift(history, span.atCutoff, span.atEnd, test) ? 1 : 0);
  const planStartsInWindow = (): boolean => {
    for (let p = firstPlan; p < endPlan; p++) if ((plans.startDay[p] ?? 0) > cutoff && (plans.startDay[p] ?? 0) <= windowEnd) return true;
    return false;
  };
  const runningPlans = (): number[] => {
    const list: number[] = [];
    for (let p = firstPlan; p < endPlan; p++) if (isRunningAt(history, p, cutoff)) list.push(p);
    return list;
  };
  const amount = (i: number): number => gifts.amount[i] ?? 0;
  const type = (i: number): number => gifts.type[i] ?? noCode;
  switch (outcome) {
    case 'responds-to-appeal':
      return inWindow((i) => amount(i) > 10 && responseCategories.has(gifts.category[i] ?? noCode));
    case 'large-gift':
      return inWindow((i) => amount(i) >= 500 && type(i) !== giftTypeCode.instalment && type(i) !== giftTypeCode.bequest);
    case 'reactivation':
      return span.atEnd > span.atCutoff || planStartsInWindow() ? 1 : 0;
    case 'convert-to-monthly':
      return planStartsInWindow() ? 1 : 0;
    case 'rg-upgrade':
      return runningPlans().some((p) => upgraded(history, p, contact, span, cutoff, windowEnd)) ? 1 : 0;
    case 'rg-churn':
      return runningPlans().some((p) => planSurvives(history, p, span, windowEnd, windowMonths)) ? 0 : 1;
    case 'mid-level':
      return inWindow((i) => amount(i) >= 1_000 && type(i) !== giftTypeCode.bequest);
    case 'major-gift':
      return inWindow((i) => amount(i) >= 10_000 && type(i) !== giftTypeCode.bequest);
    case 'gift-in-will':
      return inWindow((i) => type(i) === giftTypeCode.bequest);
    case 'gift-amount-sum':
    case 'gift-amount-mean': {
      let total = 0;
      for (let i = span.atCutoff; i < span.atEnd; i++) total += amount(i);
      const count = span.atEnd - span.atCutoff;
      if (outcome === 'gift-amount-sum') return total;
      return count > 0 ? total / count : Number.NaN;
    }
  }
}
