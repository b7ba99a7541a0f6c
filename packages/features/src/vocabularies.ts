import { campaignCategories, communicationResponses, giftTypes, planFrequencies, solicitationChannels } from '@kindling/crm-import';

/**
 * The fixed vocabularies a history is coded in. Codes are positions in these lists, so a model
 * trained on one organisation's history scores another load of it with the same codes. `none`
 * (the list's length) marks a missing value: a gift without a campaign, an untagged campaign.
 */
export const giftTypeCodes = giftTypes;
export const categoryCodes = campaignCategories;
export const channelCodes = solicitationChannels;
export const responseCodes = communicationResponses;
export const frequencyCodes = planFrequencies;
export const contactKindCodes = ['individual', 'organisation'] as const;
export const genderCodes = ['female', 'male', 'other', 'unknown'] as const;

/** A coded value that is absent; stored in Uint8Array columns. */
export const noCode = 255;

/** Instalments per month of each plan frequency, in `frequencyCodes` order; unknown pays monthly. */
export const instalmentsPerMonth = [52 / 12, 1, 1 / 3, 1 / 6, 1 / 12] as const;

/** `Trusts & Foundations` → `trusts_foundations`: vocabulary words as parts of feature names. */
export function slugOf(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/gu, '_').replace(/^_+|_+$/gu, '');
}

/** Gift type codes used by label and feature rules. */
export const giftTypeCode = {
  oneOff: giftTypes.indexOf('one-off'),
  instalment: giftTypes.indexOf('recurring instalment'),
  bequest: giftTypes.indexOf('bequest'),
} as const;

export const responseCode = {
  responded: communicationResponses.indexOf('responded'),
  opened: communicationResponses.indexOf('opened'),
  clicked: communicationResponses.indexOf('clicked'),
  bounced: communicationResponses.indexOf('bounced'),
  unsubscribed: communicationResponses.indexOf('unsubscribed'),
  declined: communicationResponses.indexOf('declined'),
} as const;
