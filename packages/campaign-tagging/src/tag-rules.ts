import { campaignCategories, solicitationChannels, type CampaignCategory, type SolicitationChannel } from '@kindling/crm-import';
import { campaignTokens } from './campaign-features.js';
import type { CampaignDescription } from './campaign-input.js';

/**
 * One keyword rule: when every word list matches (a whole token or phrase of the campaign's name or
 * code), `weight` is added to the label's score. Weights are log-odds: 6 for words that all but
 * decide the tag, 4–5 for the usual words, 2 for hints (seasons, "appeal" for the post).
 */
export interface TagRule<Label extends string> {
  readonly label: Label;
  readonly weight: number;
  readonly all: readonly (readonly string[])[];
}

const regularGiving = ['rg', 'dd', 'regular', 'regulars', 'regular giving', 'monthly', 'direct debit', 'standing order'];

/** The category rule table; docs/campaign-tagging.md lists it for fundraisers. */
export const categoryRules: readonly TagRule<CampaignCategory>[] = [
  { label: 'RG Upgrade', weight: 6, all: [regularGiving, ['upg', 'upgrade', 'upgrades', 'uplift', 'increase']] },
  { label: 'RG Reactivation', weight: 6, all: [regularGiving, ['react', 'reactivation', 'reactivate', 'lapsed', 'lapse', 'winback', 'win back', 'reinstate', 'reinstatement', 'cancelled']] },
  { label: 'RG Retention', weight: 6, all: [regularGiving, ['retention', 'retain', 'welcome', 'thank', 'thanks', 'thankyou', 'stewardship', 'save', 'saves', 'loyalty']] },
  { label: 'RG Acquisition', weight: 6, all: [regularGiving, ['acq', 'acquisition', 'conversion', 'convert', 'conv', 'recruit', 'recruitment', 'new']] },
  { label: 'RG Acquisition', weight: 5, all: [['f2f', 'street', 'doorstep', 'd2d', 'door to door', 'private site', 'face to face']] },
  { label: 'RG Acquisition', weight: 2, all: [regularGiving] },
  { label: 'Gifts in Will', weight: 6, all: [['legacy', 'legacies', 'will', 'wills', 'bequest', 'bequests', 'giw']] },
  { label: 'Trusts & Foundations', weight: 6, all: [['trust', 'trusts', 'foundation', 'foundations', 'grant', 'grants']] },
  { label: 'Raffle/Lottery', weight: 6, all: [['raffle', 'raffles', 'lottery', 'lotto', 'prize draw', 'sweepstake', 'tombola']] },
  { label: 'Emergency', weight: 5, all: [['emergency', 'emergencies', 'crisis', 'disaster', 'earthquake', 'flood', 'floods', 'famine', 'urgent', 'relief', 'tsunami', 'hurricane', 'cyclone']] },
  { label: 'Major Gifts', weight: 5, all: [['major', 'mid level', 'midlevel', 'mid value', 'philanthropy', 'philanthropist', 'hnw', 'hnwi', 'high value', 'principal']] },
  { label: 'Membership', weight: 5, all: [['member', 'members', 'membership', 'memberships', 'renewal', 'renewals']] },
  { label: 'Merchandise', weight: 5, all: [['merch', 'merchandise', 'shop', 'catalogue', 'catalog', 'cards', 'christmas cards', 'ecards']] },
  { label: 'Peer-to-Peer', weight: 5, all: [['p2p', 'peer', 'peer to peer', 'justgiving', 'just giving', 'birthday', 'fundraiser', 'fundraisers', 'fundraise']] },
  { label: 'Newsletter', weight: 5, all: [['newsletter', 'newsletters', 'enewsletter', 'enews', 'news', 'update', 'updates', 'magazine', 'bulletin', 'ebulletin']] },
  { label: 'Community', weight: 4, all: [['community', 'church', 'churches', 'school', 'schools', 'local group', 'groups', 'collection', 'collections', 'tin', 'tins', 'volunteer', 'volunteers']] },
  { label: 'Event', weight: 4, all: [['event', 'events', 'walk', 'run', 'marathon', 'challenge', 'gala', 'dinner', 'ball', 'trek', 'swim', 'cycle', 'bike', 'ride', 'concert', 'quiz', 'auction', 'abseil', 'skydive', 'festival', 'fun run', 'sponsored']] },
  { label: 'Acquisition', weight: 4, all: [['acq', 'acquisition', 'cold', 'recruit', 'recruitment', 'prospecting', 'new donors', 'door drop', 'insert', 'inserts', 'swap', 'reciprocal']] },
  { label: 'Appeal', weight: 4, all: [['appeal', 'appeals', 'eappeal', 'ask']] },
  { label: 'Appeal', weight: 2, all: [['xmas', 'xms', 'christmas', 'easter', 'spring', 'summer', 'autumn', 'winter', 'cash', 'tax', 'year end', 'giving tuesday', 'lent', 'ramadan', 'zakat']] },
];

