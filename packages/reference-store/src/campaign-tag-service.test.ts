import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaignCategories, importPresetNamed, solicitationChannels } from '@kindling/crm-import';
import { createDataProtection, createLocalRootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, withTenant } from '@kindling/db';
import { createTestDatabase, hmacBlindIndexForTests, seedMembership, seedOrganisation, seedUser, type TestDatabase } from '@kindling/db/testing';
import { createEncryptedObjectStore, createLocalFolderStore } from '@kindling/object-store';
import { createCampaignTagService, runImport, type CampaignTagGroup, type CampaignTagService, type ImportDependencies } from './index.js';

let db: TestDatabase;
let folder: string;
let deps: ImportDependencies;
let service: CampaignTagService;
const meta = { clientAddress: '192.0.2.7', userAgent: 'vitest' };
const blindIndex = hmacBlindIndexForTests(randomBytes(32));

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-campaign-tags-test-'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: folder });
  deps = { db: db.appDb, fields, objectStore: (orgId) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId }) };
  service = createCampaignTagService({ db: db.appDb });
});
afterAll(async () => {
  await db.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield new TextEncoder().encode(text);
}

const csv = (rows: readonly (readonly (string | number)[])[]): string => rows.map((row) => row.join(',')).join('\n');

async function importFiles(orgId: string, files: Readonly<Record<string, string>>): Promise<void> {
  const outcome = await runImport(deps, {
    orgId,
    preset: importPresetNamed('generic'),
    mode: 'complete',
    organisationCurrency: 'GBP',
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: bytes(text) })),
    actor: { userId: null, tokenId: null },
    maxRejectedShare: 0,
    limits: { maxEntries: 10, maxTotalBytes: 1024 * 1024, maxRatio: 200 },
  });
  expect(outcome.status, outcome.problem ?? '').toBe('applied');
}

async function organisationWith(role: 'owner' | 'viewer' = 'owner'): Promise<{ orgId: string; userId: string }> {
  const orgId = (await seedOrganisation(db.ownerDb)).id;
  const user = await seedUser(db.ownerDb, `${randomBytes(6).toString('hex')}@example.org`, blindIndex);
  await seedMembership(db.ownerDb, orgId, user.id, role);
  return { orgId, userId: user.id };
}

const contactsCsv = csv([['external_id', 'kind'], ['C1', 'individual'], ['C2', 'individual'], ['C3', 'individual']]);
const campaignHeader = ['external_id', 'parent_external_id', 'name', 'code', 'category', 'channel'];
const campaignRows = [
  ['XMAS24', '', 'Christmas appeal 2024', 'XMAS24', 'Appeal', 'Direct Mail'],
  ['XMAS24-A', 'XMAS24', 'Christmas appeal 2024: active', 'XMAS24A', '', ''],
  ['RAFFLE24', '', 'Summer raffle', 'RAF24', '', ''],
  ['MISC', '', 'Misc income', '', '', ''],
  ['SPRING', '', 'Spring thing', 'SPR', '', ''],
];
/** Gifts as [id, contact, amount, campaign, package]: the coverage below is computed from this list. */
const gifts: readonly (readonly [string, string, number, string, string])[] = [
  ['G1', 'C1', 25, 'XMAS24', 'XMAS24-A'],
  ['G2', 'C2', 1250, 'XMAS24', ''],
  ['G3', 'C3', 10, '', ''],
  ['G4', 'C1', 100, 'RAFFLE24', ''],
  ['G5', 'C2', 40, 'MISC', ''],
  ['G6', 'C3', 5, 'GONE', ''],
];
const giftsCsv = csv([
  ['external_id', 'contact_external_id', 'date', 'amount', 'type', 'campaign_external_id', 'package_external_id'],
  ...gifts.map(([id, contact, amount, campaign, pkg]) => [id, contact, '2024-12-01', amount.toFixed(2), 'one-off', campaign, pkg]),
]);

/** Coverage the slow, obvious way: each gift with a campaign, tagged when the campaign (or package) it resolves to is. */
function expectedCoverage(taggedExternalIds: ReadonlySet<string>): { gifts: [number, number]; revenue: [number, number] } {
  const counted = gifts.filter(([, , , campaign, pkg]) => campaign !== '' || pkg !== '');
  const tagged = counted.filter(([, , , campaign, pkg]) => taggedExternalIds.has(pkg !== '' ? pkg : campaign));
  const sum = (list: typeof gifts) => list.reduce((total, gift) => total + gift[2], 0);
  return { gifts: [tagged.length, counted.length], revenue: [sum(tagged), sum(counted)] };
}

async function idsByExternalId(orgId: string): Promise<Map<string, string>> {
  const rows = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('campaign').select(['id', 'external_id']).execute());
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

function flatten(groups: readonly CampaignTagGroup[]): Map<string, CampaignTagGroup | CampaignTagGroup['packages'][number]> {
  return new Map(groups.flatMap((group) => [[group.name, group] as const, ...group.packages.map((pkg) => [pkg.name, pkg] as const)]));
}

