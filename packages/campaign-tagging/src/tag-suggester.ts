import { campaignCategories, solicitationChannels, type CampaignCategory, type SolicitationChannel } from '@kindling/crm-import';
import { campaignFeatures, type FeatureVector } from './campaign-features.js';
import type { CampaignDescription, LabelledCampaign } from './campaign-input.js';
import { predictSoftmax, softmaxInPlace, trainSoftmax, type SoftmaxModel, type TrainingExample } from './softmax-regression.js';
import { rulePriorScores } from './tag-rules.js';

/** What an organisation's confirmed tags taught; `null` per tag while there are too few to learn from. */
export interface TagSuggester {
  readonly category: SoftmaxModel | null;
  readonly channel: SoftmaxModel | null;
  /** Confirmed campaigns each part learned from; sets how far it outweighs the rule prior. */
  readonly examples: { readonly category: number; readonly channel: number };
}

export interface TagSuggestion<Label extends string> {
  readonly label: Label;
  readonly probability: number;
  readonly runnerUp: { readonly label: Label; readonly probability: number };
  /** Safe to approve in bulk: the probability is at least `confidentProbability`. */
  readonly confident: boolean;
  /** Where the suggestion came from: only the keyword rules, or rules blended with what was learned. */
  readonly source: 'rules' | 'learned';
}

export interface CampaignTagSuggestion {
  readonly category: TagSuggestion<CampaignCategory>;
  readonly channel: TagSuggestion<SolicitationChannel>;
}

/**
 * Below this many confirmed campaigns for a tag (or with a single distinct label) nothing is learned:
 * a handful of names teaches the model less than the rule table already knows.
 */
export const minimumConfirmedCampaigns = 10;
/**
 * Prior and learned model are mixed linearly. The learned share is n / (n + priorStrength) for n
 * confirmed campaigns (half each at 20, 91 % at 200), times how familiar the campaign is to the model:
 * the share of its (unit-length) feature vector's squared mass on features seen in training. A name
 * made of words the organisation never confirmed — its first raffle, say, a label the model cannot
 * even predict — is then left to the rules instead of being forced onto a known label.
 */
export const priorStrength = 20;
/**
 * The probability at which a suggestion is flagged confident. On held-out demo-data campaigns the
 * confident suggestions were right 100 % of the time (docs/campaign-tagging.md has the numbers).
 */
export const confidentProbability = 0.8;

function trainHead<Label extends string>(examples: readonly (readonly [FeatureVector, Label | undefined])[], vocabulary: readonly Label[]): SoftmaxModel | null {
  const labelled: TrainingExample[] = [];
  for (const [features, label] of examples) if (label !== undefined) labelled.push({ features, label: vocabulary.indexOf(label) });
  if (labelled.length < minimumConfirmedCampaigns || new Set(labelled.map((example) => example.label)).size < 2) return null;
  return trainSoftmax(labelled);
}

function sortKey(campaign: LabelledCampaign): string {
  return JSON.stringify([campaign.name, campaign.code ?? '', campaign.category ?? '', campaign.channel ?? '', campaign.giftPattern ?? {}]);
}

/**
 * Learns category and channel suggestions from campaigns whose tags a person confirmed. The result
 * depends only on the set of campaigns, not on their order, and is the same on every run.
 */
export function trainTagSuggester(confirmed: readonly LabelledCampaign[]): TagSuggester {
  const keyed = confirmed.map((campaign) => ({ campaign, key: sortKey(campaign) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed.map(({ campaign }) => campaign);
  const features = sorted.map((campaign) => campaignFeatures(campaign));
  const category = trainHead(sorted.map((campaign, index) => [features[index] ?? { indices: [], values: [] }, campaign.category] as const), campaignCategories);
  const channel = trainHead(sorted.map((campaign, index) => [features[index] ?? { indices: [], values: [] }, campaign.channel] as const), solicitationChannels);
  return {
    category,
    channel,
    examples: {
      category: category === null ? 0 : sorted.filter((campaign) => campaign.category !== undefined).length,
      channel: channel === null ? 0 : sorted.filter((campaign) => campaign.channel !== undefined).length,
    },
  };
}

/** A suggester that knows only the rule table: what an organisation starts with. */
export const ruleOnlySuggester: TagSuggester = { category: null, channel: null, examples: { category: 0, channel: 0 } };

function blend(priorScores: number[], model: SoftmaxModel | null, examples: number, features: FeatureVector): number[] {
  const probabilities = [...priorScores];
  softmaxInPlace(probabilities);
  if (model === null) return probabilities;
  let familiarity = 0;
  features.indices.forEach((feature, entry) => {
    if (model.weights.has(feature)) familiarity += (features.values[entry] ?? 0) ** 2;
  });
  const learnedShare = (examples / (examples + priorStrength)) * Math.min(1, familiarity);
  const learned = predictSoftmax(model, features);
  const blended = probabilities.map((probability) => (1 - learnedShare) * probability);
  model.labels.forEach((label, index) => {
    blended[label] = (blended[label] ?? 0) + learnedShare * (learned[index] ?? 0);
  });
  return blended;
}

function topTwo<Label extends string>(probabilities: readonly number[], vocabulary: readonly Label[], other: Label, source: TagSuggestion<Label>['source']): TagSuggestion<Label> {
  // Ties go to the label earlier in the vocabulary, which keeps suggestions deterministic.
  const ranked = probabilities.map((probability, index) => ({ probability, index })).sort((a, b) => b.probability - a.probability || a.index - b.index);
  const [first, second] = ranked;
  const probability = first?.probability ?? 0;
  return {
    label: vocabulary[first?.index ?? -1] ?? other,
    probability,
    runnerUp: { label: vocabulary[second?.index ?? -1] ?? other, probability: second?.probability ?? 0 },
    confident: probability >= confidentProbability,
    source,
  };
}

/** The top category and channel for each campaign, in the order given, with the runner-up of each. */
export function suggestTags(suggester: TagSuggester, campaigns: readonly CampaignDescription[]): CampaignTagSuggestion[] {
  return campaigns.map((campaign) => {
    const features = campaignFeatures(campaign);
    const prior = rulePriorScores(campaign);
    return {
      category: topTwo(blend(prior.category, suggester.category, suggester.examples.category, features), campaignCategories, 'Other', suggester.category === null ? 'rules' : 'learned'),
      channel: topTwo(blend(prior.channel, suggester.channel, suggester.examples.channel, features), solicitationChannels, 'Other', suggester.channel === null ? 'rules' : 'learned'),
    };
  });
}
