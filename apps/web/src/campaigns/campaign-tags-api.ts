import { getJson, sendJson } from '../api/api-client';
import { array, field, isBoolean, isNumber, isString, isStringOrNull, object, oneOf, type Json } from '../api/json-shape';

/*
 * The campaign-tag API (GET …/campaign-tags, POST …/campaign-tags/decisions). The vocabularies
 * are @kindling/crm-import's; a unit test holds these copies equal to them (the web app reaches
 * the server's code only over HTTP).
 */

export const CATEGORIES = [
  'Appeal',
  'Newsletter',
  'Acquisition',
  'Emergency',
  'Event',
  'Raffle/Lottery',
  'Merchandise',
  'Community',
  'Peer-to-Peer',
  'Gifts in Will',
  'Trusts & Foundations',
  'Major Gifts',
  'Membership',
  'RG Acquisition',
  'RG Upgrade',
  'RG Retention',
  'RG Reactivation',
  'Other',
] as const;
export const CHANNELS = ['Direct Mail', 'Email', 'Phone', 'SMS', 'Face-to-Face', 'Digital/Online', 'Event', 'Other'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Channel = (typeof CHANNELS)[number];

export const TAG_SOURCES = ['person', 'crm', 'campaign', 'skipped', 'none'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];
export type TagFilter = 'untagged' | 'suggested' | 'all';

export interface Tag {
  category: Category | null;
  channel: Channel | null;
  source: TagSource;
}

export interface Suggestion {
  category: Category;
  categoryProbability: number;
  channel: Channel;
  channelProbability: number;
  confident: boolean;
  source: 'rules' | 'learned';
}

export interface CampaignRow {
  id: string;
  name: string;
  code: string | null;
  gifts: number;
  revenue: number;
  tag: Tag;
  suggestion: Suggestion;
}

export interface CampaignGroup extends CampaignRow {
  packages: CampaignRow[];
}

export interface CoverageShare {
  tagged: number;
  total: number;
  share: number;
}

export interface Coverage {
  gifts: CoverageShare;
  revenue: CoverageShare;
  askForMore: boolean;
  untaggedRevenue: number;
}

export interface CampaignTagList {
  campaigns: CampaignGroup[];
  total: number;
  coverage: Coverage;
}

export type Decision = { campaignId: string; category: Category; channel: Channel } | { campaignId: string; skip: true };

const isCategory = oneOf(CATEGORIES);
const isChannel = oneOf(CHANNELS);
const isCategoryOrNull = (value: unknown): value is Category | null => value === null || isCategory(value);
const isChannelOrNull = (value: unknown): value is Channel | null => value === null || isChannel(value);

function parseRow(source: Json, at: string): CampaignRow {
  const tag = object(source.tag, `${at}.tag`);
  const suggestion = object(source.suggestion, `${at}.suggestion`);
  return {
    id: field(source, 'id', at, isString),
    name: field(source, 'name', at, isString),
    code: field(source, 'code', at, isStringOrNull),
    gifts: field(source, 'gifts', at, isNumber),
    revenue: field(source, 'revenue', at, isNumber),
    tag: {
      category: field(tag, 'category', `${at}.tag`, isCategoryOrNull),
      channel: field(tag, 'channel', `${at}.tag`, isChannelOrNull),
      source: field(tag, 'source', `${at}.tag`, oneOf(TAG_SOURCES)),
    },
    suggestion: {
      category: field(suggestion, 'category', `${at}.suggestion`, isCategory),
      categoryProbability: field(suggestion, 'categoryProbability', `${at}.suggestion`, isNumber),
      channel: field(suggestion, 'channel', `${at}.suggestion`, isChannel),
      channelProbability: field(suggestion, 'channelProbability', `${at}.suggestion`, isNumber),
      confident: field(suggestion, 'confident', `${at}.suggestion`, isBoolean),
      source: field(suggestion, 'source', `${at}.suggestion`, oneOf(['rules', 'learned'] as const)),
    },
  };
}

function parseShare(source: Json, at: string): CoverageShare {
  return { tagged: field(source, 'tagged', at, isNumber), total: field(source, 'total', at, isNumber), share: field(source, 'share', at, isNumber) };
}

export function parseCampaignTagList(body: unknown): CampaignTagList {
  const root = object(body, 'campaignTags');
  const coverage = object(root.coverage, 'campaignTags.coverage');
  return {
    campaigns: array(root.campaigns, 'campaignTags.campaigns').map((value, index) => {
      const at = `campaignTags.campaigns[${String(index)}]`;
      const source = object(value, at);
      return {
        ...parseRow(source, at),
        packages: array(source.packages, `${at}.packages`).map((item, packageIndex) => parseRow(object(item, `${at}.packages[${String(packageIndex)}]`), `${at}.packages[${String(packageIndex)}]`)),
      };
    }),
    total: field(root, 'total', 'campaignTags', isNumber),
    coverage: {
      gifts: parseShare(object(coverage.gifts, 'campaignTags.coverage.gifts'), 'campaignTags.coverage.gifts'),
      revenue: parseShare(object(coverage.revenue, 'campaignTags.coverage.revenue'), 'campaignTags.coverage.revenue'),
      askForMore: field(coverage, 'askForMore', 'campaignTags.coverage', isBoolean),
      untaggedRevenue: field(coverage, 'untaggedRevenue', 'campaignTags.coverage', isNumber),
    },
  };
}

export function parseDecisionCounts(body: unknown): { confirmed: number; skipped: number } {
  const root = object(body, 'decisionCounts');
  return { confirmed: field(root, 'confirmed', 'decisionCounts', isNumber), skipped: field(root, 'skipped', 'decisionCounts', isNumber) };
}

const campaignTagsPath = (orgId: string) => `/api/v1/organisations/${encodeURIComponent(orgId)}/campaign-tags`;

/** The query of a list request: a filter, a search (campaign names and codes, not personal data) and a page size. */
export function campaignTagQuery(query: { filter: TagFilter; search: string; limit: number }): string {
  const parameters = new URLSearchParams({ filter: query.filter, limit: String(query.limit) });
  if (query.search.trim() !== '') parameters.set('search', query.search.trim());
  return `?${parameters.toString()}`;
}

export function fetchCampaignTags(orgId: string, query: { filter: TagFilter; search: string; limit: number }, signal?: AbortSignal): Promise<CampaignTagList> {
  return getJson(`${campaignTagsPath(orgId)}${campaignTagQuery(query)}`, parseCampaignTagList, signal);
}

export function saveTagDecisions(orgId: string, decisions: readonly Decision[]): Promise<{ confirmed: number; skipped: number }> {
  return sendJson('POST', `${campaignTagsPath(orgId)}/decisions`, { decisions }, parseDecisionCounts);
}
