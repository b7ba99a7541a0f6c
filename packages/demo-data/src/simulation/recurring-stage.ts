import type { PlannedPackage } from './campaign-plan.js';
import { recordGift, type PlanFrequency, type PlanState } from './contact-state.js';
import { calendarOf, monthsBetween, type Day } from './day-numbers.js';
import { churnHazard } from './response-model.js';
import type { SimulationContext } from './simulation-context.js';
import { parameters } from './simulation-parameters.js';

const cancellationReasons = [['Financial circumstances', 0.35], ['No reason given', 0.3], ['Supporting another charity', 0.15], ['Unhappy with communications', 0.1], ['Moved away', 0.1]] as const;

/** Converted cash donors pick an amount near a third of their usual gift, rounded as forms offer. */
function convertedAmount(capacity: number): number {
  const target = capacity / 3;
  return [5, 8, 10, 15, 20, 25, 30, 50, 100].reduce((best, option) => (Math.abs(option - target) < Math.abs(best - target) ? option : best), 5);
}

export function startPlan(context: SimulationContext, day: Day, pkg: PlannedPackage, origin: PlanState['origin']): void {
  const { random, state, contact } = context;
  const amount = origin === 'face-to-face' ? random.weighted(parameters.regularGiving.faceToFaceAmounts) : convertedAmount(contact.capacity);
  const frequency: PlanFrequency = origin === 'face-to-face' ? 'monthly' : random.weighted(parameters.regularGiving.frequencies);
  const multiplier = frequency === 'quarterly' ? 3 : frequency === 'yearly' ? 12 : 1;
  const plan: PlanState = {
    localIndex: state.plans.length, startDay: day, frequency, origin, campaignIndex: pkg.campaignIndex, packageIndex: pkg.index,
    amount: amount * multiplier, status: 'active', endDay: undefined, cancellationReason: '', consecutiveFailures: 0, totalFailures: 0, failures: [],
  };
  state.plans.push(plan);
  state.plan = plan;
}

export function endPlan(context: SimulationContext, day: Day, status: 'cancelled' | 'failed', reason: string): void {
  const plan = context.state.plan;
  if (plan === undefined) return;
  plan.status = status;
  plan.endDay = day;
  plan.cancellationReason = reason;
  context.state.plan = undefined;
  context.state.lastPlanEndDay = day;
}

export function isCollectionMonth(plan: PlanState, monthStart: Day): boolean {
  const elapsed = Math.round(monthsBetween(plan.startDay, monthStart));
  if (elapsed < 1) return false;
  return plan.frequency === 'monthly' || (plan.frequency === 'quarterly' ? elapsed % 3 === 0 : elapsed % 12 === 0);
}

/** One month of a plan: the donor may cancel; a due collection may fail, and enough failures end it. */
export function runPlanMonth(context: SimulationContext, monthStart: Day): void {
  const { state, random, contact } = context;
  const plan = state.plan;
  if (plan === undefined) return;
  if (random.chance(churnHazard(contact, plan, monthStart, state.dormant))) {
    endPlan(context, monthStart + random.int(28), 'cancelled', random.weighted(cancellationReasons));
    return;
  }
  if (!isCollectionMonth(plan, monthStart)) return;
  const collectionDay = monthStart + (calendarOf(plan.startDay).day <= 15 ? 0 : 14);
  if (collectionDay > context.lastDay) return;
  if (random.chance(parameters.regularGiving.failure)) {
    plan.consecutiveFailures += 1;
    plan.totalFailures += 1;
    plan.failures.push({ day: collectionDay, amount: plan.amount });
    if (plan.consecutiveFailures >= parameters.regularGiving.failuresToFail) endPlan(context, collectionDay, 'failed', 'Payment failed');
    return;
  }
  plan.consecutiveFailures = 0;
  recordGift(state, { day: collectionDay, amount: plan.amount, type: 'recurring instalment', paymentMethod: 'Direct Debit', campaignIndex: plan.campaignIndex, packageIndex: plan.packageIndex, planLocalIndex: plan.localIndex });
}

export function upgradePlan(context: SimulationContext): void {
  const plan = context.state.plan;
  if (plan === undefined) return;
  const multiplier = plan.frequency === 'quarterly' ? 3 : plan.frequency === 'yearly' ? 12 : 1;
  plan.amount += context.random.pick(parameters.regularGiving.upgradeSteps) * multiplier;
}
