import type { DemoContact } from '../population/population.js';
import type { Random } from '../random/seeded-random.js';
import type { CampaignPlan } from './campaign-plan.js';
import type { ContactState } from './contact-state.js';
import type { Day } from './day-numbers.js';

/** What every stage of one contact's simulation works on. */
export interface SimulationContext {
  readonly contact: DemoContact;
  readonly state: ContactState;
  readonly plan: CampaignPlan;
  readonly random: Random;
  /** The last day of the exported history: nothing after it is written. */
  readonly lastDay: Day;
}
