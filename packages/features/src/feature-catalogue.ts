import type { FeatureDefinition, FeatureFamily, FeatureUnit, FeatureWindow } from './feature-definition.js';
import { categoryCodes, channelCodes, frequencyCodes, giftTypeCodes, slugOf } from './vocabularies.js';

/** Windows of the main aggregates, in months before the cutoff, narrowest first. */
export const featureWindows = [3, 6, 12, 24, 36, 60, 'all-time'] as const satisfies readonly FeatureWindow[];
export type AggregateWindow = (typeof featureWindows)[number];
/** Windows of the sliced aggregates (by gift type, campaign category, channel): fewer, to keep the matrix small. */
export const sliceWindows = [12, 36, 'all-time'] as const satisfies readonly AggregateWindow[];
export const communicationSliceWindows = [12, 'all-time'] as const satisfies readonly AggregateWindow[];
export const volatilityWindows = [12, 24, 60, 'all-time'] as const satisfies readonly AggregateWindow[];
export const givingMonthWindows = [12, 24, 60, 'all-time'] as const satisfies readonly AggregateWindow[];
export const failureWindows = [3, 6, 12, 24, 'all-time'] as const satisfies readonly AggregateWindow[];
export const planEventWindows = [12, 36, 'all-time'] as const satisfies readonly AggregateWindow[];
export const softCreditWindows = [12, 60, 'all-time'] as const satisfies readonly AggregateWindow[];
export const responseRateWindows = [12, 60, 'all-time'] as const satisfies readonly AggregateWindow[];

/** `12m`, `all_time`: the suffix of a windowed feature's name. */
export function windowSuffix(window: AggregateWindow): string {
  return window === 'all-time' ? 'all_time' : `${String(window)}m`;
}

function windowWords(window: AggregateWindow): string {
  return window === 'all-time' ? 'in all their history before the cutoff' : `in the ${String(window)} months before the cutoff`;
}

function windowPhrase(window: AggregateWindow): string {
  return window === 'all-time' ? 'ever' : `in the last ${String(window)} months`;
}

/**
 * A slice of gifts or communications: by gift type, by the soliciting campaign's category, or by
 * its channel. `none` slices hold what has no campaign (or an untagged one).
 */
export interface Slice {
  readonly key: string;
  readonly words: string;
}

const noneWords = { category: 'no campaign or an untagged campaign', channel: 'no campaign or a campaign without a channel' };

export const giftTypeSlices: readonly Slice[] = giftTypeCodes.map((type) => ({ key: `type_${slugOf(type)}`, words: `${type} gifts` }));
export const categorySlices: readonly Slice[] = [
  ...categoryCodes.map((category) => ({ key: `category_${slugOf(category)}`, words: `gifts to ${category} campaigns` })),
  { key: 'category_none', words: `gifts with ${noneWords.category}` },
];
export const channelSlices: readonly Slice[] = [
  ...channelCodes.map((channel) => ({ key: `channel_${slugOf(channel)}`, words: `gifts solicited by ${channel}` })),
  { key: 'channel_none', words: `gifts with ${noneWords.channel}` },
];
/** Every gift slice, in the order the featuriser indexes them: types, categories, channels. */
export const giftSlices: readonly Slice[] = [...giftTypeSlices, ...categorySlices, ...channelSlices];

export const communicationChannelSlices: readonly Slice[] = [
  ...channelCodes.map((channel) => ({ key: `channel_${slugOf(channel)}`, words: `${channel} solicitations` })),
  { key: 'channel_none', words: 'solicitations with no known channel' },
];
export const communicationCategorySlices: readonly Slice[] = [
  ...categoryCodes.map((category) => ({ key: `category_${slugOf(category)}`, words: `${category} solicitations` })),
  { key: 'category_none', words: 'solicitations from untagged campaigns' },
];
export const communicationSlices: readonly Slice[] = [...communicationChannelSlices, ...communicationCategorySlices];

/** Categories of the categorical features with a fixed vocabulary; code k is `levels[k]`. */
export const fixedCategoryLevels: Readonly<Record<string, readonly string[]>> = {
  month_of_last_gift: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  acquisition_channel: [...channelCodes, 'none'],
  acquisition_category: [...categoryCodes, 'none'],
  first_gift_type: [...giftTypeCodes],
  active_plan_frequency: [...frequencyCodes],
  contact_kind: ['individual', 'organisation'],
  gender: ['female', 'male', 'other', 'unknown'],
};

