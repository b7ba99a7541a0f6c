import { describe, expect, it } from 'vitest';
import { campaignTokens } from './campaign-features.js';

describe('campaign tokens', () => {
  it.each([
    ['XMAS24', ['xmas']],
    ['Xmas Appeal 2024', ['xmas', 'appeal']],
    ['RG-UPG-Q1', ['rg', 'upg', 'q']],
    ['F2F Acq', ['f2f', 'acq']],
    ['Legacy mailing', ['legacy', 'mailing']],
    ['SMS £5 emergency', ['sms', 'emergency']],
    ['Summer E-News / e-mail', ['summer', 'enews', 'email']],
    ['SpringAppeal_Lapsed', ['spring', 'appeal', 'lapsed']],
    ['Trusts & Foundations', ['trusts', 'and', 'foundations']],
    ['Café Noël', ['cafe', 'noel']],
  ])('%s → %j', (text, tokens) => {
    expect(campaignTokens(text)).toEqual(tokens);
  });
});
