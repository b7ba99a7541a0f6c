import type { CampaignCategory, SolicitationChannel } from '@kindling/crm-import';

/**
 * Aggregates of a campaign's (or package's) gifts, all optional: whatever the import could compute.
 * Only campaign-level numbers — never anything about a person.
 */
export interface GiftPattern {
  /** Share (0–1) of the campaign's gifts that are regular-giving instalments. */
  readonly recurringShare?: number;
  /** Median gift amount, in the organisation's currency. */
  readonly medianAmount?: number;
  /** Gifts divided by people solicited (a response rate when each gives at most once). */
  readonly giftsPerRecipient?: number;
  /** Calendar month (1–12) of the campaign's start date. */
  readonly startMonth?: number;
}

/** What suggestions are made from: a campaign's (or package's) own name and code, and its gift pattern. */
export interface CampaignDescription {
  readonly name: string;
  readonly code?: string;
  readonly giftPattern?: GiftPattern;
}

/** A campaign with the tags a person confirmed; either tag may be missing when only one was confirmed. */
export interface LabelledCampaign extends CampaignDescription {
  readonly category?: CampaignCategory;
  readonly channel?: SolicitationChannel;
}