type Entry = Omit<FeatureDefinition, 'kind'> & { kind?: FeatureDefinition['kind'] };

function define(entries: FeatureDefinition[], entry: Entry): void {
  entries.push({ ...entry, kind: entry.kind ?? 'numeric' });
}

function windowed(entries: FeatureDefinition[], family: FeatureFamily, unit: FeatureUnit, windows: readonly AggregateWindow[], make: (window: AggregateWindow) => { name: string; description: string; phrase: string }): void {
  for (const window of windows) define(entries, { family, unit, window, ...make(window) });
}

function recencyFeatures(entries: FeatureDefinition[]): void {
  define(entries, { name: 'months_since_last_gift', family: 'recency', window: null, unit: 'months', description: 'Months from the last gift to the cutoff (missing when the contact never gave).', phrase: 'last gave {value} ago', phraseWhenMissing: 'has never given' });
  define(entries, { name: 'months_since_largest_gift', family: 'recency', window: null, unit: 'months', description: 'Months from the largest gift to the cutoff.', phrase: 'gave their largest gift {value} ago' });
  for (const slice of giftSlices) {
    define(entries, { name: `months_since_last_gift_${slice.key}`, family: 'recency', window: null, unit: 'months', description: `Months from the last of the ${slice.words} to the cutoff.`, phrase: `last ${slice.words} {value} ago` });
  }
  define(entries, { name: 'months_since_last_soft_credit', family: 'recency', window: null, unit: 'months', description: 'Months from the last gift the contact was soft-credited with (e.g. paid by a spouse) to the cutoff.', phrase: 'last soft-credited {value} ago' });
}

function frequencyFeatures(entries: FeatureDefinition[]): void {
  windowed(entries, 'frequency', 'count', featureWindows, (w) => ({ name: `gift_count_${windowSuffix(w)}`, description: `Number of gifts ${windowWords(w)}.`, phrase: `gave {value} times ${windowPhrase(w)}` }));
  for (const slice of giftSlices) {
    windowed(entries, 'frequency', 'count', sliceWindows, (w) => ({ name: `gift_count_${slice.key}_${windowSuffix(w)}`, description: `Number of ${slice.words} ${windowWords(w)}.`, phrase: `{value} ${slice.words} ${windowPhrase(w)}` }));
  }
  windowed(entries, 'frequency', 'count', givingMonthWindows, (w) => ({ name: `giving_months_${windowSuffix(w)}`, description: `Number of distinct calendar months with a gift ${windowWords(w)}.`, phrase: `gave in {value} different months ${windowPhrase(w)}` }));
  windowed(entries, 'frequency', 'count', softCreditWindows, (w) => ({ name: `soft_credit_count_${windowSuffix(w)}`, description: `Number of gifts the contact was soft-credited with ${windowWords(w)}.`, phrase: `soft-credited {value} times ${windowPhrase(w)}` }));
}

function valueFeatures(entries: FeatureDefinition[]): void {
  windowed(entries, 'value', 'money', featureWindows, (w) => ({ name: `gift_sum_${windowSuffix(w)}`, description: `Total given ${windowWords(w)}.`, phrase: `gave {value} in total ${windowPhrase(w)}` }));
  windowed(entries, 'value', 'money', featureWindows, (w) => ({ name: `gift_mean_${windowSuffix(w)}`, description: `Average gift ${windowWords(w)} (missing without a gift).`, phrase: `gave {value} on average ${windowPhrase(w)}` }));
  windowed(entries, 'value', 'money', featureWindows, (w) => ({ name: `gift_max_${windowSuffix(w)}`, description: `Largest single gift ${windowWords(w)} (missing without a gift).`, phrase: `largest gift {value} ${windowPhrase(w)}` }));
  for (const slice of giftSlices) {
    windowed(entries, 'value', 'money', sliceWindows, (w) => ({ name: `gift_sum_${slice.key}_${windowSuffix(w)}`, description: `Total of ${slice.words} ${windowWords(w)}.`, phrase: `{value} in ${slice.words} ${windowPhrase(w)}` }));
  }
  define(entries, { name: 'first_gift_amount', family: 'value', window: null, unit: 'money', description: 'Amount of the first gift.', phrase: 'first gave {value}' });
  define(entries, { name: 'last_gift_amount', family: 'value', window: null, unit: 'money', description: 'Amount of the last gift before the cutoff.', phrase: 'last gave {value}' });
  windowed(entries, 'value', 'money', softCreditWindows, (w) => ({ name: `soft_credit_sum_${windowSuffix(w)}`, description: `Total of gifts the contact was soft-credited with ${windowWords(w)}.`, phrase: `soft-credited with {value} ${windowPhrase(w)}` }));
}

