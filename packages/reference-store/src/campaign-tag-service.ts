import {
  suggestTags,
  tagCoverage,
  trainTagSuggester,
  type CampaignDescription,
  type CampaignTagSuggestion,
  type LabelledCampaign,
  type TagCoverage,
} from '@kindling/campaign-tagging';
import { campaignCategories, solicitationChannels, type CampaignCategory, type SolicitationChannel } from '@kindling/crm-import';
import { appendAuditEvent, sql, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';
import { actorRoleIn, auditActorOf, withActorTenant, type OrganisationActor, type RequestMeta } from '@kindling/identity';

/** Where a campaign's effective tag comes from (the `campaign_effective_tag` view, migration 0012). */
export type TagSource = 'person' | 'crm' | 'campaign' | 'skipped' | 'none';

export interface EffectiveTag {
  readonly category: CampaignCategory | null;
  readonly channel: SolicitationChannel | null;
  readonly source: TagSource;
}

export interface SuggestedTag {
  readonly category: CampaignCategory;
  readonly categoryProbability: number;
  readonly channel: SolicitationChannel;
  readonly channelProbability: number;
  /** Both parts are confident: safe to accept in bulk. */
  readonly confident: boolean;
  readonly source: 'rules' | 'learned';
}

export interface CampaignTagRow {
  readonly id: string;
  readonly name: string;
  readonly code: string | null;
  readonly startDate: string | null;
  /** Gifts to it; for a campaign, including its packages' gifts. */
  readonly gifts: number;
  readonly revenue: number;
  readonly tag: EffectiveTag;
  readonly suggestion: SuggestedTag;
}

export interface CampaignTagGroup extends CampaignTagRow {
  /** Its packages that pass the filter, biggest revenue first. */
  readonly packages: CampaignTagRow[];
}

export type CampaignTagFilter = 'untagged' | 'suggested' | 'all';

export interface CampaignTagQuery {
  /** untagged: missing a tag and not skipped; suggested: untagged with a confident suggestion; all (default). */
  readonly filter?: CampaignTagFilter | undefined;
  /** Part of the name or code, any case. */
  readonly search?: string | undefined;
  readonly offset?: number | undefined;
  /** Campaigns per page (with their packages): 1–500, 100 by default. */
  readonly limit?: number | undefined;
}

export interface CampaignTagCoverage extends TagCoverage {
  /** Revenue of gifts whose campaign has no complete tag: what tagging more would cover. */
  readonly untaggedRevenue: number;
}

export interface CampaignTagList {
  readonly campaigns: CampaignTagGroup[];
  /** Campaigns that pass the filter, over all pages. */
  readonly total: number;
  readonly coverage: CampaignTagCoverage;
  /** Campaigns the suggester learned from, per part (0: that part suggests from the rules alone). */
  readonly learnedFrom: { readonly category: number; readonly channel: number };
}

export type CampaignTagDecision =
  | { readonly campaignId: string; readonly category: CampaignCategory; readonly channel: SolicitationChannel }
  | { readonly campaignId: string; readonly skip: true };

export interface CampaignTagDecisionCounts {
  readonly confirmed: number;
  readonly skipped: number;
}

export interface CampaignTagService {
  /** The organisation's campaigns with their packages, tags, suggestions and the coverage (needs `dashboards.read`). */
  list(orgId: string, actor: OrganisationActor, query?: CampaignTagQuery): Promise<CampaignTagList>;
  /**
   * Records people's decisions in one transaction (needs `campaigns.tag`); a later decision on the
   * same campaign replaces the earlier one. NOT_FOUND if any campaign is not the organisation's.
   * Audited as `campaign.tags_decided` with the counts only.
   */
  decide(orgId: string, actor: OrganisationActor, decisions: readonly CampaignTagDecision[], meta: RequestMeta): Promise<CampaignTagDecisionCounts>;
}

const defaultCampaignPageSize = 100;
const maxCampaignPageSize = 500;
const maxDecisionsPerRequest = 5000;

interface CampaignRecord {
  readonly id: string;
  readonly external_id: string;
  readonly parent_external_id: string | null;
  readonly name: string;
  readonly code: string | null;
  readonly start_date: string | null;
  readonly crm_category: string | null;
  readonly crm_channel: string | null;
  readonly decision: 'confirmed' | 'skipped' | null;
  readonly category: string | null;
  readonly channel: string | null;
  readonly source: TagSource;
  readonly gifts: number;
  readonly revenue: string;
  readonly recurring: number;
  readonly median_amount: string | null;
}

interface GiftsWithoutCampaignRow {
  readonly gifts: number;
  readonly revenue: string;
}

interface GiftTotalsRow extends GiftsWithoutCampaignRow {
  /** Null for gifts naming a campaign or package the organisation does not have. */
  readonly campaign_id: string | null;
  readonly recurring: number;
  readonly median_amount: string | null;
}

type CampaignTagRecord = Omit<CampaignRecord, 'gifts' | 'revenue' | 'recurring' | 'median_amount'>;

const isCategory = (value: string | null): value is CampaignCategory => value !== null && (campaignCategories as readonly string[]).includes(value);
const isChannel = (value: string | null): value is SolicitationChannel => value !== null && (solicitationChannels as readonly string[]).includes(value);

/**
 * Every campaign and package with its effective tag and the gifts that resolve to it: a gift
 * belongs to its package when the package is known, else to its campaign (NPSP's child campaigns
 * are packages named in the campaign column). Packages carry their own gifts; campaigns their own.
 * Gifts are read once, joined on equalities only (hash joins, whatever the statistics say).
 */
async function readCampaigns(trx: TenantTransaction): Promise<{ campaigns: CampaignRecord[]; orphans: GiftsWithoutCampaignRow }> {
  const totals = await sql<GiftTotalsRow>`
    SELECT coalesce(p.id, c.id) AS campaign_id, count(*)::int AS gifts, coalesce(sum(g.amount), 0)::text AS revenue,
      count(*) FILTER (WHERE g.gift_type = 'recurring instalment')::int AS recurring,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY g.amount)::text AS median_amount
    FROM gift g
    LEFT JOIN campaign p ON p.org_id = g.org_id AND p.external_id = g.package_external_id
    LEFT JOIN campaign c ON c.org_id = g.org_id AND c.external_id = g.campaign_external_id
    WHERE g.campaign_external_id IS NOT NULL OR g.package_external_id IS NOT NULL
    GROUP BY 1`.execute(trx);
  const { rows } = await sql<CampaignTagRecord>`
    SELECT c.id, c.external_id, c.parent_external_id, c.name, c.code, to_char(c.start_date, 'YYYY-MM-DD') AS start_date,
      c.category AS crm_category, c.channel AS crm_channel, t.decision, e.category, e.channel, e.source
    FROM campaign c
    JOIN campaign_effective_tag e ON e.campaign_id = c.id
    LEFT JOIN campaign_tag t ON t.org_id = c.org_id AND t.campaign_id = c.id
    ORDER BY c.external_id`.execute(trx);
  const byCampaign = new Map(totals.rows.map((row) => [row.campaign_id, row]));
  const campaigns = rows.map((campaign) => {
    const gifts = byCampaign.get(campaign.id);
    return { ...campaign, gifts: gifts?.gifts ?? 0, revenue: gifts?.revenue ?? '0', recurring: gifts?.recurring ?? 0, median_amount: gifts?.median_amount ?? null };
  });
  return { campaigns, orphans: byCampaign.get(null) ?? { gifts: 0, revenue: '0' } };
}

function describe(campaign: CampaignRecord): CampaignDescription {
  const median = campaign.median_amount === null ? undefined : Number(campaign.median_amount);
  const month = campaign.start_date === null ? undefined : Number(campaign.start_date.slice(5, 7));
  return {
    name: campaign.name,
    ...(campaign.code === null ? {} : { code: campaign.code }),
    giftPattern: {
      ...(campaign.gifts > 0 ? { recurringShare: campaign.recurring / campaign.gifts } : {}),
      ...(median === undefined ? {} : { medianAmount: median }),
      ...(month === undefined ? {} : { startMonth: month }),
    },
  };
}

/**
 * What the suggester learns from: each campaign's own tags — a person's confirmed tag, else the
 * CRM's values. Inherited tags are left out (they would count a campaign once per package), and
 * so are skipped campaigns (a person said they do not know).
 */
function trainingExamples(campaigns: readonly CampaignRecord[]): LabelledCampaign[] {
  const examples: LabelledCampaign[] = [];
  for (const campaign of campaigns) {
    const category = campaign.decision === 'confirmed' ? campaign.category : campaign.decision === null ? campaign.crm_category : null;
    const channel = campaign.decision === 'confirmed' ? campaign.channel : campaign.decision === null ? campaign.crm_channel : null;
    if (!isCategory(category) && !isChannel(channel)) continue;
    examples.push({ ...describe(campaign), ...(isCategory(category) ? { category } : {}), ...(isChannel(channel) ? { channel } : {}) });
  }
  return examples;
}

function suggestedTag(suggestion: CampaignTagSuggestion): SuggestedTag {
  return {
    category: suggestion.category.label,
    categoryProbability: suggestion.category.probability,
    channel: suggestion.channel.label,
    channelProbability: suggestion.channel.probability,
    confident: suggestion.category.confident && suggestion.channel.confident,
    source: suggestion.category.source === 'learned' || suggestion.channel.source === 'learned' ? 'learned' : 'rules',
  };
}

function rowOf(campaign: CampaignRecord, suggestion: SuggestedTag, gifts: number, revenue: number): CampaignTagRow {
  return {
    id: campaign.id,
    name: campaign.name,
    code: campaign.code,
    startDate: campaign.start_date,
    gifts,
    revenue,
    tag: { category: isCategory(campaign.category) ? campaign.category : null, channel: isChannel(campaign.channel) ? campaign.channel : null, source: campaign.source },
    suggestion,
  };
}

const needsTag = (row: CampaignTagRow): boolean => row.tag.source !== 'skipped' && (row.tag.category === null || row.tag.channel === null);

function passes(row: CampaignTagRow, filter: CampaignTagFilter): boolean {
  if (filter === 'all') return true;
  return needsTag(row) && (filter === 'untagged' || row.suggestion.confident);
}

/** Net revenue as a number; a campaign whose refunds exceed its income counts as 0 for coverage. */
const revenueOf = (campaign: CampaignRecord): number => Number(campaign.revenue);

function coverageOf(campaigns: readonly CampaignRecord[], orphans: GiftsWithoutCampaignRow): CampaignTagCoverage {
  const gifts = new Map(campaigns.filter((campaign) => campaign.gifts > 0).map((campaign) => [campaign.id, { count: campaign.gifts, revenue: Math.max(0, revenueOf(campaign)) }]));
  // Gifts naming a campaign the CRM export did not hold count as untagged, under an id no campaign has.
  if (orphans.gifts > 0) gifts.set('', { count: orphans.gifts, revenue: Math.max(0, Number(orphans.revenue)) });
  const tagged = campaigns.map((campaign) => ({
    id: campaign.id,
    ...(isCategory(campaign.category) ? { category: campaign.category } : {}),
    ...(isChannel(campaign.channel) ? { channel: campaign.channel } : {}),
  }));
  const coverage = tagCoverage(tagged, gifts);
  return { ...coverage, untaggedRevenue: coverage.revenue.total - coverage.revenue.tagged };
}

function matchesSearch(row: CampaignTagRow, search: string): boolean {
  return row.name.toLowerCase().includes(search) || (row.code ?? '').toLowerCase().includes(search);
}

/** Campaigns with their packages, each group kept when the campaign or one of its packages passes. */
function groupsOf(campaigns: readonly CampaignRecord[], suggestions: readonly SuggestedTag[], filter: CampaignTagFilter, search: string): CampaignTagGroup[] {
  const byExternalId = new Map(campaigns.map((campaign) => [campaign.external_id, campaign]));
  const packagesOf = new Map<string, CampaignTagRow[]>();
  const tops: { campaign: CampaignRecord; suggestion: SuggestedTag }[] = [];
  campaigns.forEach((campaign, index) => {
    const suggestion = suggestions[index];
    if (suggestion === undefined) return;
    const parent = campaign.parent_external_id === null ? undefined : byExternalId.get(campaign.parent_external_id);
    // A package of a package is shown as a campaign of its own: the reference schema has two levels.
    if (parent?.parent_external_id !== null) {
      tops.push({ campaign, suggestion });
      return;
    }
    const list = packagesOf.get(parent.id) ?? [];
    list.push(rowOf(campaign, suggestion, campaign.gifts, revenueOf(campaign)));
    packagesOf.set(parent.id, list);
  });
  const groups: CampaignTagGroup[] = [];
  for (const { campaign, suggestion } of tops) {
    const packages = packagesOf.get(campaign.id) ?? [];
    const gifts = campaign.gifts + packages.reduce((sum, row) => sum + row.gifts, 0);
    const revenue = revenueOf(campaign) + packages.reduce((sum, row) => sum + row.revenue, 0);
    const row = rowOf(campaign, suggestion, gifts, revenue);
    const found = search === '' || matchesSearch(row, search) || packages.some((pkg) => matchesSearch(pkg, search));
    const shown = packages.filter((pkg) => passes(pkg, filter)).sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
    if (found && (passes(row, filter) || shown.length > 0)) groups.push({ ...row, packages: shown });
  }
  return groups.sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name));
}

