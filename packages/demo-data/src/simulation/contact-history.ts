import type { DemoContact } from '../population/population.js';
import { createRandom } from '../random/seeded-random.js';
import { acquire } from './acquisition-stage.js';
import type { CampaignPlan } from './campaign-plan.js';
import { initialState, type ContactState } from './contact-state.js';
import { dayOf, type Day } from './day-numbers.js';
import { stepDormancy, stepMortality, stepSpontaneousGifts } from './lifecycle-stage.js';
import { runPlanMonth } from './recurring-stage.js';
import type { SimulationContext } from './simulation-context.js';
import { runCampaign } from './solicitation-stage.js';

export interface HistoryWindow {
  readonly firstYear: number;
  readonly years: number;
  readonly lastDay: Day;
}

/**
 * Walks one contact through the window month by month: lifecycle (dormancy each January, death),
 * the month's campaigns, the plan's collection, unsolicited gifts. Returns the final state, which
 * holds everything to write and the latent state the ground truth starts from.
 */
export function simulateContact(contact: DemoContact, plan: CampaignPlan, window: HistoryWindow, seed: string | number): ContactState {
  const state = initialState(contact.bequestLogit);
  const context: SimulationContext = { contact, state, plan, random: createRandom(seed, 'history', contact.index), lastDay: window.lastDay };
  let acquired = false;
  for (let monthIndex = 0; monthIndex < window.years * 12; monthIndex += 1) {
    const year = window.firstYear + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const monthStart = dayOf(year, month, 1);
    const nextMonthStart = dayOf(year, month + 1, 1);
    if (nextMonthStart <= contact.acquisitionDay) continue;
    if (!acquired) {
      acquire(context);
      acquired = true;
    } else if (month === 1) {
      stepDormancy(context);
    }
    if (stepMortality(context, monthStart)) break;
    for (const campaign of plan.byMonth[monthIndex] ?? []) runCampaign(context, campaign);
    if (monthStart > contact.acquisitionDay) runPlanMonth(context, monthStart);
    if (monthStart > contact.acquisitionDay) stepSpontaneousGifts(context, monthStart);
  }
  return state;
}
