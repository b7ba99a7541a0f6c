import type { DemoContact } from '../population/population.js';
import type { CampaignPlan, PlannedCampaign } from './campaign-plan.js';
import type { ContactState } from './contact-state.js';
import { calendarOf, dayOf, monthsBetween, type Day } from './day-numbers.js';
import { isCollectionMonth } from './recurring-stage.js';
import {
  amountAtLeast, amountMu, amountSigma, bequestProbability, churnHazard, expectedAmount, monthlyDeathProbability,
  probabilityToDormant, responseLogit, sigmoid, spontaneousRate,
} from './response-model.js';
import { packagesFor } from './segmentation.js';
import { parameters } from './simulation-parameters.js';

/** The simulation's own probabilities for the 12 months after the last exported day. Undefined = not applicable. */
export interface GroundTruth {
  readonly lapsed: boolean;
  readonly respondsToNextAppeal: number;
  readonly largeGift: number;
  readonly reactivates: number | undefined;
  readonly convertsToMonthly: number | undefined;
  readonly upgradesRegularGift: number | undefined;
  readonly regularGiftChurns: number | undefined;
  readonly becomesMidLevel: number | undefined;
  readonly majorGift: number | undefined;
  readonly giftInWill: number;
  readonly expectedNextGiftAmount: number | undefined;
}

/** A chance to give in the forecast year: its probability and amount distribution. */
interface Opportunity {
  readonly day: Day;
  readonly probability: number;
  readonly mu: number;
  readonly sigma: number;
}

interface Forecast {
  readonly contact: DemoContact;
  readonly state: ContactState;
  readonly firstDay: Day;
  /** P(engaged) all next year: dormancy steps on 1 January, the day after the window. */
  readonly engaged: number;
}

function survivalTo(forecast: Forecast, day: Day): number {
  const q = monthlyDeathProbability(forecast.contact, forecast.firstDay);
  return Math.pow(1 - q, Math.max(0, monthsBetween(forecast.firstDay, day)));
}

/** P(responds to one package), mixing the engaged and dormant states and weighting by survival and selection. */
function packageProbability(forecast: Forecast, campaign: PlannedCampaign, channel: Parameters<typeof responseLogit>[3], selection: number): number {
  const { contact, state, engaged } = forecast;
  const mixed = engaged * sigmoid(responseLogit(contact, state, campaign, channel, campaign.sendDay, false)) + (1 - engaged) * sigmoid(responseLogit(contact, state, campaign, channel, campaign.sendDay, true));
  return mixed * selection * survivalTo(forecast, campaign.sendDay);
}

/** P(at least one response to the campaign), packages being independent chances. */
function campaignProbability(forecast: Forecast, campaign: PlannedCampaign): number {
  const none = packagesFor(forecast.contact, forecast.state, campaign, campaign.sendDay).reduce((product, { pkg, selection }) => product * (1 - packageProbability(forecast, campaign, pkg.channel, selection)), 1);
  return 1 - none;
}

function forecastCampaigns(plan: CampaignPlan, firstDay: Day): readonly PlannedCampaign[] {
  return plan.campaigns.filter((campaign) => campaign.kind !== 'acquisition' && campaign.sendDay >= firstDay && campaign.sendDay < firstDay + 365);
}

const givingKinds = new Set<PlannedCampaign['kind']>(['cash-appeal', 'emergency', 'newsletter', 'event', 'major-ask']);

function giftOpportunities(forecast: Forecast, campaigns: readonly PlannedCampaign[]): readonly Opportunity[] {
  const { contact, state } = forecast;
  const solicited = campaigns.filter((campaign) => givingKinds.has(campaign.kind)).map((campaign) => ({ day: campaign.sendDay, probability: campaignProbability(forecast, campaign), mu: amountMu(contact, state, campaign), sigma: amountSigma(campaign) }));
  // Spontaneous gifts: P(at least one in the month) from the Poisson rate.
  const spontaneous = Array.from({ length: 12 }, (_, offset) => {
    const monthStart = dayOf(calendarOf(forecast.firstDay).year, offset + 1, 1);
    const rate = forecast.engaged * spontaneousRate(contact, state, offset + 1, false) + (1 - forecast.engaged) * spontaneousRate(contact, state, offset + 1, true);
    return { day: monthStart, probability: (1 - Math.exp(-rate)) * survivalTo(forecast, monthStart), mu: amountMu(contact, state, undefined), sigma: amountSigma(undefined) };
  });
  return [...solicited, ...spontaneous];
}

function probabilityOfAny(opportunities: readonly Opportunity[], threshold: number): number {
  return 1 - opportunities.reduce((product, chance) => product * (1 - chance.probability * amountAtLeast(threshold, chance.mu, chance.sigma)), 1);
}

