import type { CampaignCategory, SolicitationChannel } from '@kindling/crm-import';
import { createRandom } from '../random/seeded-random.js';
import { dayOf, type Day } from './day-numbers.js';
import { parameters, type AcquisitionChannel } from './simulation-parameters.js';

export type CampaignKind = 'cash-appeal' | 'emergency' | 'newsletter' | 'rg-conversion' | 'rg-upgrade' | 'rg-reactivation' | 'gifts-in-will' | 'major-ask' | 'event' | 'acquisition';

/** Who a package goes to; decided per contact at the send date from the contact's state. */
export type Segment = 'active' | 'lapsing' | 'lapsed' | 'deep-lapsed' | 'regular' | 'recent' | 'cash-donor' | 'rg-donor' | 'rg-ended' | 'legacy-prospect' | 'major-prospect' | 'new-supporter';

export interface PlannedPackage {
  readonly index: number;
  readonly campaignIndex: number;
  readonly code: string;
  readonly name: string;
  readonly channel: SolicitationChannel;
  readonly segment: Segment;
}

export interface PlannedCampaign {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly kind: CampaignKind;
  readonly category: CampaignCategory;
  readonly channel: SolicitationChannel;
  readonly sendDay: Day;
  readonly startDay: Day;
  readonly endDay: Day;
  /** Response log-odds before the personal terms. */
  readonly baseLogit: number;
  readonly packages: readonly PlannedPackage[];
  /** For acquisition campaigns: the channel whose new supporters it is credited with. */
  readonly acquisitionChannel?: AcquisitionChannel;
}

export interface CampaignPlan {
  readonly campaigns: readonly PlannedCampaign[];
  readonly packages: readonly PlannedPackage[];
  /** Campaigns whose send date falls in each simulated month (0 = the first month). */
  readonly byMonth: readonly (readonly PlannedCampaign[])[];
  /** The acquisition campaign of a year and channel. */
  acquisitionCampaign(year: number, channel: AcquisitionChannel): PlannedCampaign;
}

interface PackageSpec {
  readonly suffix: string;
  readonly name: string;
  readonly channel: SolicitationChannel;
  readonly segment: Segment;
}

interface CampaignSpec {
  readonly code: string;
  readonly name: string;
  readonly kind: CampaignKind;
  readonly category: CampaignCategory;
  readonly month: number;
  readonly day: number;
  readonly durationDays: number;
  readonly baseLogit: number;
  readonly packages: readonly PackageSpec[];
}

const base = parameters.campaignBase;
const mailPackages: readonly PackageSpec[] = [
  { suffix: 'A', name: 'Active donors', channel: 'Direct Mail', segment: 'active' },
  { suffix: 'B', name: 'Lapsing donors', channel: 'Direct Mail', segment: 'lapsing' },
  { suffix: 'C', name: 'Lapsed donors', channel: 'Direct Mail', segment: 'lapsed' },
];
const recentMail: PackageSpec = { suffix: 'A', name: 'All recent supporters', channel: 'Direct Mail', segment: 'recent' };
const regularGiverMail: PackageSpec = { suffix: 'R', name: 'Regular givers', channel: 'Direct Mail', segment: 'regular' };
const emailPackage: PackageSpec = { suffix: 'E', name: 'Email supporters', channel: 'Email', segment: 'recent' };