function trendFeatures(entries: FeatureDefinition[]): void {
  for (const months of [3, 12] as const) {
    const m = String(months);
    define(entries, { name: `gift_count_change_${m}m`, family: 'trend', window: months, unit: 'count', description: `Gifts in the last ${m} months minus gifts in the ${m} months before those.`, phrase: `change in the number of gifts against the previous ${m} months: {value}` });
    define(entries, { name: `gift_sum_change_${m}m`, family: 'trend', window: months, unit: 'money', description: `Total given in the last ${m} months minus the total of the ${m} months before those.`, phrase: `change in the total given against the previous ${m} months: {value}` });
  }
  define(entries, { name: 'gift_sum_ratio_12m', family: 'trend', window: 12, unit: 'ratio', description: 'Total of the last 12 months divided by the total of the 12 months before (missing when that was nothing).', phrase: 'gave {value} times as much as the year before' });
  define(entries, { name: 'last_gift_vs_average', family: 'trend', window: 'all-time', unit: 'ratio', description: 'Last gift divided by the average gift.', phrase: 'last gift {value} times their average' });
  define(entries, { name: 'mean_days_between_gifts', family: 'trend', window: 'all-time', unit: 'days', description: 'Average days between consecutive gifts (missing with fewer than two).', phrase: 'gives every {value} on average' });
  windowed(entries, 'trend', 'money', volatilityWindows, (w) => ({ name: `gift_amount_std_${windowSuffix(w)}`, description: `Standard deviation of gift amounts ${windowWords(w)} (missing with fewer than two gifts).`, phrase: `gift amounts vary by {value} ${windowPhrase(w)}` }));
  windowed(entries, 'trend', 'ratio', volatilityWindows, (w) => ({ name: `gift_amount_cv_${windowSuffix(w)}`, description: `Coefficient of variation (standard deviation / mean) of gift amounts ${windowWords(w)}.`, phrase: `gift amounts vary by {value} of their mean ${windowPhrase(w)}` }));
}

function seasonalityFeatures(entries: FeatureDefinition[]): void {
  define(entries, { name: 'december_gifts_12m', family: 'seasonality', window: 12, unit: 'count', description: 'Gifts made in December within the 12 months before the cutoff.', phrase: 'gave {value} times last December' });
  for (const window of [60, 'all-time'] as const) {
    define(entries, { name: `december_share_${windowSuffix(window)}`, family: 'seasonality', window, unit: 'share', description: `Share of gifts made in December ${windowWords(window)}.`, phrase: `{value} of their gifts ${windowPhrase(window)} came in December` });
  }
  define(entries, { name: 'month_of_last_gift', family: 'seasonality', window: null, unit: 'category', kind: 'categorical', description: 'Calendar month of the last gift.', phrase: 'last gave in {value}' });
}

function tenureFeatures(entries: FeatureDefinition[]): void {
  define(entries, { name: 'months_since_first_gift', family: 'tenure', window: null, unit: 'months', description: 'Months from the first gift to the cutoff.', phrase: 'first gave {value} ago' });
  define(entries, { name: 'months_since_created', family: 'tenure', window: null, unit: 'months', description: 'Months from the CRM record\'s creation date to the cutoff (missing when the CRM does not say).', phrase: 'on file for {value}' });
  define(entries, { name: 'acquisition_channel', family: 'tenure', window: null, unit: 'category', kind: 'categorical', description: 'Channel of the campaign that solicited the first gift (none when it had no campaign).', phrase: 'recruited by {value}' });
  define(entries, { name: 'acquisition_category', family: 'tenure', window: null, unit: 'category', kind: 'categorical', description: 'Category of the campaign that solicited the first gift.', phrase: 'recruited by a {value} campaign' });
  define(entries, { name: 'first_gift_type', family: 'tenure', window: null, unit: 'category', kind: 'categorical', description: 'Type of the first gift (one-off, recurring instalment …).', phrase: 'first gift was a {value} gift' });
}

