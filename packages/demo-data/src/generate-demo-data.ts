import fs from 'node:fs/promises';
import { AppError } from '@kindling/errors';
import { drawContact, type PopulationWindow } from './population/population.js';
import { folderOutput, type DemoOutput } from './output/csv-sink.js';
import { openDemoFileSet, type DemoFileSet, type RowKind } from './output/demo-file-set.js';
import { formatLayouts, demoFormats, type DemoFormat, type FormatLayout } from './output/format-layouts.js';
import { openGroundTruthSink } from './output/ground-truth-writer.js';
import { duplicates, type Quirks } from './output/quirks.js';
import type { ReferenceRow } from './output/preset-row-writer.js';
import { campaignIdTable, campaignRow, communicationRow, contactRow, duplicateRow, failureRow, giftRow, packageRow, planRow, type CampaignIdTable, type ContactIds } from './output/reference-rows.js';
import { createRandom } from './random/seeded-random.js';
import { planCampaigns, type CampaignPlan } from './simulation/campaign-plan.js';
import { simulateContact, type HistoryWindow } from './simulation/contact-history.js';
import { calendarOf, dayOf } from './simulation/day-numbers.js';
import { groundTruthOf } from './simulation/ground-truth.js';
import { parameters } from './simulation/simulation-parameters.js';

export interface DemoDataOptions {
  readonly contacts: number;
  readonly years: number;
  readonly seed: string;
  readonly format: DemoFormat;
  /** A folder that does not exist or is empty (the generator never overwrites files it did not write) … */
  readonly outDir?: string;
  /** … or streams to write the files to instead (memory, an encrypted store): exactly one of the two. */
  readonly output?: DemoOutput;
  /** The last calendar year of history; the ground truth forecasts the year after. */
  readonly endYear?: number;
  /**
   * Also write what the simulation does in the forecast year (gifts, plans, communications up to
   * 31 December of endYear + 1), while the ground truth stays the forecast made on endYear's last
   * day: models trained on data to that day can then be scored against what really happened, next
   * to the truth's own probabilities.
   */
  readonly writeForecastYear?: boolean;
  /** Share of cells (and contacts, for duplicates) with real-world quirks. 0 gives clean data. */
  readonly quirkRate?: number;
  /**
   * Campaigns (and their packages) starting in this year or later are written without category
   * and channel, as in a CRM whose campaign-type field stopped being kept up: what the tagging
   * screen is for. Every campaign carries its tags when not given.
   */
  readonly untaggedFromYear?: number;
}

export interface DemoDataSummary {
  readonly contacts: number;
  readonly duplicateContacts: number;
  readonly gifts: number;
  readonly recurringPlans: number;
  readonly communications: number;
  readonly campaigns: number;
  readonly files: readonly string[];
}

const defaultEndYear = 2025;
const rowKinds: readonly RowKind[] = ['individuals', 'organisations', 'gifts', 'plans', 'failures', 'campaigns', 'packages', 'communications'];

function validate(options: DemoDataOptions): void {
  const problems = [
    !Number.isInteger(options.contacts) || options.contacts < 1 || options.contacts > 10_000_000 ? 'contacts must be a whole number from 1 to 10,000,000' : undefined,
    !Number.isInteger(options.years) || options.years < 1 || options.years > 30 ? 'years must be a whole number from 1 to 30' : undefined,
    !(demoFormats as readonly string[]).includes(options.format) ? `format must be one of ${demoFormats.join(', ')}` : undefined,
    options.quirkRate !== undefined && !(options.quirkRate >= 0 && options.quirkRate <= 0.5) ? 'quirk rate must be between 0 and 0.5' : undefined,
    (options.outDir === undefined) === (options.output === undefined) ? 'give either an output folder or an output, not both or neither' : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `demo data: ${problems.join('; ')}`);
}

async function outputOf(options: DemoDataOptions): Promise<DemoOutput> {
  if (options.output !== undefined) return options.output;
  if (options.outDir === undefined) throw new AppError('VALIDATION_FAILED', 'demo data: name an output folder');
  await prepareDirectory(options.outDir);
  return folderOutput(options.outDir);
}

async function prepareDirectory(directory: string): Promise<void> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the folder the operator named on the command line
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
  const entries = await fs.readdir(directory);
  if (entries.length > 0) throw new AppError('CONFLICT', 'demo data: the output folder is not empty; choose a new or empty folder');
}

interface Counters {
  contactSerial: number;
  giftSerial: number;
  planSerial: number;
  memberSerial: number;
  duplicates: number;
  communications: number;
  readonly sendsByPackage: Float64Array;
}

interface GenerationRun {
  readonly options: DemoDataOptions;
  readonly layout: FormatLayout;
  readonly plan: CampaignPlan;
  readonly campaignIds: CampaignIdTable;
  /** The window the ground truth is computed at. */
  readonly history: HistoryWindow;
  /** The window whose events are written: `history`, or one year longer with `writeForecastYear`. */
  readonly written: HistoryWindow;
  readonly population: PopulationWindow;
  readonly files: DemoFileSet;
  readonly truth: ReturnType<typeof openGroundTruthSink>;
  readonly counters: Counters;
  readonly quirkRate: number;
}

