import { recordGift } from './contact-state.js';
import { calendarOf, type Day } from './day-numbers.js';
import { endPlan } from './recurring-stage.js';
import { amountFrom, amountMu, amountSigma, bequestProbability, monthlyDeathProbability, probabilityToDormant, spontaneousRate } from './response-model.js';
import type { SimulationContext } from './simulation-context.js';
import { parameters } from './simulation-parameters.js';

/** Every 1 January engaged supporters may drift away and dormant ones may come back: lapse and reactivation. */
export function stepDormancy(context: SimulationContext): void {
  const { state, random, contact } = context;
  state.dormant = state.dormant ? !random.chance(parameters.dormancy.wakeUp) : random.chance(probabilityToDormant(contact));
}

/** Deaths end plans; some leave a gift in their will, which arrives months later. True when the contact died. */
export function stepMortality(context: SimulationContext, monthStart: Day): boolean {
  const { state, random, contact } = context;
  if (!random.chance(monthlyDeathProbability(contact, monthStart))) return false;
  const deathDay = monthStart + random.int(28);
  state.deathDay = deathDay;
  endPlan(context, deathDay, 'cancelled', 'Donor deceased');
  if (!random.chance(bequestProbability(contact, state, deathDay))) return true;
  const b = parameters.bequest;
  const giftDay = deathDay + b.minDelayDays + random.int(b.maxDelayDays - b.minDelayDays);
  if (giftDay > context.lastDay) return true;
  const median = b.medianAmount * Math.pow(contact.capacity / parameters.capacity.median, 0.3);
  recordGift(state, { day: giftDay, amount: amountFrom(Math.log(median), b.sigma, random.normal()), type: 'bequest', paymentMethod: 'Bank transfer', campaignIndex: undefined, packageIndex: undefined, planLocalIndex: undefined });
  return true;
}

/** Unsolicited gifts (Poisson per month, December peak); no campaign code, as real ones often lack one. */
export function stepSpontaneousGifts(context: SimulationContext, monthStart: Day): void {
  const { state, random, contact } = context;
  const rate = spontaneousRate(contact, state, calendarOf(monthStart).month, state.dormant);
  // Poisson by inversion; rates are small, so the loop rarely runs at all.
  const u = random.next();
  let term = Math.exp(-rate);
  let cumulative = term;
  let count = 0;
  while (u > cumulative && count < 5) {
    count += 1;
    term *= rate / count;
    cumulative += term;
  }
  for (let gift = 0; gift < count; gift += 1) {
    const day = monthStart + random.int(28);
    if (day > context.lastDay) return;
    recordGift(state, { day, amount: amountFrom(amountMu(contact, state, undefined), amountSigma(undefined), random.normal()), type: 'one-off', paymentMethod: 'Card', campaignIndex: undefined, packageIndex: undefined, planLocalIndex: undefined });
  }
}