function recurringFeatures(entries: FeatureDefinition[]): void {
  const plain = (name: string, unit: FeatureUnit, description: string, phrase: string, kind: FeatureDefinition['kind'] = 'numeric'): void => {
    define(entries, { name, family: 'recurring', window: null, unit, kind, description, phrase });
  };
  plain('active_plans', 'count', 'Recurring plans running at the cutoff (started on or before it, not ended by it).', 'has {value} regular gifts running');
  plain('current_plan_amount', 'money', 'Instalment of the largest running plan at the cutoff, from its last instalment or amount record dated on or before the cutoff.', 'gives {value} per instalment');
  plain('monthly_plan_amount', 'money', 'Monthly equivalent of every running plan\'s instalment at the cutoff.', 'gives {value} a month regularly');
  plain('active_plan_frequency', 'category', 'How often the most recently started running plan pays.', 'pays {value}', 'categorical');
  plain('months_since_plan_start', 'months', 'Months since the oldest running plan started.', 'a regular giver for {value}');
  plain('plan_months_all_time', 'months', 'Months any plan was running before the cutoff, summed over plans.', 'gave regularly for {value} in all');
  plain('months_since_plan_ended', 'months', 'Months since a plan last ended (cancelled, failed or completed).', 'a plan ended {value} ago');
  plain('months_since_last_failure', 'months', 'Months since a collection last failed.', 'a payment failed {value} ago');
  windowed(entries, 'recurring', 'count', planEventWindows, (w) => ({ name: `plans_started_${windowSuffix(w)}`, description: `Recurring plans started ${windowWords(w)}.`, phrase: `started {value} regular gifts ${windowPhrase(w)}` }));
  windowed(entries, 'recurring', 'count', planEventWindows, (w) => ({ name: `plan_endings_${windowSuffix(w)}`, description: `Recurring plans that ended (cancelled or failed) ${windowWords(w)}.`, phrase: `{value} regular gifts ended ${windowPhrase(w)}` }));
  windowed(entries, 'recurring', 'count', failureWindows, (w) => ({ name: `payment_failures_${windowSuffix(w)}`, description: `Failed collections ${windowWords(w)}.`, phrase: `{value} failed payments ${windowPhrase(w)}` }));
  windowed(entries, 'recurring', 'count', planEventWindows, (w) => ({ name: `plan_upgrades_${windowSuffix(w)}`, description: `Times a plan's instalment went up ${windowWords(w)}.`, phrase: `raised their regular gift {value} times ${windowPhrase(w)}` }));
  windowed(entries, 'recurring', 'count', planEventWindows, (w) => ({ name: `plan_downgrades_${windowSuffix(w)}`, description: `Times a plan's instalment went down ${windowWords(w)}.`, phrase: `lowered their regular gift {value} times ${windowPhrase(w)}` }));
}

function communicationFeatures(entries: FeatureDefinition[]): void {
  windowed(entries, 'communications', 'count', featureWindows, (w) => ({ name: `communications_${windowSuffix(w)}`, description: `Solicitations sent to the contact ${windowWords(w)}.`, phrase: `was asked {value} times ${windowPhrase(w)}` }));
  windowed(entries, 'communications', 'count', featureWindows, (w) => ({ name: `responses_${windowSuffix(w)}`, description: `Solicitations the contact responded to ${windowWords(w)}.`, phrase: `responded {value} times ${windowPhrase(w)}` }));
  for (const slice of communicationSlices) {
    windowed(entries, 'communications', 'count', communicationSliceWindows, (w) => ({ name: `communications_${slice.key}_${windowSuffix(w)}`, description: `${capitalised(slice.words)} sent ${windowWords(w)}.`, phrase: `received {value} ${slice.words} ${windowPhrase(w)}` }));
    windowed(entries, 'communications', 'count', communicationSliceWindows, (w) => ({ name: `responses_${slice.key}_${windowSuffix(w)}`, description: `${capitalised(slice.words)} responded to ${windowWords(w)}.`, phrase: `responded to {value} ${slice.words} ${windowPhrase(w)}` }));
  }
  windowed(entries, 'communications', 'share', responseRateWindows, (w) => ({ name: `response_rate_${windowSuffix(w)}`, description: `Share of solicitations responded to ${windowWords(w)} (missing when none was sent).`, phrase: `responded to {value} of solicitations ${windowPhrase(w)}` }));
  for (const slice of communicationChannelSlices) {
    define(entries, { name: `response_rate_${slice.key}_all_time`, family: 'communications', window: 'all-time', unit: 'share', description: `Share of ${slice.words} responded to, in all their history before the cutoff.`, phrase: `responded to {value} of ${slice.words}` });
  }
  define(entries, { name: 'months_since_last_communication', family: 'communications', window: null, unit: 'months', description: 'Months since the contact was last sent a solicitation.', phrase: 'last asked {value} ago' });
  define(entries, { name: 'months_since_last_response', family: 'communications', window: null, unit: 'months', description: 'Months since the contact last responded to a solicitation.', phrase: 'last responded {value} ago' });
  for (const [name, words] of [['emails_opened', 'E-mails opened (not answered)'], ['emails_clicked', 'E-mails clicked (not answered)']] as const) {
    windowed(entries, 'communications', 'count', [12, 'all-time'], (w) => ({ name: `${name}_${windowSuffix(w)}`, description: `${words} ${windowWords(w)}.`, phrase: `${words.toLowerCase()}: {value} ${windowPhrase(w)}` }));
  }
  for (const [name, words] of [['bounces', 'Solicitations that bounced'], ['unsubscribes', 'Unsubscribes'], ['declines', 'Solicitations declined (e.g. calls)']] as const) {
    define(entries, { name: `${name}_all_time`, family: 'communications', window: 'all-time', unit: 'count', description: `${words} in all their history before the cutoff.`, phrase: `${words.toLowerCase()}: {value}` });
  }
}

