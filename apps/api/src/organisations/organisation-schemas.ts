import { z } from '@hono/zod-openapi';
import { roleSchema } from '../identity/identity-schemas.js';

const timestamp = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const pathId = (name: string) => uuid.openapi({ param: { name, in: 'path' } });

export const memberParamsSchema = z.object({ orgId: pathId('orgId'), userId: pathId('userId') });
export const invitationParamsSchema = z.object({ orgId: pathId('orgId'), invitationId: pathId('invitationId') });

export const memberSchema = z
  .object({
    userId: uuid,
    email: z.string(),
    role: roleSchema,
    status: z.enum(['invited', 'active', 'disabled']),
    mfaEnrolled: z.boolean(),
    joinedAt: timestamp,
  })
  .openapi('Member');

export const changeRoleBodySchema = z.object({ role: roleSchema }).openapi('ChangeRoleRequest');
export const changedRoleSchema = z.object({ userId: uuid, role: roleSchema }).openapi('ChangedRole');

export const pendingInvitationSchema = z
  .object({
    id: uuid,
    /** Null only if the invited account no longer exists. */
    email: z.string().nullable(),
    role: roleSchema,
    invitedBy: uuid.nullable(),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .openapi('PendingInvitation');

export const apiTokenParamsSchema = z.object({ orgId: pathId('orgId'), tokenId: pathId('tokenId') });
const tokenRoleSchema = z.enum(['admin', 'analyst', 'viewer']).openapi('ApiTokenRole');

export const createApiTokenBodySchema = z
  .object({
    name: z.string().trim().min(1, { error: 'is required' }).max(100, { error: 'is at most 100 characters' }),
    role: tokenRoleSchema,
    expiresInDays: z.number().int().min(1).max(365),
  })
  .openapi('CreateApiTokenRequest');

export const apiTokenSchema = z
  .object({
    id: uuid,
    name: z.string(),
    role: tokenRoleSchema,
    createdBy: uuid.nullable(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
  })
  .openapi('ApiToken');

export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() }).openapi('CreatedApiToken');
