import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { actorOf } from './organisation-actor.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { changeRoleBodySchema, changedRoleSchema, invitationParamsSchema, memberParamsSchema, memberSchema, pendingInvitationSchema } from './organisation-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const membersPath = '/api/v1/organisations/{orgId}/members';
const invitationsPath = '/api/v1/organisations/{orgId}/invitations';
const notFound = { 404: errorResponse('No such organisation (or not a member of it), member or invitation (NOT_FOUND).') };

const listMembersRoute = createRoute({
  method: 'get',
  path: membersPath,
  tags: ['organisation administration'],
  summary: 'The members of the organisation (owners and admins).',
  ...sessionRequired({ stateChanging: false, tokens: true }),
  request: { params: orgIdParamsSchema },
  responses: {
    200: { description: 'Members, oldest first.', content: json(z.array(memberSchema)) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const changeRoleRoute = createRoute({
  method: 'patch',
  path: `${membersPath}/{userId}`,
  tags: ['organisation administration'],
  summary: "Changes a member's role (owners and admins; only owners make or unmake owners; the last owner stays). Ends the member's sessions.",
  ...sessionRequired({ stateChanging: true, tokens: true }),
  request: { params: memberParamsSchema, body: { required: true, content: json(changeRoleBodySchema) } },
  responses: {
    200: { description: 'The role now held.', content: json(changedRoleSchema) },
    ...notFound,
    409: errorResponse('The last owner cannot be demoted (CONFLICT).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: `${membersPath}/{userId}`,
  tags: ['organisation administration'],
  summary: 'Removes a member from the organisation and ends their sessions (only owners remove owners; the last owner stays).',
  ...sessionRequired({ stateChanging: true, tokens: true }),
  request: { params: memberParamsSchema },
  responses: {
    204: { description: 'Removed.' },
    ...notFound,
    409: errorResponse('The last owner cannot be removed (CONFLICT).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const resetMemberMfaRoute = createRoute({
  method: 'post',
  path: `${membersPath}/{userId}/mfa-reset`,
  tags: ['organisation administration'],
  summary:
    "Removes a member's authenticator app, recovery codes and passkeys (a lost phone) and ends their sessions; they set up two-step verification again at their next sign-in. Owners and admins, signed in (not API tokens); an owner's only by an owner; not for people who also belong to another organisation.",
  ...sessionRequired({ stateChanging: true }),
  request: { params: memberParamsSchema },
  responses: {
    204: { description: 'Reset.' },
    ...notFound,
    409: errorResponse('Your own account, or a person who also belongs to another organisation (CONFLICT).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const listInvitationsRoute = createRoute({
  method: 'get',
  path: invitationsPath,
  tags: ['organisation administration'],
  summary: 'Pending invitations of the organisation, newest first (owners and admins).',
  ...sessionRequired({ stateChanging: false, tokens: true }),
  request: { params: orgIdParamsSchema },
  responses: {
    200: { description: 'Invitations not yet accepted, withdrawn or expired.', content: json(z.array(pendingInvitationSchema)) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const revokeInvitationRoute = createRoute({
  method: 'delete',
  path: `${invitationsPath}/{invitationId}`,
  tags: ['organisation administration'],
  summary: 'Withdraws a pending invitation; its link stops working.',
  ...sessionRequired({ stateChanging: true, tokens: true }),
  request: { params: invitationParamsSchema },
  responses: {
    204: { description: 'Withdrawn.' },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

/** Members and invitations of one organisation: the organisation in the path is the tenant. */
export function registerMemberRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { memberships } = deps.identity;

  app.openapi(listMembersRoute, async (c) => {
    const members = await memberships.listMembers(c.req.valid('param').orgId, actorOf(c));
    return c.json(
      members.map((member) => ({ ...member, joinedAt: member.joinedAt.toISOString() })),
      200,
    );
  });

  app.openapi(changeRoleRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    const role = await memberships.changeRole({ orgId, userId, role: c.req.valid('json').role }, actorOf(c), c.get('requestMeta'));
    return c.json({ userId, role }, 200);
  });

  app.openapi(removeMemberRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    await memberships.removeMember({ orgId, userId }, actorOf(c), c.get('requestMeta'));
    return c.body(null, 204);
  });

  app.openapi(resetMemberMfaRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    await memberships.resetMemberMfa({ orgId, userId }, actorOf(c), c.get('requestMeta'));
    return c.body(null, 204);
  });

  app.openapi(listInvitationsRoute, async (c) => {
    const invitations = await memberships.listPendingInvitations(c.req.valid('param').orgId, actorOf(c));
    return c.json(
      invitations.map((invitation) => ({ ...invitation, createdAt: invitation.createdAt.toISOString(), expiresAt: invitation.expiresAt.toISOString() })),
      200,
    );
  });

  app.openapi(revokeInvitationRoute, async (c) => {
    const { orgId, invitationId } = c.req.valid('param');
    await memberships.revokeInvitation({ orgId, invitationId }, actorOf(c), c.get('requestMeta'));
    return c.body(null, 204);
  });
}