function contactFeatures(entries: FeatureDefinition[]): void {
  define(entries, { name: 'contact_kind', family: 'contact', window: null, unit: 'category', kind: 'categorical', description: 'An individual or an organisation.', phrase: 'is an {value}' });
  define(entries, { name: 'age_at_cutoff', family: 'contact', window: null, unit: 'year', description: 'Age in whole years at the cutoff, from the year of birth (missing when unknown).', phrase: 'aged about {value}' });
  define(entries, { name: 'gender', family: 'contact', window: null, unit: 'category', kind: 'categorical', description: 'Gender as recorded in the CRM.', phrase: 'recorded as {value}' });
  define(entries, { name: 'region', family: 'contact', window: null, unit: 'category', kind: 'categorical', description: 'County, state or region.', phrase: 'lives in {value}' });
  define(entries, { name: 'country', family: 'contact', window: null, unit: 'category', kind: 'categorical', description: 'Country (ISO code).', phrase: 'lives in {value}' });
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function buildCatalogue(): readonly FeatureDefinition[] {
  const entries: FeatureDefinition[] = [];
  recencyFeatures(entries);
  frequencyFeatures(entries);
  valueFeatures(entries);
  trendFeatures(entries);
  seasonalityFeatures(entries);
  tenureFeatures(entries);
  recurringFeatures(entries);
  communicationFeatures(entries);
  contactFeatures(entries);
  return Object.freeze(entries.map((entry) => Object.freeze(entry)));
}

/**
 * Every feature Kindling computes for any organisation, as data the app can list: the families
 * and windows of docs/features.md. An organisation's own custom attributes come on top
 * (`customAttributeFeatures`).
 */
export const featureCatalogue: readonly FeatureDefinition[] = buildCatalogue();

/** `Wealth Score` → `custom_wealth_score`; distinct names get distinct features (a numbered suffix on a clash). */
export function customAttributeFeatureNames(names: readonly string[]): string[] {
  const taken = new Set(featureCatalogue.map((entry) => entry.name));
  return names.map((name) => {
    const base = `custom_${slugOf(name) || 'attribute'}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${String(n)}`;
    taken.add(candidate);
    return candidate;
  });
}

/** The catalogue entries of an organisation's custom attributes (assumed not to change over time). */
export function customAttributeFeatures(attributes: readonly { name: string; kind: 'numeric' | 'categorical' }[]): FeatureDefinition[] {
  const names = customAttributeFeatureNames(attributes.map((attribute) => attribute.name));
  return attributes.map((attribute, i) => ({
    name: names[i] ?? '',
    family: 'custom-attribute',
    window: null,
    unit: attribute.kind === 'numeric' ? 'count' : 'category',
    kind: attribute.kind,
    description: `The organisation's own attribute "${attribute.name}" (${attribute.kind}), as it stands now: assumed not to change over time.`,
    phrase: `${attribute.name}: {value}`,
  }));
}
