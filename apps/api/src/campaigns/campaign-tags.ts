import { z } from '@hono/zod-openapi';
import { campaignCategories, solicitationChannels, type CampaignCategory, type SolicitationChannel } from '@kindling/crm-import';
import type { OrganisationActor, RequestMeta } from '@kindling/identity';

/** Most decisions one request may carry: a screen's worth of bulk approval, with room to spare. */
export const maxDecisionsPerRequest = 5000;
export const maxCampaignPageSize = 500;

const uuid = z.uuid();
const categorySchema = z.enum(campaignCategories).openapi('CampaignCategory');
const channelSchema = z.enum(solicitationChannels).openapi('SolicitationChannel');

export const campaignTagQuerySchema = z.object({
  filter: z.enum(['untagged', 'suggested', 'all']).optional().openapi({ description: 'untagged: missing a tag and not skipped; suggested: untagged with a confident suggestion; all (default).' }),
  search: z.string().trim().max(100, { error: 'is at most 100 characters' }).optional().openapi({ description: 'Part of a campaign’s or package’s name or code.' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(maxCampaignPageSize).optional().openapi({ description: 'Campaigns per page, with their packages; 100 by default.' }),
});

const effectiveTagSchema = z
  .object({
    category: categorySchema.nullable(),
    channel: channelSchema.nullable(),
    source: z.enum(['person', 'crm', 'campaign', 'skipped', 'none']).openapi({
      description: 'person: confirmed by someone here; crm: from the CRM export; campaign: a package carrying its campaign’s tag; skipped: someone chose to leave it untagged; none.',
    }),
  })
  .openapi('EffectiveCampaignTag');

const suggestedTagSchema = z
  .object({
    category: categorySchema,
    categoryProbability: z.number(),
    channel: channelSchema,
    channelProbability: z.number(),
    confident: z.boolean().openapi({ description: 'Both parts at least 0.8: safe to accept in bulk.' }),
    source: z.enum(['rules', 'learned']),
  })
  .openapi('SuggestedCampaignTag');

const campaignTagRowSchema = z
  .object({
    id: uuid,
    name: z.string(),
    code: z.string().nullable(),
    startDate: z.string().nullable(),
    gifts: z.number().int(),
    revenue: z.number(),
    tag: effectiveTagSchema,
    suggestion: suggestedTagSchema,
  })
  .openapi('CampaignTagRow');

const coverageShareSchema = z.object({ tagged: z.number(), total: z.number(), share: z.number() });

export const campaignTagListSchema = z
  .object({
    campaigns: z.array(campaignTagRowSchema.extend({ packages: z.array(campaignTagRowSchema) })),
    total: z.number().int(),
    coverage: z.object({
      gifts: coverageShareSchema,
      revenue: coverageShareSchema,
      askForMore: z.boolean().openapi({ description: 'Either share is under 80 %: the app asks for more tags.' }),
      untaggedRevenue: z.number(),
    }),
    learnedFrom: z.object({ category: z.number().int(), channel: z.number().int() }),
  })
  .openapi('CampaignTagList');

/**
 * A decision: a category and a channel confirmed, or a skip. Told apart by `skip`, so a
 * validation error names the field at fault (`decisions.3.channel`) instead of "matches no option".
 */
const decisionSchema = z
  .discriminatedUnion('skip', [
    z.object({ campaignId: uuid, skip: z.literal(false).optional(), category: categorySchema, channel: channelSchema }).strict(),
    z.object({ campaignId: uuid, skip: z.literal(true).openapi({ description: 'Leave it untagged; then no category or channel.' }) }).strict(),
  ])
  .openapi('CampaignTagDecision');

export const campaignTagDecisionsSchema = z
  .object({
    decisions: z
      .array(decisionSchema)
      .max(maxDecisionsPerRequest, { error: `at most ${String(maxDecisionsPerRequest)} at a time` })
      .superRefine((decisions, context) => {
        const seen = new Set<string>();
        decisions.forEach((decision, index) => {
          const id = decision.campaignId.toLowerCase();
          if (seen.has(id)) context.addIssue({ code: 'custom', path: [index, 'campaignId'], message: 'names a campaign already decided in this request' });
          seen.add(id);
        });
      }),
  })
  .openapi('CampaignTagDecisions');

export const campaignTagDecisionCountsSchema = z.object({ confirmed: z.number().int(), skipped: z.number().int() }).openapi('CampaignTagDecisionCounts');

export type CampaignTagQuery = z.infer<typeof campaignTagQuerySchema>;
export type CampaignTagListing = z.infer<typeof campaignTagListSchema>;
export type CampaignTagDecision =
  | { readonly campaignId: string; readonly category: CampaignCategory; readonly channel: SolicitationChannel }
  | { readonly campaignId: string; readonly skip: true };
export type CampaignTagDecisionCounts = z.infer<typeof campaignTagDecisionCountsSchema>;

/** A validated decision as the service takes it. */
export function decisionOf(input: z.infer<typeof decisionSchema>): CampaignTagDecision {
  return input.skip === true ? { campaignId: input.campaignId, skip: true } : { campaignId: input.campaignId, category: input.category, channel: input.channel };
}

/** What the campaign-tag routes need; the CLI wires @kindling/reference-store's `createCampaignTagService`. */
export interface CampaignTags {
  list(orgId: string, actor: OrganisationActor, query: CampaignTagQuery): Promise<CampaignTagListing>;
  decide(orgId: string, actor: OrganisationActor, decisions: readonly CampaignTagDecision[], meta: RequestMeta): Promise<CampaignTagDecisionCounts>;
}
