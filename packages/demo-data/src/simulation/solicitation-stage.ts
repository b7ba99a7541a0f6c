import type { PlannedCampaign, PlannedPackage } from './campaign-plan.js';
import { recordGift, type CommunicationEvent } from './contact-state.js';
import type { Day } from './day-numbers.js';
import { amountFrom, amountMu, amountSigma, responseLogit, sigmoid } from './response-model.js';
import { startPlan, upgradePlan } from './recurring-stage.js';
import { packagesFor } from './segmentation.js';
import type { SimulationContext } from './simulation-context.js';
import { parameters } from './simulation-parameters.js';

/** Days from sending to the gift arriving: post is slow, e-mail and calls are quick. */
function responseLag(context: SimulationContext, pkg: PlannedPackage): number {
  if (pkg.channel === 'Direct Mail') return 6 + Math.round(context.random.exponential(12));
  if (pkg.channel === 'Email') return Math.round(context.random.exponential(2));
  return context.random.int(3);
}

function paymentMethod(context: SimulationContext, pkg: PlannedPackage, campaign: PlannedCampaign): string {
  if (campaign.kind === 'major-ask') return 'Bank transfer';
  if (pkg.channel === 'Direct Mail') return context.random.weighted([['Cheque', 0.45], ['Card', 0.45], ['Cash', 0.1]] as const);
  return 'Card';
}

function nonResponse(context: SimulationContext, pkg: PlannedPackage): CommunicationEvent['response'] {
  const { random, state } = context;
  if (pkg.channel === 'Email') {
    const e = parameters.email;
    const outcome = random.weighted([['bounced', e.bounced], ['unsubscribed', e.unsubscribed], ['clicked', e.clicked], ['opened', e.opened], ['no response', 1 - e.bounced - e.unsubscribed - e.clicked - e.opened]] as const);
    if (outcome === 'unsubscribed') state.unsubscribed = true;
    return outcome;
  }
  if (pkg.channel === 'Phone' || pkg.channel === 'Face-to-Face') return random.chance(parameters.phoneDeclined) ? 'declined' : 'no response';
  return 'no response';
}

/** What a response is worth: a gift, a new or bigger plan, or a will enquiry. False if it lands after the window. */
function actOnResponse(context: SimulationContext, campaign: PlannedCampaign, pkg: PlannedPackage, day: Day): boolean {
  const { state, contact, random } = context;
  if (day > context.lastDay) return false;
  switch (campaign.kind) {
    case 'rg-conversion':
    case 'rg-reactivation':
      startPlan(context, day, pkg, 'other');
      return true;
    case 'rg-upgrade':
      upgradePlan(context);
      return true;
    case 'gifts-in-will':
      state.bequestLogit += Math.log(parameters.bequest.enquiryFactor);
      return true;
    default: {
      const amount = amountFrom(amountMu(contact, state, campaign), amountSigma(campaign), random.normal());
      const type = campaign.kind === 'event' ? 'event income' : 'one-off';
      recordGift(state, { day, amount, type, paymentMethod: paymentMethod(context, pkg, campaign), campaignIndex: campaign.index, packageIndex: pkg.index, planLocalIndex: undefined });
      return true;
    }
  }
}

/** Sends a campaign to the contact (every package they are in) and plays out each response. */
export function runCampaign(context: SimulationContext, campaign: PlannedCampaign): void {
  const { state, contact, random } = context;
  let responded = false;
  for (const { pkg, selection } of packagesFor(contact, state, campaign, campaign.sendDay)) {
    if (selection < 1 && !random.chance(selection)) continue;
    const sendDay = pkg.channel === 'Phone' || pkg.channel === 'Face-to-Face' ? campaign.sendDay + random.int(28) : campaign.sendDay;
    if (sendDay > context.lastDay) continue;
    // One gift per campaign: a second package (the e-mail version) only counts if the first did not land.
    const gives = !responded && random.chance(sigmoid(responseLogit(contact, state, campaign, pkg.channel, sendDay, state.dormant)));
    const landed = gives && actOnResponse(context, campaign, pkg, sendDay + responseLag(context, pkg));
    if (landed) {
      responded = true;
      state.responses += 1;
      state.responsesByChannel[pkg.channel] = (state.responsesByChannel[pkg.channel] ?? 0) + 1;
    }
    state.communications.push({ day: sendDay, campaignIndex: campaign.index, packageIndex: pkg.index, channel: pkg.channel, response: landed ? 'responded' : nonResponse(context, pkg) });
  }
}
