import { recordGift } from './contact-state.js';
import { calendarOf } from './day-numbers.js';
import { startPlan } from './recurring-stage.js';
import { amountFrom, amountMu, amountSigma } from './response-model.js';
import type { SimulationContext } from './simulation-context.js';

/**
 * The contact's first appearance, credited to their cohort's acquisition campaign: a cold-mail or
 * online gift, event income, or (face-to-face) a regular-giving plan whose first collection is next month.
 */
export function acquire(context: SimulationContext): void {
  const { contact, state, random, plan } = context;
  const day = contact.acquisitionDay;
  const campaign = plan.acquisitionCampaign(calendarOf(day).year, contact.acquisitionChannel);
  const pkg = campaign.packages[0];
  if (pkg === undefined) return;
  state.communications.push({ day, campaignIndex: campaign.index, packageIndex: pkg.index, channel: pkg.channel, response: 'responded' });
  state.responses += 1;
  state.responsesByChannel[pkg.channel] = 1;
  if (contact.acquisitionChannel === 'face-to-face') {
    startPlan(context, day, pkg, 'face-to-face');
    return;
  }
  const amount = amountFrom(amountMu(contact, state, campaign) + (contact.acquisitionChannel === 'event' ? Math.log(2.5) : 0), amountSigma(undefined), random.normal());
  const type = contact.acquisitionChannel === 'event' ? 'event income' : 'one-off';
  const paymentMethod = contact.acquisitionChannel === 'direct-mail' ? random.pick(['Cheque', 'Card']) : 'Card';
  recordGift(state, { day, amount, type, paymentMethod, campaignIndex: campaign.index, packageIndex: pkg.index, planLocalIndex: undefined });
}
