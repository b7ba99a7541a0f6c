import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { actorOf } from '../organisations/organisation-actor.js';
import { decisionOf, campaignTagDecisionCountsSchema, campaignTagDecisionsSchema, campaignTagListSchema, campaignTagQuerySchema } from './campaign-tags.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const campaignTagsPath = '/api/v1/organisations/{orgId}/campaign-tags';

const listCampaignTagsRoute = createRoute({
  method: 'get',
  path: campaignTagsPath,
  tags: ['campaign tagging'],
  summary:
    "The organisation's campaigns, packages under their campaign, biggest revenue first: gifts, revenue, the tag the models use and where it came from, a suggestion with its confidence (learned from this organisation's confirmed and CRM tags), and the share of gifts and revenue tagged. Every member may read it.",
  ...sessionRequired({ stateChanging: false, tokens: true }),
  request: { params: orgIdParamsSchema, query: campaignTagQuerySchema },
  responses: {
    200: { description: 'One page of campaigns, and the coverage of all of them.', content: json(campaignTagListSchema) },
    404: errorResponse('No such organisation (or not a member of it) (NOT_FOUND).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const decideCampaignTagsRoute = createRoute({
  method: 'post',
  path: `${campaignTagsPath}/decisions`,
  tags: ['campaign tagging'],
  summary:
    'Records decisions in one go: a category and channel confirmed (an accepted suggestion or an edit), or skipped (left untagged). A later decision replaces an earlier one; imports never change them. Owners, admins and analysts; audited with the counts.',
  ...sessionRequired({ stateChanging: true, tokens: true }),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(campaignTagDecisionsSchema) } },
  responses: {
    200: { description: 'How many tags were confirmed and skipped.', content: json(campaignTagDecisionCountsSchema) },
    404: errorResponse('No such organisation (or not a member of it), or a campaign that is not the organisation’s (NOT_FOUND); nothing was recorded.'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerCampaignTagRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(listCampaignTagsRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    return c.json(await deps.campaignTags.list(orgId, actorOf(c), c.req.valid('query')), 200);
  });
  app.openapi(decideCampaignTagsRoute, async (c) => {
    const { orgId } = c.req.valid('param');
    const counts = await deps.campaignTags.decide(orgId, actorOf(c), c.req.valid('json').decisions.map(decisionOf), c.get('requestMeta'));
    return c.json(counts, 200);
  });
}
