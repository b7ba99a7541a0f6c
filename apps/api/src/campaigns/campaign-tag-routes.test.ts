import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@kindling/db';
import { signUpOwner, startIdentityTestApp, type IdentityTestApp, type SignedUpOwner } from '../test-support/identity-test-app.js';

interface Row {
  id: string;
  name: string;
  gifts: number;
  revenue: number;
  tag: { category: string | null; channel: string | null; source: string };
  suggestion: { category: string; channel: string; confident: boolean };
}
interface Listing {
  campaigns: (Row & { packages: Row[] })[];
  total: number;
  coverage: { gifts: { tagged: number; total: number; share: number }; revenue: { tagged: number; total: number; share: number }; askForMore: boolean; untaggedRevenue: number };
}
interface ErrorBody {
  error: { code: string; details?: { issues?: { path: string; message: string }[] } };
}

describe('campaign-tag routes', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;
  let other: SignedUpOwner;
  const ids = new Map<string, string>();

  /** Campaigns (one with a package) and a gift on each, written as an import would. */
  async function seedCampaigns(orgId: string): Promise<void> {
    await withTenant(testApp.harness.database.appDb, { orgId }, async (trx) => {
      const contact = randomUUID();
      await trx.insertInto('contact').values({ id: contact, org_id: orgId, external_id_ciphertext: randomBytes(80), external_id_blind_index: randomBytes(32), kind: 'individual' }).execute();
      const campaigns = [
        { external_id: 'XMAS', name: 'Christmas appeal', category: 'Appeal', channel: 'Direct Mail', amount: 300 },
        { external_id: 'RAFFLE', name: 'Summer raffle', category: null, channel: null, amount: 100 },
        { external_id: 'SMS', name: 'SMS emergency appeal', category: null, channel: null, amount: 50 },
      ];
      for (const campaign of campaigns) {
        const row = await trx
          .insertInto('campaign')
          .values({ org_id: orgId, external_id: campaign.external_id, name: campaign.name, category: campaign.category, channel: campaign.channel, row_hash: randomBytes(32) })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.set(campaign.name, row.id);
        await trx
          .insertInto('gift')
          .values({ org_id: orgId, external_id: randomUUID(), contact_id: contact, gift_date: '2024-06-01', amount: campaign.amount, currency: 'GBP', campaign_external_id: campaign.external_id, row_hash: randomBytes(32) })
          .execute();
      }
    });
  }

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'tags.owner@example.org');
    other = await signUpOwner(testApp, 'tags.other@example.org');
    await seedCampaigns(owner.organisationId);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const listPath = (orgId: string, query = ''): string => `/api/v1/organisations/${orgId}/campaign-tags${query}`;
  const decisionsPath = (orgId: string): string => `/api/v1/organisations/${orgId}/campaign-tags/decisions`;
  const id = (name: string): string => ids.get(name) ?? '';

  it('lists campaigns with tags, suggestions and coverage, records decisions and audits their counts', async () => {
    const before = await owner.browser.get<Listing>(listPath(owner.organisationId));
    expect(before.status).toBe(200);
    expect(before.body.campaigns.map((row) => [row.name, row.gifts, row.revenue, row.tag.source])).toEqual([
      ['Christmas appeal', 1, 300, 'crm'],
      ['Summer raffle', 1, 100, 'none'],
      ['SMS emergency appeal', 1, 50, 'none'],
    ]);
    expect(before.body.coverage).toMatchObject({ gifts: { tagged: 1, total: 3 }, revenue: { tagged: 300, total: 450 }, askForMore: true, untaggedRevenue: 150 });
    const raffle = before.body.campaigns.find((row) => row.name === 'Summer raffle');
    expect(raffle?.suggestion).toMatchObject({ category: 'Raffle/Lottery' });

    const decided = await owner.browser.post(decisionsPath(owner.organisationId), {
      decisions: [
        { campaignId: id('Summer raffle'), category: 'Raffle/Lottery', channel: 'Direct Mail' },
        { campaignId: id('SMS emergency appeal'), skip: true },
      ],
    });
    expect(decided).toMatchObject({ status: 200, body: { confirmed: 1, skipped: 1 } });
    const after = await owner.browser.get<Listing>(listPath(owner.organisationId, '?filter=all'));
    expect(after.body.coverage).toMatchObject({ gifts: { tagged: 2, total: 3 }, revenue: { tagged: 400, total: 450 }, askForMore: true });
    expect(after.body.campaigns.find((row) => row.name === 'Summer raffle')?.tag).toEqual({ category: 'Raffle/Lottery', channel: 'Direct Mail', source: 'person' });
    const untagged = await owner.browser.get<Listing>(listPath(owner.organisationId, '?filter=untagged'));
    expect(untagged.body.total).toBe(0);

    const audit = await owner.browser.get<{ events: { action: string; details: Record<string, unknown> }[] }>(`/api/v1/organisations/${owner.organisationId}/audit-events?action=campaign.tags_decided`);
    expect(audit.body.events).toEqual([expect.objectContaining({ action: 'campaign.tags_decided', details: { confirmed: 1, skipped: 1 } })]);
  });

  it('names the field at fault in a validation error', async () => {
    const post = (decisions: unknown) => owner.browser.post<ErrorBody>(decisionsPath(owner.organisationId), { decisions });
    const paths = async (decisions: unknown): Promise<string[]> => {
      const response = await post(decisions);
      expect(response.status).toBe(422);
      return (response.body.error.details?.issues ?? []).map((issue) => issue.path);
    };
    expect(await paths([{ campaignId: id('Summer raffle'), category: 'Fun', channel: 'Email' }])).toEqual(['decisions.0.category']);
    expect(await paths([{ campaignId: id('Summer raffle'), category: 'Appeal' }])).toEqual(['decisions.0.channel']);
    expect(await paths([{ campaignId: id('Summer raffle'), skip: true, channel: 'Email' }])).toEqual(['decisions.0']);
    expect(await paths([{ campaignId: 'not-an-id', skip: true }])).toEqual(['decisions.0.campaignId']);
    expect(await paths([{ campaignId: id('Summer raffle'), skip: true }, { campaignId: id('Summer raffle'), skip: true }])).toEqual(['decisions.1.campaignId']);
    expect(await paths('all of them')).toEqual(['decisions']);
    const query = await owner.browser.get<ErrorBody>(listPath(owner.organisationId, '?filter=mine'));
    expect(query.status).toBe(422);
    expect(query.body.error.details?.issues?.map((issue) => issue.path)).toEqual(['filter']);
  });

  it('answers 404 for another organisation and its campaigns, and changes nothing', async () => {
    expect((await other.browser.get(listPath(owner.organisationId))).status).toBe(404);
    const foreign = await other.browser.post(decisionsPath(other.organisationId), { decisions: [{ campaignId: id('Christmas appeal'), skip: true }] });
    expect(foreign.status).toBe(404);
    const mine = await owner.browser.get<Listing>(listPath(owner.organisationId));
    expect(mine.body.campaigns.find((row) => row.name === 'Christmas appeal')?.tag.source).toBe('crm');
  });

  it('lets a viewer token read but not decide; an analyst token decides', async () => {
    const tokenOf = async (role: string): Promise<string> =>
      (await owner.browser.post<{ token: string }>(`/api/v1/organisations/${owner.organisationId}/api-tokens`, { name: `tags ${role}`, role, expiresInDays: 1 })).body.token;
    const call = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${testApp.server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const viewer = await tokenOf('viewer');
    const analyst = await tokenOf('analyst');
    const decision = { decisions: [{ campaignId: id('Christmas appeal'), category: 'Appeal', channel: 'Email' }] };
    expect((await call(viewer, 'GET', listPath(owner.organisationId))).status).toBe(200);
    expect((await call(viewer, 'POST', decisionsPath(owner.organisationId), decision)).status).toBe(403);
    const byAnalyst = await call(analyst, 'POST', decisionsPath(owner.organisationId), decision);
    expect(byAnalyst.status).toBe(200);
    expect(await byAnalyst.json()).toEqual({ confirmed: 1, skipped: 0 });
  });
});
