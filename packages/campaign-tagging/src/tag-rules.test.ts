import { readFile } from 'node:fs/promises';
import { campaignCategories, solicitationChannels } from '@kindling/crm-import';
import { describe, expect, it } from 'vitest';
import { categoryRules, channelRules } from './tag-rules.js';
import { ruleOnlySuggester, suggestTags } from './tag-suggester.js';

describe('the keyword rule prior', () => {
  it.each([
    ['XMAS24', undefined, 'Appeal', 'Direct Mail'],
    ['Xmas Appeal 2024', 'XMAS24', 'Appeal', 'Direct Mail'],
    ['RG-UPG-Q1', undefined, 'RG Upgrade', undefined],
    ['F2F Acq', undefined, 'RG Acquisition', 'Face-to-Face'],
    ['Legacy mailing', undefined, 'Gifts in Will', 'Direct Mail'],
    ['SMS £5 emergency', undefined, 'Emergency', 'SMS'],
    ['Summer E-News', 'ENEWS-SUM', 'Newsletter', 'Email'],
    ['DD reactivation calls 2023', undefined, 'RG Reactivation', 'Phone'],
    ['Monthly giving welcome calls', undefined, 'RG Retention', 'Phone'],
    ['Trusts and foundations grant applications', 'TF24', 'Trusts & Foundations', undefined],
    ['Spring raffle 2025', undefined, 'Raffle/Lottery', undefined],
    ['London Marathon 2024', 'EVT-LM24', 'Event', 'Event'],
    ['Online shop Christmas cards', undefined, 'Merchandise', 'Digital/Online'],
    ['Membership renewal letter', undefined, 'Membership', 'Direct Mail'],
    ['Major donor dinner', undefined, 'Major Gifts', 'Event'],
    ['Church collections', undefined, 'Community', undefined],
    ['JustGiving birthday fundraisers', undefined, 'Peer-to-Peer', 'Digital/Online'],
    ['Cold mail acquisition pack', 'ACQ-COLD', 'Acquisition', 'Direct Mail'],
    ['Door drop leaflets', undefined, 'Acquisition', 'Direct Mail'],
  ] as const)('%s (%s) → %s / %s', (name, code, category, channel) => {
    const [suggestion] = suggestTags(ruleOnlySuggester, [{ name, ...(code === undefined ? {} : { code }) }]);
    expect(suggestion?.category.label).toBe(category);
    expect(suggestion?.category.source).toBe('rules');
    if (channel !== undefined) expect(suggestion?.channel.label).toBe(channel);
  });

  it('is unsure, and says so, when no rule matches', () => {
    const [suggestion] = suggestTags(ruleOnlySuggester, [{ name: 'Misc income 2024', code: 'MISC24' }]);
    expect(suggestion?.category).toMatchObject({ label: 'Other', confident: false });
    expect(suggestion?.category.probability).toBeLessThan(0.2);
    expect(suggestion?.channel).toMatchObject({ label: 'Other', confident: false });
  });

  it('is confident for an unambiguous name and not for a weak hint', () => {
    const [strong, weak] = suggestTags(ruleOnlySuggester, [{ name: 'Legacy mailing' }, { name: 'XMAS24' }]);
    expect(strong?.category.confident).toBe(true);
    expect(strong?.category.probability).toBeGreaterThan(0.8);
    expect(weak?.category.confident).toBe(false);
    expect(weak?.category.runnerUp.probability).toBeLessThan(weak?.category.probability ?? 0);
  });

  it('names only labels of the shared vocabulary', () => {
    for (const rule of categoryRules) expect(campaignCategories).toContain(rule.label);
    for (const rule of channelRules) expect(solicitationChannels).toContain(rule.label);
  });

  it('is listed as it is in docs/campaign-tagging.md', async () => {
    const docs = await readFile(new URL('../../../docs/campaign-tagging.md', import.meta.url), 'utf8');
    for (const rule of [...categoryRules, ...channelRules]) {
      expect(docs).toContain(`| ${rule.label} | ${String(rule.weight)} | ${rule.all.map((words) => words.join(' · ')).join(' **and** ')} |`);
    }
  });
});