describe('campaign tags', () => {
  it('keeps a person’s decisions through a re-import of the campaigns file, and computes the coverage from them', async () => {
    const { orgId, userId } = await organisationWith();
    await importFiles(orgId, { 'contacts.csv': contactsCsv, 'campaigns.csv': csv([campaignHeader, ...campaignRows]), 'gifts.csv': giftsCsv });
    const actor = { userId };

    const first = await service.list(orgId, actor);
    const rows = flatten(first.campaigns);
    expect(rows.get('Christmas appeal 2024')?.tag).toEqual({ category: 'Appeal', channel: 'Direct Mail', source: 'crm' });
    // The package has no tags of its own: it carries its campaign's.
    expect(rows.get('Christmas appeal 2024: active')?.tag).toEqual({ category: 'Appeal', channel: 'Direct Mail', source: 'campaign' });
    expect(rows.get('Summer raffle')?.tag).toEqual({ category: null, channel: null, source: 'none' });
    expect(rows.get('Summer raffle')?.suggestion).toMatchObject({ category: 'Raffle/Lottery', source: 'rules' });
    expect(rows.get('Christmas appeal 2024')).toMatchObject({ gifts: 2, revenue: 1275 });
    const before = expectedCoverage(new Set(['XMAS24', 'XMAS24-A']));
    expect(first.coverage).toMatchObject({ gifts: { tagged: before.gifts[0], total: before.gifts[1] }, revenue: { tagged: before.revenue[0], total: before.revenue[1] }, askForMore: true });
    expect(first.coverage.untaggedRevenue).toBe(before.revenue[1] - before.revenue[0]);

    const ids = await idsByExternalId(orgId);
    const id = (externalId: string): string => ids.get(externalId) ?? '';
    const counts = await service.decide(
      orgId,
      actor,
      [
        { campaignId: id('RAFFLE24'), category: 'Raffle/Lottery', channel: 'Phone' },
        { campaignId: id('XMAS24'), category: 'Emergency', channel: 'Email' },
        { campaignId: id('SPRING'), skip: true },
      ],
      meta,
    );
    expect(counts).toEqual({ confirmed: 2, skipped: 1 });

    // The CRM now says something else about the raffle and renames Christmas: the row is rewritten, the decisions stay.
    const changed = campaignRows.map((row) => (row[0] === 'RAFFLE24' ? ['RAFFLE24', '', 'Summer raffle draw', 'RAF24', 'Event', 'Event'] : row[0] === 'XMAS24' ? ['XMAS24', '', 'Christmas 2024', 'XMAS24', 'Appeal', 'Direct Mail'] : row));
    await importFiles(orgId, { 'campaigns.csv': csv([campaignHeader, ...changed]) });
    expect(await idsByExternalId(orgId)).toEqual(ids);
    const after = await service.list(orgId, actor);
    const tags = flatten(after.campaigns);
    expect(tags.get('Summer raffle draw')?.tag).toEqual({ category: 'Raffle/Lottery', channel: 'Phone', source: 'person' });
    expect(tags.get('Christmas 2024')?.tag).toEqual({ category: 'Emergency', channel: 'Email', source: 'person' });
    expect(tags.get('Christmas appeal 2024: active')?.tag).toEqual({ category: 'Emergency', channel: 'Email', source: 'campaign' });
    expect(tags.get('Spring thing')?.tag).toEqual({ category: null, channel: null, source: 'skipped' });
    const now = expectedCoverage(new Set(['XMAS24', 'XMAS24-A', 'RAFFLE24']));
    expect(after.coverage).toMatchObject({ gifts: { tagged: now.gifts[0], total: now.gifts[1] }, revenue: { tagged: now.revenue[0], total: now.revenue[1] } });

    // The models read the same tags from the view.
    const view = await withTenant(db.appDb, { orgId }, (trx) =>
      trx.selectFrom('campaign_effective_tag').innerJoin('campaign', 'campaign.id', 'campaign_effective_tag.campaign_id').select(['campaign.external_id', 'campaign_effective_tag.category', 'campaign_effective_tag.source']).orderBy('campaign.external_id').execute(),
    );
    expect(view).toEqual([
      { external_id: 'MISC', category: null, source: 'none' },
      { external_id: 'RAFFLE24', category: 'Raffle/Lottery', source: 'person' },
      { external_id: 'SPRING', category: null, source: 'skipped' },
      { external_id: 'XMAS24', category: 'Emergency', source: 'person' },
      { external_id: 'XMAS24-A', category: 'Emergency', source: 'campaign' },
    ]);

    const events = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('audit_event').select(['action', 'actor_user_id', 'details']).where('action', '=', 'campaign.tags_decided').execute());
    expect(events).toEqual([{ action: 'campaign.tags_decided', actor_user_id: userId, details: { confirmed: 2, skipped: 1 } }]);
  });

  it('filters to what still needs a tag, keeping packages under their campaign, and pages', async () => {
    const { orgId, userId } = await organisationWith();
    await importFiles(orgId, { 'contacts.csv': contactsCsv, 'campaigns.csv': csv([campaignHeader, ...campaignRows]), 'gifts.csv': giftsCsv });
    const untagged = await service.list(orgId, { userId }, { filter: 'untagged' });
    expect(untagged.campaigns.map((group) => group.name)).toEqual(['Summer raffle', 'Misc income', 'Spring thing']);
    expect(untagged.total).toBe(3);
    const confident = await service.list(orgId, { userId }, { filter: 'suggested' });
    expect(confident.campaigns.every((group) => group.suggestion.confident)).toBe(true);
    expect(confident.campaigns.map((group) => group.name)).not.toContain('Misc income');
    const page = await service.list(orgId, { userId }, { filter: 'all', offset: 1, limit: 2 });
    expect(page.campaigns.map((group) => group.name)).toEqual(['Summer raffle', 'Misc income']);
    expect(page.total).toBe(4);
    expect((await service.list(orgId, { userId }, { search: 'xmas24a' })).campaigns.map((group) => group.name)).toEqual(['Christmas appeal 2024']);
  });

  it('learns the organisation’s own codes from confirmed tags', async () => {
    const { orgId, userId } = await organisationWith();
    // Codes nothing in the rule table knows: only this organisation's tags say what they are.
    const made = Array.from({ length: 12 }, (_, index) => [
      [`QZ${String(index)}`, '', `QZ-${String(index + 10)}`, `QZ${String(index + 10)}`, '', ''],
      [`WB${String(index)}`, '', `WB-${String(index + 10)}`, `WB${String(index + 10)}`, '', ''],
    ]).flat();
    await importFiles(orgId, { 'campaigns.csv': csv([campaignHeader, ...made, ['QZNEW', '', 'QZ-99', 'QZ99', '', ''], ['WBNEW', '', 'WB-99', 'WB99', '', '']]) });
    const ids = await idsByExternalId(orgId);
    const suggestedFor = async (name: string) => flatten((await service.list(orgId, { userId })).campaigns).get(name)?.suggestion;
    expect(await suggestedFor('QZ-99')).toMatchObject({ category: 'Other', source: 'rules', confident: false });
    await service.decide(
      orgId,
      { userId },
      [...ids].filter(([externalId]) => !externalId.endsWith('NEW')).map(([externalId, campaignId]) =>
        externalId.startsWith('QZ') ? { campaignId, category: 'Raffle/Lottery' as const, channel: 'Phone' as const } : { campaignId, category: 'Major Gifts' as const, channel: 'Event' as const },
      ),
      meta,
    );
    const listed = await service.list(orgId, { userId });
    expect(listed.learnedFrom).toEqual({ category: 24, channel: 24 });
    expect(await suggestedFor('QZ-99')).toMatchObject({ category: 'Raffle/Lottery', channel: 'Phone', source: 'learned' });
    expect(await suggestedFor('WB-99')).toMatchObject({ category: 'Major Gifts', channel: 'Event', source: 'learned' });
  });

  it('lets viewers read but not decide, and never reaches another organisation’s campaigns', async () => {
    const { orgId } = await organisationWith();
    await importFiles(orgId, { 'campaigns.csv': csv([campaignHeader, ...campaignRows]) });
    const viewer = await seedUser(db.ownerDb, `${randomBytes(6).toString('hex')}@example.org`, blindIndex);
    await seedMembership(db.ownerDb, orgId, viewer.id, 'viewer');
    const campaignId = (await idsByExternalId(orgId)).get('MISC') ?? '';
    expect((await service.list(orgId, { userId: viewer.id })).total).toBe(4);
    await expect(service.decide(orgId, { userId: viewer.id }, [{ campaignId, skip: true }], meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const other = await organisationWith();
    await expect(service.decide(other.orgId, { userId: other.userId }, [{ campaignId, skip: true }], meta)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.list(orgId, { userId: other.userId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const decisions = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('campaign_tag').selectAll().execute());
    expect(decisions).toEqual([]);
  });

  it('stores only the vocabularies of @kindling/crm-import (the migration writes them out)', async () => {
    const { rows } = await sql<{ name: string; source: string }>`
      SELECT proname AS name, pg_get_functiondef(oid) AS source FROM pg_proc WHERE proname IN ('is_campaign_category', 'is_solicitation_channel')`.execute(db.ownerDb);
    const listed = (name: string): string[] => [...(rows.find((row) => row.name === name)?.source ?? '').matchAll(/'([^']{1,50})'::text/gu)].map((match) => match[1] ?? '');
    expect(listed('is_campaign_category')).toEqual([...campaignCategories]);
    expect(listed('is_solicitation_channel')).toEqual([...solicitationChannels]);
    const { orgId } = await organisationWith();
    await importFiles(orgId, { 'campaigns.csv': csv([campaignHeader, ...campaignRows]) });
    const campaignId = (await idsByExternalId(orgId)).get('MISC') ?? '';
    const insert = (category: string) =>
      withTenant(db.appDb, { orgId }, (trx) => trx.insertInto('campaign_tag').values({ org_id: orgId, campaign_id: campaignId, decision: 'confirmed', category, channel: 'Email' }).execute());
    await expect(insert('Fun run')).rejects.toThrow(/campaign_tag_category_check/);
  });
});
