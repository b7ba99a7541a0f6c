import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { can } from '@kindling/access';
import { AppError } from '@kindling/errors';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfTokenFor } from '../http/csrf.js';
import { authOf } from '../http/session-auth.js';
import { setSessionCookie } from '../http/session-cookie.js';
import { authErrorResponses, commonErrorResponses, errorResponse, rateLimitedResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { noSessionRequired, sessionRequired } from '../openapi/route-security.js';
import {
  acceptInvitationBodySchema,
  acceptedInvitationSchema,
  createInvitationBodySchema,
  createdInvitationSchema,
  invitationPreviewSchema,
  invitationTokenBodySchema,
  orgIdParamsSchema,
} from './identity-schemas.js';
import { acceptInvitationPath, inspectInvitationPath } from './pre-session-routes.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const unusable = { 404: errorResponse('Unknown, used, withdrawn or expired: one answer for all (NOT_FOUND).') };

// The token travels in a POST body, never in a URL: URLs end up in logs and browser history.
const inspectRoute = createRoute({
  method: 'post',
  path: inspectInvitationPath,
  tags: ['invitations'],
  summary: 'What an invitation link offers: organisation, role, expiry, and whether the account exists.',
  ...noSessionRequired,
  request: { body: { required: true, content: json(invitationTokenBodySchema) } },
  responses: {
    200: { description: 'The invitation can be accepted.', content: json(invitationPreviewSchema) },
    ...unusable,
    403: errorResponse('A cross-site request (FORBIDDEN).'),
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const acceptRoute = createRoute({
  method: 'post',
  path: acceptInvitationPath,
  tags: ['invitations'],
  summary: 'Accepts an invitation with a new password (new account) or the existing one; next comes the second factor.',
  ...noSessionRequired,
  request: { body: { required: true, content: json(acceptInvitationBodySchema) } },
  responses: {
    200: { description: 'Joined; a password-stage session cookie is set.', content: json(acceptedInvitationSchema) },
    401: errorResponse('The password of the existing account is wrong (UNAUTHENTICATED).'),
    403: errorResponse('A cross-site request (FORBIDDEN).'),
    ...unusable,
    ...rateLimitedResponse,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

const createInvitationRoute = createRoute({
  method: 'post',
  path: '/api/v1/organisations/{orgId}/invitations',
  tags: ['invitations'],
  summary: 'Invites someone into the organisation (owners and admins; only owners invite owners). The link is valid for 7 days, once.',
  ...sessionRequired({ stateChanging: true }),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(createInvitationBodySchema) } },
  responses: {
    201: { description: 'Invited. `link` is present only when no mailer delivers it.', content: json(createdInvitationSchema) },
    404: errorResponse('No such organisation (NOT_FOUND).'),
    409: errorResponse('Already a member (CONFLICT).'),
    503: errorResponse(
      'The invitation was saved but its e-mail could not be sent (UNAVAILABLE); `details.invitationId` names it. Inviting the same person again sends a new link and withdraws this one.',
    ),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
  },
});

export function registerInvitationRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { identity, sessionSecret } = deps;

  app.openapi(inspectRoute, async (c) => {
    const preview = await identity.invitations.inspectInvitation(c.req.valid('json').token);
    return c.json(
      {
        organisation: { id: preview.organisationId, name: preview.organisationName },
        role: preview.role,
        expiresAt: preview.expiresAt.toISOString(),
        account: preview.account,
      },
      200,
    );
  });

  app.openapi(acceptRoute, async (c) => {
    const meta = c.get('requestMeta');
    const accepted = await identity.invitations.acceptInvitation(c.req.valid('json'), meta);
    const previous = c.get('session');
    if (previous !== undefined) await identity.sessions.signOut(previous, meta);
    setSessionCookie(c, accepted.session);
    return c.json(
      {
        stage: 'password' as const,
        next: accepted.next,
        csrfToken: csrfTokenFor(sessionSecret, accepted.session.sessionId),
        organisationId: accepted.organisationId,
      },
      200,
    );
  });

  app.openapi(createInvitationRoute, async (c) => {
    const auth = authOf(c);
    const { orgId } = c.req.valid('param');
    // The organisation in the path, not the session's current one, is what the role must allow.
    const role = await identity.directory.membershipRole(auth.userId, orgId);
    // A non-member learns nothing, not even that the organisation exists: the same 404 as an unknown id.
    if (role === undefined) throw new AppError('NOT_FOUND', 'No such organisation.');
    if (!can(role, 'users.manage')) throw new AppError('FORBIDDEN', 'Only owners and admins of the organisation can invite people.');
    const { email, role: invitedRole } = c.req.valid('json');
    const created = await identity.invitations.createInvitation(
      { orgId, email, role: invitedRole, invitedBy: { userId: auth.userId, role } },
      c.get('requestMeta'),
    );
    return c.json({ id: created.id, expiresAt: created.expiresAt.toISOString(), ...(created.delivered ? {} : { link: created.link }) }, 201);
  });
}