/** Exact under the model: a month-by-month chain over consecutive failures, with cancellation and death. */
function churnProbability(forecast: Forecast, months = 12): number {
  const plan = forecast.state.plan;
  if (plan === undefined) return 0;
  const rg = parameters.regularGiving;
  let mass: number[] = Array.from({ length: rg.failuresToFail }, (_, failures) => (failures === plan.consecutiveFailures ? 1 : 0));
  let churned = 0;
  for (let offset = 0; offset < months; offset += 1) {
    const monthStart = dayOf(calendarOf(forecast.firstDay).year, offset + 1, 1);
    const hazard = forecast.engaged * churnHazard(forecast.contact, plan, monthStart, false) + (1 - forecast.engaged) * churnHazard(forecast.contact, plan, monthStart, true);
    const death = monthlyDeathProbability(forecast.contact, monthStart);
    mass = mass.map((m) => m * (1 - death));
    churned += mass.reduce((sum, m) => sum + m, 0) * hazard;
    mass = mass.map((m) => m * (1 - hazard));
    if (!isCollectionMonth(plan, monthStart)) continue;
    const next = mass.map(() => 0);
    mass.forEach((m, failures) => {
      next[0] = (next[0] ?? 0) + m * (1 - rg.failure);
      if (failures + 1 >= rg.failuresToFail) churned += m * rg.failure;
      else next[failures + 1] = (next[failures + 1] ?? 0) + m * rg.failure;
    });
    mass = next;
  }
  return churned;
}

function anyOf(forecast: Forecast, campaigns: readonly PlannedCampaign[], kinds: readonly PlannedCampaign['kind'][]): number {
  return 1 - campaigns.filter((campaign) => kinds.includes(campaign.kind)).reduce((product, campaign) => product * (1 - campaignProbability(forecast, campaign)), 1);
}

/** The plan must still be running when the upgrade call comes. */
function upgradeProbability(forecast: Forecast, campaigns: readonly PlannedCampaign[]): number {
  const none = campaigns
    .filter((campaign) => campaign.kind === 'rg-upgrade')
    .reduce((product, campaign) => product * (1 - campaignProbability(forecast, campaign) * (1 - churnProbability(forecast, calendarOf(campaign.sendDay).month - 1))), 1);
  return 1 - none;
}

function nextAppealProbability(forecast: Forecast, campaigns: readonly PlannedCampaign[]): number {
  const next = campaigns.find((campaign) => (campaign.kind === 'cash-appeal' || campaign.kind === 'emergency') && packagesFor(forecast.contact, forecast.state, campaign, campaign.sendDay).length > 0);
  return next === undefined ? 0 : campaignProbability(forecast, next);
}

/** E[amount of a gift in the forecast year], each source weighted by its probability. */
function expectedGift(forecast: Forecast, opportunities: readonly Opportunity[]): number {
  if (forecast.state.plan !== undefined) return forecast.state.plan.amount;
  const weight = opportunities.reduce((sum, chance) => sum + chance.probability, 0);
  if (weight === 0) return expectedAmount(amountMu(forecast.contact, forecast.state, undefined), amountSigma(undefined));
  return opportunities.reduce((sum, chance) => sum + chance.probability * expectedAmount(chance.mu, chance.sigma), 0) / weight;
}

const deceasedTruth: GroundTruth = {
  lapsed: false, respondsToNextAppeal: 0, largeGift: 0, reactivates: undefined, convertsToMonthly: undefined, upgradesRegularGift: undefined,
  regularGiftChurns: undefined, becomesMidLevel: undefined, majorGift: undefined, giftInWill: 0, expectedNextGiftAmount: undefined,
};

/** The truth for one contact, from its end state and the campaigns planned for the next 12 months. */
export function groundTruthOf(contact: DemoContact, state: ContactState, plan: CampaignPlan, lastDay: Day): GroundTruth {
  if (state.deathDay !== undefined) return deceasedTruth;
  const firstDay = lastDay + 1;
  const engaged = state.dormant ? parameters.dormancy.wakeUp : 1 - probabilityToDormant(contact);
  const forecast: Forecast = { contact, state, firstDay, engaged };
  const campaigns = forecastCampaigns(plan, firstDay);
  const opportunities = giftOpportunities(forecast, campaigns);
  const t = parameters.thresholds;
  const lapsed = state.plan === undefined && (state.lastGiftDay === undefined || monthsBetween(state.lastGiftDay, lastDay) > parameters.lapsedMonths);
  const activePlan = state.plan !== undefined;
  const death12 = 1 - survivalTo(forecast, firstDay + 365);
  return {
    lapsed,
    respondsToNextAppeal: nextAppealProbability(forecast, campaigns),
    largeGift: probabilityOfAny(opportunities, t.largeGift),
    reactivates: lapsed ? 1 - (1 - probabilityOfAny(opportunities, 0)) * (1 - anyOf(forecast, campaigns, ['rg-reactivation', 'rg-conversion'])) : undefined,
    convertsToMonthly: activePlan || contact.kind === 'organisation' ? undefined : anyOf(forecast, campaigns, ['rg-conversion', 'rg-reactivation']),
    upgradesRegularGift: activePlan ? upgradeProbability(forecast, campaigns) : undefined,
    regularGiftChurns: activePlan ? churnProbability(forecast) : undefined,
    becomesMidLevel: state.maxGift >= t.midLevel ? undefined : probabilityOfAny(opportunities, t.midLevel),
    majorGift: state.maxGift >= t.majorGift ? undefined : probabilityOfAny(opportunities, t.majorGift),
    giftInWill: death12 * bequestProbability(contact, state, firstDay),
    expectedNextGiftAmount: expectedGift(forecast, opportunities),
  };
}
