import type { SolicitationChannel } from '@kindling/crm-import';
import type { DemoContact } from '../population/population.js';
import type { PlannedCampaign, PlannedPackage, Segment } from './campaign-plan.js';
import type { ContactState } from './contact-state.js';
import { monthsBetween, type Day } from './day-numbers.js';
import { parameters } from './simulation-parameters.js';
import { ageOn, monthsSinceGift } from './response-model.js';

/** Whether the organisation can reach the contact this way at all (consent, details on file). */
export function reachable(contact: DemoContact, state: ContactState, channel: SolicitationChannel): boolean {
  if (channel === 'Direct Mail') return !contact.doNotMail && !contact.noAddress;
  if (channel === 'Email') return contact.hasEmail && !contact.doNotEmail && !state.unsubscribed;
  if (channel === 'Phone') return contact.hasPhone && !contact.doNotPhone;
  return true;
}

function inSegment(segment: Segment, contact: DemoContact, state: ContactState, day: Day): boolean {
  const months = monthsSinceGift(state, contact, day);
  const noPlan = state.plan === undefined;
  switch (segment) {
    case 'active': return noPlan && months <= 12;
    case 'lapsing': return noPlan && months > 12 && months <= 24;
    case 'lapsed': return noPlan && months > 24 && months <= parameters.appealRecencyMonths;
    case 'deep-lapsed': return noPlan && months > parameters.appealRecencyMonths;
    case 'regular': return !noPlan;
    case 'recent': return !noPlan || months <= 36;
    case 'cash-donor': return noPlan && contact.kind === 'individual' && state.cashGifts >= 2 && state.lastCashDay !== undefined && monthsBetween(state.lastCashDay, day) <= 18;
    case 'rg-donor': return state.plan !== undefined && monthsBetween(state.plan.startDay, day) >= 6;
    case 'rg-ended': return noPlan && state.lastPlanEndDay !== undefined && monthsBetween(state.lastPlanEndDay, day) <= 24;
    case 'legacy-prospect': return contact.kind === 'individual' && ageOn(contact, day) >= 60 && (state.cashGifts >= 3 || !noPlan) && months <= 36;
    case 'major-prospect': return (state.maxGift >= 250 || state.totalGiven >= 1000) && months <= 36;
    case 'new-supporter': return false;
  }
}

/**
 * The packages of `campaign` the contact gets on `day`, each with the probability of being
 * selected (1, or the sample share for the long-lapsed); the simulation draws, the truth weighs.
 */
export function packagesFor(contact: DemoContact, state: ContactState, campaign: PlannedCampaign, day: Day): readonly { readonly pkg: PlannedPackage; readonly selection: number }[] {
  if (state.deathDay !== undefined || day < contact.acquisitionDay + 14) return [];
  return campaign.packages
    .filter((pkg) => inSegment(pkg.segment, contact, state, day) && reachable(contact, state, pkg.channel))
    .map((pkg) => ({ pkg, selection: pkg.segment === 'deep-lapsed' ? parameters.deepLapsedChristmasSample : 1 }));
}
