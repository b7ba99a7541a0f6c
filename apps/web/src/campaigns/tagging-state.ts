import type { CampaignGroup, CampaignRow, CampaignTagList, Coverage, Decision, Tag, TagSource } from './campaign-tags-api';

/*
 * What the tagging screen shows while a save is on its way: decisions are applied to the rows at
 * once (optimistic), and the server's answer replaces them when the list is read again — so the
 * coverage and anything the server decided differently are always what the server says.
 */

/** Decisions not yet confirmed by a fresh read of the list, by campaign id. */
export type PendingTags = ReadonlyMap<string, Tag>;

export function tagOfDecision(decision: Decision): Tag {
  return 'skip' in decision ? { category: null, channel: null, source: 'skipped' } : { category: decision.category, channel: decision.channel, source: 'person' };
}

/** A package with no tag of its own carries its campaign's, as the server's view does; a skipped campaign passes nothing down. */
function inheritedFrom(campaign: Tag): Tag {
  return campaign.source === 'skipped' || campaign.category === null || campaign.channel === null ? { category: null, channel: null, source: 'none' } : { ...campaign, source: 'campaign' };
}

function withPendingGroup(group: CampaignGroup, pending: PendingTags): CampaignGroup {
  const own = pending.get(group.id);
  const tag = own ?? group.tag;
  return {
    ...group,
    tag,
    packages: group.packages.map((pkg) => {
      const decided = pending.get(pkg.id);
      if (decided) return { ...pkg, tag: decided };
      if (own && (pkg.tag.source === 'campaign' || pkg.tag.source === 'none')) return { ...pkg, tag: inheritedFrom(own) };
      return pkg;
    }),
  };
}

export function withPending(list: CampaignTagList, pending: PendingTags): CampaignTagList {
  if (pending.size === 0) return list;
  return { ...list, campaigns: list.campaigns.map((group) => withPendingGroup(group, pending)) };
}

/** The rows on screen: each campaign, followed by its packages when it is unfolded (all of them when no set is given). */
export function rowsOf(list: CampaignTagList, unfolded?: ReadonlySet<string>): CampaignRow[] {
  return list.campaigns.flatMap((group) => (unfolded === undefined || unfolded.has(group.id) ? [group, ...group.packages] : [group]));
}

export function needsTag(row: CampaignRow): boolean {
  return row.tag.source !== 'skipped' && (row.tag.category === null || row.tag.channel === null);
}

/** Accepting the suggestion of each chosen row. */
export function acceptSuggestions(rows: readonly CampaignRow[], chosen: ReadonlySet<string>): Decision[] {
  return rows.filter((row) => chosen.has(row.id)).map((row) => ({ campaignId: row.id, category: row.suggestion.category, channel: row.suggestion.channel }));
}

export function skipAll(rows: readonly CampaignRow[], chosen: ReadonlySet<string>): Decision[] {
  return rows.filter((row) => chosen.has(row.id)).map((row) => ({ campaignId: row.id, skip: true as const }));
}

const percentFormat = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 });
const amountFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** A share as a whole percentage, never rounded up to 100 % while something is missing. */
export function formatShare(share: number): string {
  return percentFormat.format(share < 1 && share > 0.995 ? 0.99 : share);
}

export function formatAmount(amount: number): string {
  return amountFormat.format(amount);
}

export function formatCount(count: number): string {
  return amountFormat.format(count);
}

/** The sentence under the coverage figures: what to do next, in plain words. */
export function coverageAdvice(coverage: Coverage): string {
  if (coverage.gifts.total === 0) return 'No gifts are linked to a campaign yet, so there is nothing to measure. Import gifts with their campaign to see how much is tagged.';
  if (!coverage.askForMore) return 'Enough of your giving is tagged for the models to use campaign types and channels. Tag new campaigns as they arrive to keep it that way.';
  return `${formatAmount(coverage.untaggedRevenue)} of revenue (${formatShare(1 - coverage.revenue.share)}) comes from campaigns without a category and channel. The models need at least 80% of gifts and of revenue tagged: tag the biggest campaigns below first.`;
}

export const SOURCE_LABELS: Readonly<Record<TagSource, string>> = {
  person: 'Confirmed by your team',
  crm: 'From your CRM',
  campaign: 'From its campaign',
  skipped: 'Skipped',
  none: 'Not tagged',
};

/** How sure a suggestion is, in words; both parts count, so the weaker one decides. */
export function confidenceLabel(row: CampaignRow): string {
  const probability = Math.min(row.suggestion.categoryProbability, row.suggestion.channelProbability);
  const words = row.suggestion.confident ? 'Very likely' : probability >= 0.5 ? 'Likely' : 'Unsure';
  return `${words} (${formatShare(probability)})`;
}

/** The message announced after a save, for screen readers and everyone else. */
export function savedMessage(counts: { confirmed: number; skipped: number }): string {
  const parts = [
    counts.confirmed > 0 ? `${formatCount(counts.confirmed)} ${counts.confirmed === 1 ? 'campaign' : 'campaigns'} tagged` : '',
    counts.skipped > 0 ? `${formatCount(counts.skipped)} skipped` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'Nothing to save.' : `${parts.join(', ')}.`;
}
