import type { CampaignCategory, SolicitationChannel } from '@kindling/crm-import';

/** A campaign (or package) by its id, with whatever tags it has confirmed so far. */
export interface TaggedCampaign {
  readonly id: string;
  readonly category?: CampaignCategory;
  readonly channel?: SolicitationChannel;
}

export interface CampaignGifts {
  readonly count: number;
  readonly revenue: number;
}

export interface CoverageShare {
  readonly tagged: number;
  readonly total: number;
  /** tagged / total; 1 when there is nothing to tag. */
  readonly share: number;
}

export interface TagCoverage {
  readonly gifts: CoverageShare;
  readonly revenue: CoverageShare;
  /** True while either share is under `coverageTarget`: the app asks for more tags. */
  readonly askForMore: boolean;
}

/** Models that use tags need most giving tagged; below 80 % of gifts or revenue the app asks for more. */
export const coverageTarget = 0.8;

function share(tagged: number, total: number): CoverageShare {
  return { tagged, total, share: total === 0 ? 1 : tagged / total };
}

/**
 * The share of gifts and revenue whose campaign has both a category and a channel. Gifts of campaign
 * ids missing from `campaigns` count as untagged; gifts with no campaign at all are the caller's to
 * leave out. Revenue is each campaign's net income (refunds already deducted), so never negative.
 */
export function tagCoverage(campaigns: readonly TaggedCampaign[], giftsByCampaign: ReadonlyMap<string, CampaignGifts>): TagCoverage {
  const tagged = new Set(campaigns.filter((campaign) => campaign.category !== undefined && campaign.channel !== undefined).map((campaign) => campaign.id));
  let giftsTagged = 0;
  let giftsTotal = 0;
  let revenueTagged = 0;
  let revenueTotal = 0;
  for (const [id, gifts] of giftsByCampaign) {
    giftsTotal += gifts.count;
    revenueTotal += gifts.revenue;
    if (!tagged.has(id)) continue;
    giftsTagged += gifts.count;
    revenueTagged += gifts.revenue;
  }
  const giftShare = share(giftsTagged, giftsTotal);
  const revenueShare = share(revenueTagged, revenueTotal);
  return { gifts: giftShare, revenue: revenueShare, askForMore: giftShare.share < coverageTarget || revenueShare.share < coverageTarget };
}