/** The channel rule table; docs/campaign-tagging.md lists it for fundraisers. */
export const channelRules: readonly TagRule<SolicitationChannel>[] = [
  { label: 'SMS', weight: 6, all: [['sms', 'text', 'texts', 'txt', 'text giving', 'shortcode', 'short code']] },
  { label: 'Email', weight: 6, all: [['email', 'emails', 'emailing', 'enews', 'enewsletter', 'eshot', 'eshots', 'edm', 'eappeal', 'ebulletin', 'eupdate', 'ecard', 'ecards']] },
  { label: 'Face-to-Face', weight: 6, all: [['f2f', 'street', 'doorstep', 'd2d', 'door to door', 'private site', 'face to face', 'visit', 'visits', 'meeting', 'meetings']] },
  { label: 'Phone', weight: 5, all: [['phone', 'phones', 'call', 'calls', 'calling', 'telephone', 'tele', 'telemarketing', 'tm', 'telefundraising']] },
  { label: 'Digital/Online', weight: 5, all: [['online', 'digital', 'dig', 'web', 'website', 'social', 'facebook', 'instagram', 'tiktok', 'ppc', 'search', 'google', 'paid social', 'display', 'crowdfunding', 'justgiving', 'just giving', 'banner']] },
  { label: 'Event', weight: 5, all: [['event', 'events', 'walk', 'run', 'marathon', 'gala', 'dinner', 'ball', 'challenge', 'concert', 'quiz', 'festival', 'trek', 'swim', 'cycle', 'abseil', 'skydive', 'fun run', 'sponsored']] },
  { label: 'Direct Mail', weight: 5, all: [['dm', 'mail', 'mailing', 'mailings', 'mailer', 'mailshot', 'letter', 'letters', 'pack', 'packs', 'post', 'postal', 'posted', 'insert', 'inserts', 'leaflet', 'leaflets', 'door drop', 'catalogue', 'magazine']] },
  { label: 'Direct Mail', weight: 2, all: [['appeal', 'newsletter', 'legacy', 'wills', 'xmas', 'christmas', 'raffle', 'lottery']] },
];

/** A label no rule names still gets this score, so a name nothing matches leans to "Other", weakly. */
const otherBaseScore = 0.5;

function compile(words: readonly string[]): RegExp {
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // eslint-disable-next-line security/detect-non-literal-regexp -- built from the constant rule tables above, escaped
  return new RegExp(`(?:^| )(?:${escaped.join('|')})(?= |$)`);
}

interface CompiledRule {
  readonly labelIndex: number;
  readonly weight: number;
  readonly all: readonly RegExp[];
}

function compileRules<Label extends string>(rules: readonly TagRule<Label>[], labels: readonly Label[]): readonly CompiledRule[] {
  return rules.map((rule) => ({ labelIndex: labels.indexOf(rule.label), weight: rule.weight, all: rule.all.map(compile) }));
}

const compiledCategoryRules = compileRules(categoryRules, campaignCategories);
const compiledChannelRules = compileRules(channelRules, solicitationChannels);

function ruleLogScores(text: string, rules: readonly CompiledRule[], labelCount: number, otherIndex: number): number[] {
  const scores = new Array<number>(labelCount).fill(0);
  scores[otherIndex] = otherBaseScore;
  for (const rule of rules) {
    if (rule.all.every((pattern) => pattern.test(text))) scores[rule.labelIndex] = (scores[rule.labelIndex] ?? 0) + rule.weight;
  }
  return scores;
}

/** The rule prior's log-scores (unnormalised log-probabilities) over every category and channel, in vocabulary order. */
export function rulePriorScores(campaign: CampaignDescription): { readonly category: number[]; readonly channel: number[] } {
  const text = [...campaignTokens(campaign.name), ...campaignTokens(campaign.code ?? '')].join(' ');
  return {
    category: ruleLogScores(text, compiledCategoryRules, campaignCategories.length, campaignCategories.indexOf('Other')),
    channel: ruleLogScores(text, compiledChannelRules, solicitationChannels.length, solicitationChannels.indexOf('Other')),
  };
}