/** The organisation's year: the same rhythm every year, as most fundraising calendars are. */
function yearlySpecs(): readonly CampaignSpec[] {
  return [
    { code: 'RGC', name: 'Regular giving conversion calls', kind: 'rg-conversion', category: 'RG Acquisition', month: 2, day: 10, durationDays: 40, baseLogit: base.rgConversion, packages: [{ suffix: 'P', name: 'Cash donors', channel: 'Phone', segment: 'cash-donor' }] },
    { code: 'SPR', name: 'Spring appeal', kind: 'cash-appeal', category: 'Appeal', month: 3, day: 3, durationDays: 90, baseLogit: base.cashMail, packages: mailPackages },
    { code: 'NLS', name: 'Spring newsletter', kind: 'newsletter', category: 'Newsletter', month: 4, day: 20, durationDays: 60, baseLogit: base.newsletter, packages: [recentMail, regularGiverMail] },
    { code: 'GIW', name: 'Gifts in wills mailing', kind: 'gifts-in-will', category: 'Gifts in Will', month: 5, day: 12, durationDays: 120, baseLogit: base.giftsInWill, packages: [{ suffix: 'L', name: 'Loyal supporters over 60', channel: 'Direct Mail', segment: 'legacy-prospect' }] },
    { code: 'SUM', name: 'Summer appeal', kind: 'cash-appeal', category: 'Appeal', month: 6, day: 2, durationDays: 90, baseLogit: base.cashMail, packages: mailPackages },
    { code: 'SUE', name: 'Summer email appeal', kind: 'cash-appeal', category: 'Appeal', month: 6, day: 9, durationDays: 30, baseLogit: base.cashEmail, packages: [emailPackage] },
    { code: 'RGU', name: 'Regular giving upgrade calls', kind: 'rg-upgrade', category: 'RG Upgrade', month: 7, day: 7, durationDays: 40, baseLogit: base.rgUpgrade, packages: [{ suffix: 'P', name: 'Regular givers', channel: 'Phone', segment: 'rg-donor' }] },
    { code: 'EVT', name: 'Sponsored walk', kind: 'event', category: 'Event', month: 9, day: 6, durationDays: 30, baseLogit: base.event, packages: [{ suffix: 'E', name: 'Email invitation', channel: 'Email', segment: 'recent' }] },
    { code: 'AUT', name: 'Autumn appeal', kind: 'cash-appeal', category: 'Appeal', month: 9, day: 15, durationDays: 90, baseLogit: base.cashMail, packages: mailPackages },
    { code: 'MGA', name: 'Major donor visits', kind: 'major-ask', category: 'Major Gifts', month: 10, day: 1, durationDays: 90, baseLogit: base.majorAsk, packages: [{ suffix: 'F', name: 'Major gift prospects', channel: 'Face-to-Face', segment: 'major-prospect' }] },
    { code: 'RGR', name: 'Regular giving reactivation calls', kind: 'rg-reactivation', category: 'RG Reactivation', month: 10, day: 6, durationDays: 40, baseLogit: base.rgReactivation, packages: [{ suffix: 'P', name: 'Cancelled regular givers', channel: 'Phone', segment: 'rg-ended' }] },
    { code: 'NLA', name: 'Autumn e-newsletter', kind: 'newsletter', category: 'Newsletter', month: 10, day: 20, durationDays: 30, baseLogit: base.newsletter, packages: [emailPackage] },
    {
      code: 'XMS', name: 'Christmas appeal', kind: 'cash-appeal', category: 'Appeal', month: 11, day: 24, durationDays: 75, baseLogit: base.cashMail + base.christmas,
      packages: [...mailPackages, { suffix: 'D', name: 'Long-lapsed sample', channel: 'Direct Mail', segment: 'deep-lapsed' }, regularGiverMail],
    },
    { code: 'XME', name: 'Christmas email appeal', kind: 'cash-appeal', category: 'Appeal', month: 12, day: 3, durationDays: 28, baseLogit: base.cashEmail + base.christmas, packages: [emailPackage] },
  ];
}

const acquisitionSpecs: readonly { channel: AcquisitionChannel; code: string; name: string; category: CampaignCategory; package: PackageSpec }[] = [
  { channel: 'direct-mail', code: 'ACM', name: 'Cold mail acquisition', category: 'Acquisition', package: { suffix: 'A', name: 'Cold lists', channel: 'Direct Mail', segment: 'new-supporter' } },
  { channel: 'face-to-face', code: 'F2F', name: 'Street and door-to-door fundraising', category: 'RG Acquisition', package: { suffix: 'S', name: 'Street teams', channel: 'Face-to-Face', segment: 'new-supporter' } },
  { channel: 'digital', code: 'DIG', name: 'Online acquisition', category: 'Acquisition', package: { suffix: 'W', name: 'Paid social and search', channel: 'Digital/Online', segment: 'new-supporter' } },
  { channel: 'event', code: 'COM', name: 'Community events', category: 'Event', package: { suffix: 'V', name: 'Event participants', channel: 'Event', segment: 'new-supporter' } },
];

