import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from '../test-support/cli-process.js';

let root: string;
beforeAll(async () => {
  assertCliBuilt();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-demo-cli-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('kindling demo-data', () => {
  it('writes the chosen layout and its ground truth, without any configuration', async () => {
    const out = path.join(root, 'npsp');
    const cli = runCli(['demo-data', '--contacts', '120', '--years', '4', '--seed', 'cli', '--format', 'npsp', '--out', out], { KINDLING_HOME: root });
    expect((await cli.exited()).code).toBe(0);
    expect(cli.output()).toMatch(/^demo data \(npsp, seed "cli"\) written to .+ in \d+\.\d s:\n {2}120 contacts \(\+\d+ duplicates\), [\d,]+ gifts, [\d,]+ recurring plans, [\d,]+ communications, \d+ campaigns\n/u);
    expect((await fs.readdir(out)).sort()).toEqual(['Campaign.csv', 'CampaignMember.csv', 'Contact.csv', 'Opportunity.csv', 'ground-truth.csv', 'npe03__Recurring_Donation__c.csv']);
    const opportunities = await fs.readFile(path.join(out, 'Opportunity.csv'), 'utf8');
    expect(opportunities.split('\n')[0]).toBe('Id,AccountId,npsp__Primary_Contact__c,Name,StageName,CloseDate,Amount,CurrencyIsoCode,CampaignId,Type,npe03__Recurring_Donation__c');
  });

  it('names every bad option and exits 1 without writing', async () => {
    const out = path.join(root, 'refused');
    const cli = runCli(['demo-data', '--contacts', '0', '--years', '2.5', '--format', 'salesforce', '--out', out], { KINDLING_HOME: root });
    expect((await cli.exited()).code).toBe(1);
    expect(cli.errors()).toBe('kindling: --contacts must be at least 1; --years must be a whole number; --format must be one of generic, npsp, re-nxt, dynamics\n');
    await expect(fs.access(out)).rejects.toThrow();
  });
});
