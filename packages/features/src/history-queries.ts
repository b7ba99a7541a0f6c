import { noDay, type ContactHistory } from './contact-history.js';
import type { Day } from './day-numbers.js';

/** First index in [lo, hi) whose day is after `day` (the events up to `day` are lo … result − 1). */
export function upperBound(days: Int32Array, lo: number, hi: number, day: Day): number {
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((days[mid] ?? 0) <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A plan's instalment on a day: the later of its last instalment and its last amount record on
 * or before that day (a record wins a tie); NaN when neither exists. The plan row's own amount
 * is today's and is never used for a past day.
 */
export function planAmountAt(history: ContactHistory, plan: number, contact: number, day: Day): number {
  const gifts = history.gifts;
  const first = gifts.start[contact] ?? 0;
  let amount = Number.NaN;
  let amountDay = noDay;
  for (let i = upperBound(gifts.day, first, gifts.start[contact + 1] ?? 0, day) - 1; i >= first; i--) {
    if (gifts.plan[i] === plan) {
      amount = gifts.amount[i] ?? 0;
      amountDay = gifts.day[i] ?? 0;
      break;
    }
  }
  const plans = history.plans;
  const recordFirst = plans.amountStart[plan] ?? 0;
  const recordEnd = upperBound(plans.amountDay, recordFirst, plans.amountStart[plan + 1] ?? 0, day);
  if (recordEnd > recordFirst && (plans.amountDay[recordEnd - 1] ?? 0) >= amountDay) amount = plans.amount[recordEnd - 1] ?? 0;
  return amount;
}