/** Emergencies strike at random: about one a year, each mailed and e-mailed within days. */
function emergencySpecs(year: number, seed: string | number): readonly CampaignSpec[] {
  const random = createRandom(seed, 'emergencies', year);
  const count = random.weighted([[0, 0.45], [1, 0.4], [2, 0.15]] as const);
  return Array.from({ length: count }, (_, number) => ({
    code: `EM${String(number + 1)}`,
    name: `Emergency appeal ${String(number + 1)}`,
    kind: 'emergency' as const,
    category: 'Emergency' as const,
    month: 1 + random.int(12),
    day: 1 + random.int(27),
    durationDays: 45,
    baseLogit: base.cashMail + base.emergency,
    packages: [{ ...recentMail, name: 'Recent donors by post' }, { ...emailPackage, name: 'Recent donors by email' }],
  }));
}

interface PlanBuilder {
  readonly campaigns: PlannedCampaign[];
  readonly packages: PlannedPackage[];
}

function addCampaign(builder: PlanBuilder, spec: Omit<CampaignSpec, 'month' | 'day'>, sendDay: Day, acquisitionChannel?: AcquisitionChannel): void {
  const index = builder.campaigns.length;
  const packages = spec.packages.map((packageSpec) => {
    const planned: PlannedPackage = { index: builder.packages.length, campaignIndex: index, code: `${spec.code}-${packageSpec.suffix}`, name: packageSpec.name, channel: packageSpec.channel, segment: packageSpec.segment };
    builder.packages.push(planned);
    return planned;
  });
  const channel = packages[0]?.channel ?? 'Other';
  builder.campaigns.push({
    index, code: spec.code, name: spec.name, kind: spec.kind, category: spec.category, channel, sendDay,
    startDay: sendDay, endDay: sendDay + spec.durationDays, baseLogit: spec.baseLogit, packages,
    ...(acquisitionChannel === undefined ? {} : { acquisitionChannel }),
  });
}

/**
 * The campaigns of `years` calendar years ending with `lastYear` (plus, when asked, the year after
 * it, which the ground truth forecasts over but which is never written).
 */
export function planCampaigns(firstYear: number, lastYear: number, seed: string | number): CampaignPlan {
  const builder: PlanBuilder = { campaigns: [], packages: [] };
  const acquisitions = new Map<string, PlannedCampaign>();
  for (let year = firstYear; year <= lastYear; year += 1) {
    const suffix = String(year % 100).padStart(2, '0');
    for (const acquisition of acquisitionSpecs) {
      addCampaign(builder, { code: `${acquisition.code}${suffix}`, name: `${acquisition.name} ${String(year)}`, kind: 'acquisition', category: acquisition.category, durationDays: 364, baseLogit: 0, packages: [{ ...acquisition.package }] }, dayOf(year, 1, 1), acquisition.channel);
      const added = builder.campaigns.at(-1);
      if (added !== undefined) acquisitions.set(`${String(year)}:${acquisition.channel}`, added);
    }
    const specs = [...yearlySpecs(), ...emergencySpecs(year, seed)].sort((a, b) => a.month - b.month || a.day - b.day);
    for (const spec of specs) addCampaign(builder, { ...spec, code: `${spec.code}${suffix}`, name: `${spec.name} ${String(year)}` }, dayOf(year, spec.month, spec.day));
  }
  const byMonth: PlannedCampaign[][] = Array.from({ length: (lastYear - firstYear + 1) * 12 }, () => []);
  for (const campaign of builder.campaigns) {
    if (campaign.kind === 'acquisition') continue;
    const date = new Date(campaign.sendDay * 86_400_000);
    byMonth[(date.getUTCFullYear() - firstYear) * 12 + date.getUTCMonth()]?.push(campaign);
  }
  for (const month of byMonth) month.sort((a, b) => a.sendDay - b.sendDay);
  return {
    campaigns: builder.campaigns,
    packages: builder.packages,
    byMonth,
    acquisitionCampaign: (year, channel) => {
      const found = acquisitions.get(`${String(year)}:${channel}`);
      if (found === undefined) throw new Error(`no acquisition campaign for ${String(year)} ${channel}`);
      return found;
    },
  };
}
