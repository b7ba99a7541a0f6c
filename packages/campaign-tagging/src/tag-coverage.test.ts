import { describe, expect, it } from 'vitest';
import { coverageTarget, tagCoverage, type CampaignGifts } from './tag-coverage.js';
import { generateDemoCampaigns } from './test-support/demo-campaigns.js';

describe('tag coverage', () => {
  const gifts = new Map<string, CampaignGifts>([
    ['SPR', { count: 600, revenue: 12_000 }],
    ['XMS', { count: 300, revenue: 9_000 }],
    ['RAF', { count: 100, revenue: 9_000 }],
  ]);

  it('counts gifts and revenue of campaigns with both tags', () => {
    const coverage = tagCoverage(
      [
        { id: 'SPR', category: 'Appeal', channel: 'Direct Mail' },
        { id: 'XMS', category: 'Appeal', channel: 'Direct Mail' },
        { id: 'RAF', category: 'Raffle/Lottery' },
      ],
      gifts,
    );
    expect(coverage.gifts).toEqual({ tagged: 900, total: 1000, share: 0.9 });
    expect(coverage.revenue).toEqual({ tagged: 21_000, total: 30_000, share: 0.7 });
    // 90 % of gifts but only 70 % of revenue: the raffle's big tickets still need a channel.
    expect(coverage.askForMore).toBe(true);
  });

  it('stops asking at the 80 % target, and treats unknown campaigns as untagged', () => {
    expect(coverageTarget).toBe(0.8);
    const tagged = [
      { id: 'SPR', category: 'Appeal', channel: 'Direct Mail' },
      { id: 'RAF', category: 'Raffle/Lottery', channel: 'Direct Mail' },
    ] as const;
    const coverage = tagCoverage(tagged, new Map([...gifts, ['XMS', { count: 250, revenue: 5_250 }]]));
    expect(coverage.gifts.share).toBe(700 / 950);
    expect(coverage.askForMore).toBe(true);
    const atTarget = tagCoverage(tagged, new Map([['SPR', { count: 80, revenue: 800 }], ['UNKNOWN', { count: 20, revenue: 200 }]]));
    expect(atTarget).toMatchObject({ gifts: { share: 0.8 }, revenue: { share: 0.8 }, askForMore: false });
  });

  it('has nothing to ask when there are no gifts', () => {
    expect(tagCoverage([], new Map())).toEqual({ gifts: { tagged: 0, total: 0, share: 1 }, revenue: { tagged: 0, total: 0, share: 1 }, askForMore: false });
  });

  it('measures a demo organisation tagged only in its later years', async () => {
    const campaigns = (await generateDemoCampaigns({ contacts: 500, years: 6, seed: 'tag-coverage' })).filter((campaign) => !campaign.isPackage);
    const byId = new Map(campaigns.map((campaign) => [campaign.id, campaign.gifts]));
    const recentOnly = campaigns.map(({ id, year, category, channel }) => (year >= 2023 ? { id, category, channel } : { id }));
    const coverage = tagCoverage(recentOnly, byId);
    const recent = campaigns.filter((campaign) => campaign.year >= 2023);
    const sum = (list: typeof campaigns, pick: (gifts: CampaignGifts) => number) => list.reduce((total, campaign) => total + pick(campaign.gifts), 0);
    expect(coverage.gifts).toEqual({ tagged: sum(recent, (g) => g.count), total: sum(campaigns, (g) => g.count), share: sum(recent, (g) => g.count) / sum(campaigns, (g) => g.count) });
    expect(coverage.gifts.share).toBeGreaterThan(0.3);
    expect(coverage.askForMore).toBe(true);
    expect(tagCoverage(campaigns, byId).askForMore).toBe(false);
  });
});