async function listCampaignTags(trx: TenantTransaction, query: CampaignTagQuery): Promise<CampaignTagList> {
  const { campaigns, orphans } = await readCampaigns(trx);
  const suggester = trainTagSuggester(trainingExamples(campaigns));
  const suggestions = suggestTags(suggester, campaigns.map(describe)).map(suggestedTag);
  const groups = groupsOf(campaigns, suggestions, query.filter ?? 'all', (query.search ?? '').trim().toLowerCase());
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? defaultCampaignPageSize), 1), maxCampaignPageSize);
  return {
    campaigns: groups.slice(offset, offset + limit),
    total: groups.length,
    coverage: coverageOf(campaigns, orphans),
    learnedFrom: suggester.examples,
  };
}

async function recordDecisions(trx: TenantTransaction, orgId: string, actor: OrganisationActor, decisions: readonly CampaignTagDecision[]): Promise<CampaignTagDecisionCounts> {
  const ids = decisions.map((decision) => decision.campaignId);
  if (new Set(ids.map((id) => id.toLowerCase())).size !== ids.length) {
    throw new AppError('VALIDATION_FAILED', 'A campaign appears more than once in the decisions.', { details: { issues: [{ location: 'body', path: 'decisions', message: 'name each campaign once' }] } });
  }
  const found = await trx.selectFrom('campaign').select('id').where('org_id', '=', orgId).where('id', 'in', ids).forUpdate().execute();
  if (found.length !== ids.length) throw new AppError('NOT_FOUND', 'No such campaign.');
  const { actorUserId, actorTokenId } = auditActorOf(actor);
  const rows = decisions.map((decision) => ({
    org_id: orgId,
    campaign_id: decision.campaignId,
    decision: 'skip' in decision ? ('skipped' as const) : ('confirmed' as const),
    category: 'skip' in decision ? null : decision.category,
    channel: 'skip' in decision ? null : decision.channel,
    decided_by_user_id: actorUserId,
    decided_by_token_id: actorTokenId,
    decided_at: new Date(),
  }));
  await trx
    .insertInto('campaign_tag')
    .values(rows)
    .onConflict((conflict) =>
      conflict.columns(['org_id', 'campaign_id']).doUpdateSet((eb) => ({
        decision: eb.ref('excluded.decision'),
        category: eb.ref('excluded.category'),
        channel: eb.ref('excluded.channel'),
        decided_by_user_id: eb.ref('excluded.decided_by_user_id'),
        decided_by_token_id: eb.ref('excluded.decided_by_token_id'),
        decided_at: eb.ref('excluded.decided_at'),
      })),
    )
    .execute();
  const skipped = rows.filter((row) => row.decision === 'skipped').length;
  return { confirmed: rows.length - skipped, skipped };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createCampaignTagService(deps: { readonly db: Kysely<Database> }): CampaignTagService {
  return {
    list(orgId, actor, query = {}) {
      return withActorTenant(deps.db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'dashboards.read');
        return listCampaignTags(trx, query);
      });
    },
    decide(orgId, actor, decisions, meta) {
      return withActorTenant(deps.db, orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'campaigns.tag');
        if (decisions.length === 0) return { confirmed: 0, skipped: 0 };
        if (decisions.length > maxDecisionsPerRequest) throw new AppError('VALIDATION_FAILED', `At most ${String(maxDecisionsPerRequest)} decisions at a time.`);
        if (decisions.some((decision) => !uuidPattern.test(decision.campaignId))) throw new AppError('NOT_FOUND', 'No such campaign.');
        const counts = await recordDecisions(trx, orgId, actor, decisions);
        await appendAuditEvent(trx, { orgId, ...auditActorOf(actor), action: 'campaign.tags_decided', details: { ...counts }, clientAddress: meta.clientAddress, userAgent: meta.userAgent });
        return counts;
      });
    },
  };
}