/** One contact end to end: simulate, write its rows (and perhaps a duplicate), write its truth. */
function generateContact(run: GenerationRun, index: number): void {
  const { options, layout, plan, counters, files } = run;
  const contact = drawContact(index, options.seed, run.population);
  const truthState = simulateContact(contact, plan, run.history, options.seed);
  // The same random stream continued a year: identical up to the truth's day, then what happened.
  const state = run.written === run.history ? truthState : simulateContact(contact, plan, run.written, options.seed);
  const quirks: Quirks = { rate: run.quirkRate, random: createRandom(options.seed, 'quirks', index) };
  counters.contactSerial += 1;
  const contactId = contact.kind === 'organisation' ? layout.ids.organisation(counters.contactSerial) : layout.ids.contact(counters.contactSerial);
  const ids: ContactIds = { contactId, planSerialBase: counters.planSerial + 1 };
  const kind: RowKind = contact.kind === 'organisation' ? 'organisations' : 'individuals';
  const row = contactRow(contact, state, contactId, layout);
  files.write(kind, row, quirks);
  if (duplicates(quirks)) {
    counters.contactSerial += 1;
    counters.duplicates += 1;
    files.write(kind, duplicateRow(row, contact.kind === 'organisation' ? layout.ids.organisation(counters.contactSerial) : layout.ids.contact(counters.contactSerial)), quirks);
  }
  for (const planState of state.plans) files.write('plans', planRow(planState, ids, layout), quirks);
  counters.planSerial += state.plans.length;
  for (const gift of state.giftEvents) {
    counters.giftSerial += 1;
    files.write('gifts', giftRow(gift, layout.ids.gift(counters.giftSerial), ids, run.campaignIds, layout), quirks);
  }
  for (const event of state.communications) {
    counters.sendsByPackage[event.packageIndex] = (counters.sendsByPackage[event.packageIndex] ?? 0) + 1;
    if (!layout.keepsCommunication(event.response)) continue;
    counters.memberSerial += 1;
    counters.communications += 1;
    files.write('communications', communicationRow(event, layout.ids.member(counters.memberSerial), ids, run.campaignIds), quirks);
  }
  // After every other row of the contact: the failures draw quirks last, so the other files stay as they were.
  if (layout.files.failures !== undefined) {
    for (const planState of state.plans) for (const failure of planState.failures) files.write('failures', failureRow(failure, planState, ids, layout), quirks);
  }
  run.truth.write(contactId, groundTruthOf(contact, truthState, plan, run.history.lastDay));
}

/** Campaigns last: their packages' costs are the pieces actually sent. Only what was sent by the last written day. */
function writeCampaigns(run: GenerationRun): number {
  const quirks: Quirks = { rate: run.quirkRate, random: createRandom(run.options.seed, 'quirks', 'campaigns') };
  let written = 0;
  for (const campaign of run.plan.campaigns) {
    if (campaign.sendDay > run.written.lastDay) continue;
    const untagged = run.options.untaggedFromYear !== undefined && calendarOf(campaign.startDay).year >= run.options.untaggedFromYear;
    const tags = (row: ReferenceRow): ReferenceRow => (untagged ? { ...row, category: '', channel: '' } : row);
    run.files.write('campaigns', tags(campaignRow(campaign, run.layout, run.written.lastDay)), quirks);
    for (const pkg of campaign.packages) {
      const cost = (run.counters.sendsByPackage[pkg.index] ?? 0) * (parameters.unitCost[pkg.channel] ?? 1);
      run.files.write('packages', tags(packageRow(pkg, campaign, cost, run.layout, run.written.lastDay)), quirks);
    }
    written += 1;
  }
  return written;
}

/**
 * Writes a synthetic organisation in a CRM's export layout, plus ground-truth.csv. Deterministic:
 * the same options give byte-identical files. Memory stays flat in the number of contacts and
 * gifts: one contact's history at a time, and a counter per campaign package.
 */
export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataSummary> {
  validate(options);
  const output = await outputOf(options);
  const layout = formatLayouts[options.format];
  const endYear = options.endYear ?? defaultEndYear;
  const firstYear = endYear - options.years + 1;
  const lastDay = dayOf(endYear, 12, 31);
  // Campaigns are planned for the forecast year too: the truth needs them, and so may the output.
  const plan = planCampaigns(firstYear, endYear + 1, options.seed);
  const history: HistoryWindow = { firstYear, years: options.years, lastDay };
  const run: GenerationRun = {
    options, layout, plan, campaignIds: campaignIdTable(plan, layout),
    history,
    written: options.writeForecastYear === true ? { firstYear, years: options.years + 1, lastDay: dayOf(endYear + 1, 12, 31) } : history,
    population: { firstDay: dayOf(firstYear, 1, 1), lastDay, locale: layout.locale, allowOrganisations: layout.allowOrganisations },
    files: openDemoFileSet(output, layout, layout.allowOrganisations ? rowKinds : rowKinds.filter((kind) => kind !== 'organisations')),
    truth: openGroundTruthSink(output),
    counters: { contactSerial: 0, giftSerial: 0, planSerial: 0, memberSerial: 0, duplicates: 0, communications: 0, sendsByPackage: new Float64Array(plan.packages.length) },
    quirkRate: options.quirkRate ?? 0.02,
  };
  for (let index = 0; index < options.contacts; index += 1) {
    generateContact(run, index);
    await run.files.settle();
    await run.truth.sink.settle();
  }
  const campaigns = writeCampaigns(run);
  const files = await run.files.close();
  await run.truth.sink.close();
  return {
    contacts: options.contacts,
    duplicateContacts: run.counters.duplicates,
    gifts: run.counters.giftSerial,
    recurringPlans: run.counters.planSerial,
    communications: run.counters.communications,
    campaigns,
    files: [...files, 'ground-truth.csv'],
  };
}
