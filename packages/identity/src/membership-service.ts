import { can, canChangeMembership, isRole, type Action, type Role } from '@kindling/access';
import { AppError } from '@kindling/errors';
import { withTenant, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import type { MfaService } from './mfa-service.js';
import type { SessionService } from './session-service.js';
import type { UserDirectory } from './user-directory.js';

/**
 * Who acts on an organisation: a signed-in person (whose role is read from the organisation), or
 * an API token, bound to one organisation and a role when it was authenticated.
 */
export type OrganisationActor =
  | { readonly kind?: 'user'; readonly userId: string }
  | { readonly kind: 'token'; readonly tokenId: string; readonly orgId: string; readonly role: Role };

/** The audit actor columns of an actor. */
export function auditActorOf(actor: OrganisationActor): { actorUserId: string | null; actorTokenId: string | null } {
  return actor.kind === 'token' ? { actorUserId: null, actorTokenId: actor.tokenId } : { actorUserId: actor.userId, actorTokenId: null };
}

/** Opens the organisation's tenant context for an actor (NOT_FOUND for a malformed id). */
export function withActorTenant<T>(db: Kysely<Database>, orgId: string, actor: OrganisationActor, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
  if (!uuidPattern.test(orgId)) return Promise.reject(noSuchOrganisation());
  return withTenant(db, { orgId, userId: actor.kind === 'token' ? null : actor.userId }, work);
}

export interface MemberSummary {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly status: 'invited' | 'active' | 'disabled';
  readonly mfaEnrolled: boolean;
  readonly joinedAt: Date;
}

export interface PendingInvitation {
  readonly id: string;
  readonly email: string | null;
  readonly role: Role;
  readonly invitedBy: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface MembershipService {
  /** The organisation's members (needs `users.manage`). NOT_FOUND unless the actor is a member. */
  listMembers(orgId: string, actor: OrganisationActor): Promise<MemberSummary[]>;
  /**
   * Changes a member's role under the rules of `canChangeMembership`; the last owner cannot be
   * demoted. Revokes the member's sessions and audits `user.role_changed`.
   */
  changeRole(input: { readonly orgId: string; readonly userId: string; readonly role: Role }, actor: OrganisationActor, meta: RequestMeta): Promise<Role>;
  /** Removes a member (the last owner cannot be removed); revokes their sessions; audits `user.removed`. */
  removeMember(input: { readonly orgId: string; readonly userId: string }, actor: OrganisationActor, meta: RequestMeta): Promise<void>;
  /**
   * Removes a member's authenticator app, recovery codes and passkeys (a lost phone), so they
   * enrol again at their next sign-in; their sessions end. A person's act only (never an API
   * token), never on oneself (account security is for that), an owner's only by an owner, and
   * only for someone who belongs to no other organisation: the second factor guards the whole
   * account, which this organisation's admins do not own. Audits `auth.mfa.reset`.
   */
  resetMemberMfa(input: { readonly orgId: string; readonly userId: string }, actor: OrganisationActor, meta: RequestMeta): Promise<void>;
  /** Invitations not yet accepted, withdrawn or expired, newest first (needs `users.manage`). */
  listPendingInvitations(orgId: string, actor: OrganisationActor): Promise<PendingInvitation[]>;
  /** Withdraws a pending invitation; audits `invitation.revoked`. NOT_FOUND for any other id. */
  revokeInvitation(input: { readonly orgId: string; readonly invitationId: string }, actor: OrganisationActor, meta: RequestMeta): Promise<void>;
}

export interface MembershipServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'emailOf' | 'organisationsOf'>;
  readonly sessions: Pick<SessionService, 'revokeUserSessions'>;
  readonly mfa: Pick<MfaService, 'resetMfa'>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function noSuchOrganisation(): AppError {
  return new AppError('NOT_FOUND', 'No such organisation.');
}

function noSuchMember(): AppError {
  return new AppError('NOT_FOUND', 'No such member.');
}

/**
 * The actor's role in the organisation of the transaction, checked against `action`. A person who
 * is not a member learns nothing about the organisation (NOT_FOUND, as for an unknown id).
 */
export async function actorRoleIn(trx: TenantTransaction, orgId: string, actor: OrganisationActor, action: Action): Promise<Role> {
  if (actor.kind === 'token') {
    // A token reaches only its own organisation; any other looks like one that does not exist.
    if (actor.orgId.toLowerCase() !== orgId.toLowerCase()) throw noSuchOrganisation();
    if (!can(actor.role, action)) throw new AppError('FORBIDDEN', 'The role of this API token does not allow this.');
    return actor.role;
  }
  const row = await trx
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.org_id')
    .select('membership.role')
    .where('membership.org_id', '=', orgId)
    .where('membership.user_id', '=', actor.userId)
    .where('organisation.deleted_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined || !isRole(row.role)) throw noSuchOrganisation();
  if (!can(row.role, action)) throw new AppError('FORBIDDEN', 'Your role does not allow this.');
  return row.role;
}

export function createMembershipService(deps: MembershipServiceDependencies): MembershipService {
  const { db, clock, audit, directory, sessions, mfa } = deps;

  function tenant<T>(orgId: string, actor: OrganisationActor, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
    return withActorTenant(db, orgId, actor, work);
  }

  /** The target's membership, locked; and when it is an owner's, whether another owner remains. */
  async function lockedMembership(trx: TenantTransaction, orgId: string, userId: string): Promise<{ role: Role; otherOwners: number }> {
    if (!uuidPattern.test(userId)) throw noSuchMember();
    const owners = await trx.selectFrom('membership').select(['user_id', 'role']).where('org_id', '=', orgId).where('role', '=', 'owner').forUpdate().execute();
    const row = await trx.selectFrom('membership').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).forUpdate().executeTakeFirst();
    if (row === undefined || !isRole(row.role)) throw noSuchMember();
    return { role: row.role, otherOwners: owners.filter((owner) => owner.user_id !== userId).length };
  }

  return {
    async listMembers(orgId, actor) {
      const rows = await tenant(orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'users.manage');
        return trx
          .selectFrom('membership')
          .innerJoin('app_user', 'app_user.id', 'membership.user_id')
          .select(['membership.user_id', 'membership.role', 'membership.created_at', 'app_user.status', 'app_user.mfa_enrolled_at'])
          .where('membership.org_id', '=', orgId)
          .orderBy('membership.created_at')
          .orderBy('membership.user_id')
          .execute();
      });
      return Promise.all(
        rows.map(async (row) => ({
          userId: row.user_id,
          email: await directory.emailOf(row.user_id),
          role: row.role,
          status: row.status,
          mfaEnrolled: row.mfa_enrolled_at !== null,
          joinedAt: row.created_at,
        })),
      );
    },

    async changeRole({ orgId, userId, role }, actor, meta) {
      return tenant(orgId, actor, async (trx) => {
        const actorRole = await actorRoleIn(trx, orgId, actor, 'roles.manage');
        const target = await lockedMembership(trx, orgId, userId);
        if (target.role === role) return role;
        if (!canChangeMembership(actorRole, target.role, role)) {
          throw new AppError('FORBIDDEN', target.role === 'owner' || role === 'owner' ? 'Only an owner can make or unmake an owner.' : 'Your role does not allow this.');
        }
        if (target.role === 'owner' && target.otherOwners === 0) {
          throw new AppError('CONFLICT', 'The last owner cannot be demoted; make someone else an owner first.', { details: { reason: 'last_owner' } });
        }
        await trx.updateTable('membership').set({ role }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
        await audit(trx, {
          orgId,
          action: 'user.role_changed',
          ...auditActorOf(actor),
          target: { type: 'user', id: userId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { from: target.role, to: role },
        });
        await sessions.revokeUserSessions(userId, 'role_changed', undefined, meta, trx);
        return role;
      });
    },

    async removeMember({ orgId, userId }, actor, meta) {
      await tenant(orgId, actor, async (trx) => {
        const actorRole = await actorRoleIn(trx, orgId, actor, 'users.manage');
        const target = await lockedMembership(trx, orgId, userId);
        if (!canChangeMembership(actorRole, target.role, null)) {
          throw new AppError('FORBIDDEN', target.role === 'owner' ? 'Only an owner can remove an owner.' : 'Your role does not allow this.');
        }
        if (target.role === 'owner' && target.otherOwners === 0) {
          throw new AppError('CONFLICT', 'The last owner cannot be removed; make someone else an owner first.', { details: { reason: 'last_owner' } });
        }
        await trx.deleteFrom('membership').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
        await audit(trx, {
          orgId,
          action: 'user.removed',
          ...auditActorOf(actor),
          target: { type: 'user', id: userId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role: target.role },
        });
        await sessions.revokeUserSessions(userId, 'removed_from_organisation', undefined, meta, trx);
      });
    },

    async resetMemberMfa({ orgId, userId }, actor, meta) {
      if (actor.kind === 'token') throw new AppError('FORBIDDEN', 'Resetting two-step verification needs a person, not an API token.');
      await tenant(orgId, actor, async (trx) => {
        const actorRole = await actorRoleIn(trx, orgId, actor, 'users.manage');
        const target = await lockedMembership(trx, orgId, userId);
        if (userId === actor.userId) throw new AppError('CONFLICT', 'Change your own sign-in methods on the Account security page.', { details: { reason: 'self' } });
        if (target.role === 'owner' && actorRole !== 'owner') throw new AppError('FORBIDDEN', "Only an owner can reset an owner's two-step verification.");
      });
      const organisations = await directory.organisationsOf(userId);
      if (organisations.some((organisation) => organisation.id !== orgId)) {
        throw new AppError('CONFLICT', "This person also belongs to another organisation, so their two-step verification can only be reset by Kindling's operator (kindling admin reset-mfa).", {
          details: { reason: 'member_of_other_organisations' },
        });
      }
      await mfa.resetMfa(userId, { orgId, userId: actor.userId }, meta);
    },

    async listPendingInvitations(orgId, actor) {
      const now = clock.now();
      const rows = await tenant(orgId, actor, async (trx) => {
        await actorRoleIn(trx, orgId, actor, 'users.manage');
        return trx
          .selectFrom('invitation')
          .leftJoin('app_user', 'app_user.email_blind_index', 'invitation.email_blind_index')
          .select(['invitation.id', 'invitation.role', 'invitation.invited_by', 'invitation.created_at', 'invitation.expires_at', 'app_user.id as user_id'])
          .where('invitation.org_id', '=', orgId)
          .where('invitation.accepted_at', 'is', null)
          .where('invitation.revoked_at', 'is', null)
          .where('invitation.expires_at', '>', now)
          .orderBy('invitation.created_at', 'desc')
          .execute();
      });
      return Promise.all(
        rows.map(async (row) => ({
          id: row.id,
          email: row.user_id === null ? null : await directory.emailOf(row.user_id),
          role: row.role,
          invitedBy: row.invited_by,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        })),
      );
    },

    async revokeInvitation({ orgId, invitationId }, actor, meta) {
      await tenant(orgId, actor, async (trx) => {
        const actorRole = await actorRoleIn(trx, orgId, actor, 'users.manage');
        if (!uuidPattern.test(invitationId)) throw new AppError('NOT_FOUND', 'No such invitation.');
        const now = clock.now();
        const invitation = await trx
          .selectFrom('invitation')
          .select('role')
          .where('id', '=', invitationId)
          .where('org_id', '=', orgId)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .forUpdate()
          .executeTakeFirst();
        if (invitation === undefined) throw new AppError('NOT_FOUND', 'No such invitation.');
        if (invitation.role === 'owner' && actorRole !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can withdraw an owner invitation.');
        await trx.updateTable('invitation').set({ revoked_at: now }).where('id', '=', invitationId).execute();
        await audit(trx, {
          orgId,
          action: 'invitation.revoked',
          ...auditActorOf(actor),
          target: { type: 'invitation', id: invitationId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role: invitation.role },
        });
      });
    },
  };
}
