import { describe, expect, it } from 'vitest';
import { campaignCategories, solicitationChannels } from '@kindling/crm-import';
import { CATEGORIES, CHANNELS, campaignTagQuery, parseCampaignTagList, type CampaignGroup, type CampaignRow, type CampaignTagList, type Coverage } from './campaign-tags-api';
import { acceptSuggestions, confidenceLabel, coverageAdvice, formatShare, needsTag, rowsOf, savedMessage, skipAll, tagOfDecision, withPending } from './tagging-state';

function row(id: string, overrides: Partial<CampaignRow> = {}): CampaignRow {
  return {
    id,
    name: `Campaign ${id}`,
    code: null,
    gifts: 10,
    revenue: 250,
    tag: { category: null, channel: null, source: 'none' },
    suggestion: { category: 'Appeal', categoryProbability: 0.9, channel: 'Direct Mail', channelProbability: 0.85, confident: true, source: 'rules' },
    ...overrides,
  };
}

const coverage: Coverage = { gifts: { tagged: 60, total: 100, share: 0.6 }, revenue: { tagged: 7000, total: 10000, share: 0.7 }, askForMore: true, untaggedRevenue: 3000 };

function listOf(campaigns: CampaignGroup[]): CampaignTagList {
  return { campaigns, total: campaigns.length, coverage };
}

describe('the vocabularies', () => {
  it('are the reference schema’s, in the same order', () => {
    expect(CATEGORIES).toEqual(campaignCategories);
    expect(CHANNELS).toEqual(solicitationChannels);
  });
});

describe('pending decisions', () => {
  const xmas: CampaignGroup = { ...row('xmas'), packages: [row('xmas-a', { tag: { category: null, channel: null, source: 'none' } }), row('xmas-b', { tag: { category: 'Appeal', channel: 'Email', source: 'crm' } })] };

  it('show a confirmed tag at once, passing it to the packages that have none of their own', () => {
    const pending = new Map([['xmas', tagOfDecision({ campaignId: 'xmas', category: 'Emergency', channel: 'Phone' })]]);
    const shown = rowsOf(withPending(listOf([xmas]), pending));
    expect(shown.map((item) => [item.id, item.tag])).toEqual([
      ['xmas', { category: 'Emergency', channel: 'Phone', source: 'person' }],
      ['xmas-a', { category: 'Emergency', channel: 'Phone', source: 'campaign' }],
      ['xmas-b', { category: 'Appeal', channel: 'Email', source: 'crm' }],
    ]);
  });

  it('show a skip as skipped, and a skipped campaign passes nothing down', () => {
    const tagged: CampaignGroup = { ...xmas, packages: [row('xmas-a', { tag: { category: 'Appeal', channel: 'Direct Mail', source: 'campaign' } })] };
    const shown = rowsOf(withPending(listOf([tagged]), new Map([['xmas', tagOfDecision({ campaignId: 'xmas', skip: true })]])));
    expect(shown.map((item) => item.tag.source)).toEqual(['skipped', 'none']);
    expect(needsTag(shown[0] ?? row('x'))).toBe(false);
    expect(needsTag(shown[1] ?? row('x'))).toBe(true);
  });

  it('keep packages folded under their campaign unless it is unfolded', () => {
    const list = listOf([xmas, { ...row('raffle'), packages: [] }]);
    expect(rowsOf(list, new Set()).map((item) => item.id)).toEqual(['xmas', 'raffle']);
    expect(rowsOf(list, new Set(['xmas'])).map((item) => item.id)).toEqual(['xmas', 'xmas-a', 'xmas-b', 'raffle']);
  });

  it('change nothing when there are none', () => {
    const list = listOf([xmas]);
    expect(withPending(list, new Map())).toBe(list);
  });
});

describe('bulk decisions', () => {
  const rows = [row('a'), row('b', { suggestion: { category: 'Raffle/Lottery', categoryProbability: 0.95, channel: 'Phone', channelProbability: 0.7, confident: false, source: 'learned' } }), row('c')];

  it('accept each chosen row’s suggestion, and skip the chosen rows', () => {
    expect(acceptSuggestions(rows, new Set(['b', 'c']))).toEqual([
      { campaignId: 'b', category: 'Raffle/Lottery', channel: 'Phone' },
      { campaignId: 'c', category: 'Appeal', channel: 'Direct Mail' },
    ]);
    expect(skipAll(rows, new Set(['a']))).toEqual([{ campaignId: 'a', skip: true }]);
  });

  it('describe confidence by the weaker part', () => {
    expect(confidenceLabel(rows[0] ?? row('x'))).toBe('Very likely (85%)');
    expect(confidenceLabel(rows[1] ?? row('x'))).toBe('Likely (70%)');
  });
});

describe('words on the screen', () => {
  it('names the untagged revenue while coverage is under 80 %', () => {
    expect(coverageAdvice(coverage)).toBe(
      '3,000 of revenue (30%) comes from campaigns without a category and channel. The models need at least 80% of gifts and of revenue tagged: tag the biggest campaigns below first.',
    );
    expect(coverageAdvice({ ...coverage, askForMore: false })).toMatch(/^Enough of your giving is tagged/);
    expect(coverageAdvice({ ...coverage, gifts: { tagged: 0, total: 0, share: 1 } })).toMatch(/^No gifts are linked/);
  });

  it('never rounds an incomplete share up to 100 %', () => {
    expect(formatShare(0.998)).toBe('99%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(0.804)).toBe('80%');
  });

  it('says what a save did', () => {
    expect(savedMessage({ confirmed: 12, skipped: 0 })).toBe('12 campaigns tagged.');
    expect(savedMessage({ confirmed: 1, skipped: 2 })).toBe('1 campaign tagged, 2 skipped.');
  });

  it('puts the filter, the search and the page size in the query', () => {
    expect(campaignTagQuery({ filter: 'untagged', search: '  xmas ', limit: 100 })).toBe('?filter=untagged&limit=100&search=xmas');
    expect(campaignTagQuery({ filter: 'all', search: '', limit: 200 })).toBe('?filter=all&limit=200');
  });
});

describe('parseCampaignTagList', () => {
  const body = { campaigns: [{ ...row('a'), packages: [row('a1')] }], total: 1, coverage, learnedFrom: { category: 0, channel: 0 } };

  it('reads the API’s answer', () => {
    expect(parseCampaignTagList(body)).toEqual({ campaigns: [{ ...row('a'), packages: [row('a1')] }], total: 1, coverage });
  });

  it('refuses a tag outside the vocabulary, naming where it is', () => {
    const bad = { ...body, campaigns: [{ ...row('a', { tag: { category: 'Fun', channel: null, source: 'crm' } as never }), packages: [] }] };
    expect(() => parseCampaignTagList(bad)).toThrow(/campaignTags\.campaigns\[0\]\.tag/);
  });
});
