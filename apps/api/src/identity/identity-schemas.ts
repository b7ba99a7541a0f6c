import { z } from '@hono/zod-openapi';
import { roles } from '@kindling/access';

const timestamp = z.iso.datetime({ offset: true });
const uuid = z.uuid();

export const nextStepSchema = z.enum(['enrol_totp', 'verify_mfa']).openapi('NextStep');
export const roleSchema = z.enum(roles).openapi('Role');

// Messages are fixed strings: a validation error never echoes what was submitted.
const email = z.email({ error: 'must be an e-mail address' }).max(320);
// A loose bound only: the password policy of @kindling/identity judges new passwords (in code
// points, up to 1024), and an existing password must be accepted as it was set.
const password = z.string().min(1, { error: 'is required' }).max(4096);
const opaqueToken = z.string().min(1).max(200);

export const signInBodySchema = z.object({ email, password }).openapi('SignInRequest');

export const passwordStageSchema = z
  .object({
    stage: z.literal('password'),
    next: nextStepSchema,
    /** For the X-CSRF-Token header of the next step, saving a round trip to GET /auth/session. */
    csrfToken: z.string(),
  })
  .openapi('PasswordStageSession');

export const organisationSummarySchema = z.object({ id: uuid, name: z.string(), role: roleSchema }).openapi('OrganisationMembership');

export const sessionInfoSchema = z
  .object({
    user: z.object({ id: uuid, email: z.string() }),
    stage: z.enum(['password', 'mfa_complete']),
    next: nextStepSchema.nullable(),
    csrfToken: z.string(),
    /** Empty until the second factor is passed. */
    organisations: z.array(organisationSummarySchema),
    currentOrganisationId: uuid.nullable(),
  })
  .openapi('SessionInfo');

export const completeSessionSchema = z
  .object({ stage: z.literal('mfa_complete'), csrfToken: z.string() })
  .openapi('CompleteSession');

export const changePasswordBodySchema = z.object({ currentPassword: password, newPassword: password }).openapi('ChangePassword');
export const changedPasswordSchema = z
  .object({ stage: z.literal('mfa_complete'), csrfToken: z.string(), otherSessionsRevoked: z.number().int().nonnegative() })
  .openapi('ChangedPassword');

export const totpEnrolmentSchema = z
  .object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() })
  .openapi('TotpEnrolment');

export const codeBodySchema = z.object({ code: z.string().min(6).max(16) }).openapi('TotpCode');

export const recoveryCodesSchema = z
  .object({ stage: z.literal('mfa_complete'), csrfToken: z.string(), recoveryCodes: z.array(z.string()).length(10) })
  .openapi('TotpEnrolmentConfirmed');

export const recoverBodySchema = z.object({ recoveryCode: z.string().min(16).max(40) }).openapi('RecoveryCode');

export const recoveredSessionSchema = z
  .object({ stage: z.literal('mfa_complete'), csrfToken: z.string(), remainingRecoveryCodes: z.number().int().nonnegative() })
  .openapi('RecoveredSession');

export const selectOrganisationBodySchema = z.object({ organisationId: uuid }).openapi('SelectOrganisation');
export const selectedOrganisationSchema = z.object({ currentOrganisationId: uuid, role: roleSchema }).openapi('SelectedOrganisation');

export const invitationTokenBodySchema = z.object({ token: opaqueToken }).openapi('InvitationToken');
export const invitationPreviewSchema = z
  .object({
    organisation: z.object({ id: uuid, name: z.string() }),
    role: roleSchema,
    expiresAt: timestamp,
    /** `existing`: enter your password; `new`: choose one. */
    account: z.enum(['new', 'existing']),
  })
  .openapi('InvitationPreview');

export const acceptInvitationBodySchema = z.object({ token: opaqueToken, password }).openapi('AcceptInvitation');
export const acceptedInvitationSchema = passwordStageSchema.extend({ organisationId: uuid }).openapi('AcceptedInvitation');

export const createInvitationBodySchema = z.object({ email, role: roleSchema }).openapi('CreateInvitation');
export const createdInvitationSchema = z
  .object({
    id: uuid,
    expiresAt: timestamp,
    /** Only when no mailer delivers invitations: the link, for the inviting admin to pass on. */
    link: z.string().optional(),
  })
  .openapi('CreatedInvitation');

export const orgIdParamsSchema = z.object({ orgId: uuid.openapi({ param: { name: 'orgId', in: 'path' } }) });
export const sessionIdParamsSchema = z.object({ sessionId: uuid.openapi({ param: { name: 'sessionId', in: 'path' } }) });

export const sessionSummarySchema = z
  .object({
    id: uuid,
    current: z.boolean(),
    createdAt: timestamp,
    lastSeenAt: timestamp,
    clientAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .openapi('SessionSummary');
