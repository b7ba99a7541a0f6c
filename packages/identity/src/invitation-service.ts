import { randomBytes, randomUUID } from 'node:crypto';
import { canChangeMembership, type Role } from '@kindling/access';
import { AppError } from '@kindling/errors';
import { withTenant, withTokenLookup, type Database, type Kysely, type MembershipRole } from '@kindling/db';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import type { Mailer } from './mailer.js';
import { hashToken, issueToken } from './opaque-token.js';
import { hashPassword } from './password-hashing.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { IssuedSession, NextStep, SessionService } from './session-service.js';
import { checkPasswordAttempt, signInRejected } from './sign-in-service.js';
import type { AuthThrottle } from './throttle.js';
import type { UserDirectory } from './user-directory.js';

/** How long an invitation link stays valid. */
export const invitationLifetimeDays = 7;

const invitationTokenPrefix = 'kdl_i_';
const invitationTokenPattern = /^kdl_i_[A-Za-z0-9_-]{43}$/;

export interface CreatedInvitation {
  readonly id: string;
  readonly expiresAt: Date;
  /** The enrolment link; give it to the person only when `delivered` is false. */
  readonly link: string;
  /** Whether the mailer actually delivered the link. */
  readonly delivered: boolean;
}

export interface InvitationPreview {
  readonly organisationId: string;
  readonly organisationName: string;
  readonly role: Role;
  readonly expiresAt: Date;
  /** `existing`: the person already has a password (they enter it); `new`: they choose one. */
  readonly account: 'new' | 'existing';
}

export interface AcceptedInvitation {
  /** At stage `password`: next comes TOTP enrolment (or verification, for an enrolled user). */
  readonly session: IssuedSession;
  readonly next: NextStep;
  readonly userId: string;
  readonly organisationId: string;
}

export interface BootstrappedOrganisation {
  readonly organisationId: string;
  readonly ownerUserId: string;
  readonly invitationId: string;
  readonly link: string;
  readonly expiresAt: Date;
}

export interface InvitationService {
  /**
   * Invites `email` into an organisation with `role` (the inviter must be allowed to grant it:
   * owners and admins, and only owners make owners). Creates the account, status `invited`, if
   * there is none; withdraws earlier pending invitations of the same address to the same
   * organisation; sends the link through the mailer. CONFLICT when already a member;
   * UNAVAILABLE (details.invitationId) when the mail could not be sent, the invitation kept.
   */
  createInvitation(
    input: { readonly orgId: string; readonly email: string; readonly role: Role; readonly invitedBy: { readonly userId: string; readonly role: Role } },
    meta: RequestMeta,
  ): Promise<CreatedInvitation>;
  /** What an invitation link offers. NOT_FOUND alike for unknown, used, withdrawn and expired links. */
  inspectInvitation(token: string): Promise<InvitationPreview>;
  /**
   * Accepts an invitation: a new account sets its password (policy-checked); an existing one
   * proves it (throttled like sign-in). The account becomes active, joins the organisation, and
   * gets a password-stage session. The link works once.
   */
  acceptInvitation(input: { readonly token: string; readonly password: string }, meta: RequestMeta): Promise<AcceptedInvitation>;
  /**
   * Creates an organisation with an owner invitation for `ownerEmail` (account status
   * `invited`) and returns the link; for `kindling admin create` and the demo organisation.
   * Does not send mail: the caller shows the link. CONFLICT when `slug` is taken.
   */
  bootstrapOrganisation(input: { readonly name: string; readonly ownerEmail: string; readonly slug?: string }, meta?: RequestMeta): Promise<BootstrappedOrganisation>;
}

export interface InvitationServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'emailBlindIndex' | 'ensureUser' | 'findByEmailBlindIndex' | 'emailOf'>;
  readonly throttle: Pick<AuthThrottle, 'reserve' | 'refund'>;
  readonly sessions: Pick<SessionService, 'issue'>;
  readonly mailer: Mailer;
  /** Where people reach Kindling (PUBLIC_URL), without a trailing slash. */
  readonly publicUrl: string;
}

/** One answer for every link that cannot be used, so a link's history is not revealed. */
function invitationUnusable(): AppError {
  return new AppError('NOT_FOUND', 'This invitation link is not valid. It may have expired, been used or been withdrawn; ask for a new one.');
}

const noMeta: RequestMeta = { clientAddress: null, userAgent: null };

/** A URL-safe organisation slug from its name: `Friends of the Earth` → `friends-of-the-earth`. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return slug === '' ? 'organisation' : slug;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === constraint;
}

export function createInvitationService(deps: InvitationServiceDependencies): InvitationService {
  const { db, clock, audit, directory, throttle, sessions, mailer } = deps;

  function linkFor(token: string): string {
    // In the fragment, which browsers never send: the token stays out of server and proxy logs.
    return `${deps.publicUrl}/enrol#token=${token}`;
  }

  function expiry(now: Date): Date {
    return new Date(now.getTime() + invitationLifetimeDays * 24 * 3_600_000);
  }

  /** The invitation behind a token, if it can still be used. */
  async function usableInvitation(token: string): Promise<{ id: string; orgId: string; role: MembershipRole; emailBlindIndex: Buffer; expiresAt: Date }> {
    if (!invitationTokenPattern.test(token)) throw invitationUnusable();
    const row = await withTokenLookup(db, hashToken(token), (trx) =>
      trx
        .selectFrom('invitation')
        .select(['id', 'org_id', 'role', 'email_blind_index', 'expires_at', 'accepted_at', 'revoked_at'])
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst(),
    );
    if (row?.accepted_at !== null || row.revoked_at !== null || row.expires_at.getTime() <= clock.now().getTime()) {
      throw invitationUnusable();
    }
    return { id: row.id, orgId: row.org_id, role: row.role, emailBlindIndex: row.email_blind_index, expiresAt: row.expires_at };
  }

  return {
    async createInvitation({ orgId, email, role, invitedBy }, meta) {
      if (!canChangeMembership(invitedBy.role, null, role)) {
        throw new AppError('FORBIDDEN', role === 'owner' ? 'Only an owner can invite another owner.' : 'You may not invite people to this organisation.');
      }
      const blindIndex = await directory.emailBlindIndex(email);
      const user = await directory.ensureUser(email);
      const { token, hash } = issueToken(invitationTokenPrefix);
      const now = clock.now();
      const expiresAt = expiry(now);
      const created = await withTenant(db, { orgId, userId: invitedBy.userId }, async (trx) => {
        const organisation = await trx.selectFrom('organisation').select('name').where('id', '=', orgId).where('deleted_at', 'is', null).executeTakeFirst();
        if (organisation === undefined) throw new AppError('NOT_FOUND', 'No such organisation.');
        const member = await trx.selectFrom('membership').select('role').where('org_id', '=', orgId).where('user_id', '=', user.id).executeTakeFirst();
        if (member !== undefined) throw new AppError('CONFLICT', 'This person is already a member of the organisation.');
        // One live link per person and organisation: the newest.
        await trx
          .updateTable('invitation')
          .set({ revoked_at: now })
          .where('org_id', '=', orgId)
          .where('email_blind_index', '=', blindIndex)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .execute();
        const invitation = await trx
          .insertInto('invitation')
          .values({ org_id: orgId, email_blind_index: blindIndex, role, token_hash: hash, invited_by: invitedBy.userId, created_at: now, expires_at: expiresAt })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, {
          orgId,
          action: 'user.invited',
          actorUserId: invitedBy.userId,
          target: { type: 'user', id: user.id },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role, invitationId: invitation.id },
        });
        return { id: invitation.id, organisationName: organisation.name };
      });
      const link = linkFor(token);
      try {
        await mailer.sendInvitation({ to: email, organisationId: orgId, organisationName: created.organisationName, invitationId: created.id, role, link, expiresAt });
      } catch (error) {
        // The invitation stays committed and pending (listed, audited, revocable), but its token
        // is not handed out: only the addressee may hold it. Inviting the person again sends a
        // fresh link and withdraws this one, so nothing is lost and no second live link remains.
        throw new AppError(
          'UNAVAILABLE',
          'The invitation was saved, but its e-mail could not be sent. Check the mail settings, then invite the person again to send a new link.',
          { details: { invitationId: created.id, reason: 'mail_not_sent' }, cause: error },
        );
      }
      return { id: created.id, expiresAt, link, delivered: mailer.deliversMail };
    },

    async inspectInvitation(token) {
      const invitation = await usableInvitation(token);
      const organisation = await withTenant(db, { orgId: invitation.orgId }, (trx) =>
        trx.selectFrom('organisation').select('name').where('id', '=', invitation.orgId).where('deleted_at', 'is', null).executeTakeFirst(),
      );
      if (organisation === undefined) throw invitationUnusable();
      const account = await directory.findByEmailBlindIndex(invitation.emailBlindIndex);
      if (account?.status === 'disabled') throw invitationUnusable();
      return {
        organisationId: invitation.orgId,
        organisationName: organisation.name,
        role: invitation.role,
        expiresAt: invitation.expiresAt,
        account: account === undefined || account.passwordHash === null ? 'new' : 'existing',
      };
    },

    async acceptInvitation({ token, password }, meta) {
      const invitation = await usableInvitation(token);
      const account = await directory.findByEmailBlindIndex(invitation.emailBlindIndex);
      if (account === undefined || account.status === 'disabled') throw invitationUnusable();

      let newPasswordHash: string | undefined;
      if (account.passwordHash === null) {
        assertAcceptablePassword(password, { email: await directory.emailOf(account.id) });
        newPasswordHash = await hashPassword(password);
      } else {
        // An existing account proves its password: the link alone must never reset a password.
        if (!(await checkPasswordAttempt({ db, audit, throttle }, account, password, meta, 'invitation'))) {
          throw signInRejected();
        }
      }

      const now = clock.now();
      const session = await withTenant(db, { orgId: invitation.orgId, userId: account.id }, async (trx) => {
        const accepted = await trx
          .updateTable('invitation')
          .set({ accepted_at: now })
          .where('id', '=', invitation.id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        // Used by a concurrent request a moment ago.
        if (accepted.numUpdatedRows !== 1n) throw invitationUnusable();
        if (newPasswordHash === undefined) {
          await trx.updateTable('app_user').set({ status: 'active' }).where('id', '=', account.id).where('status', '=', 'invited').execute();
        } else {
          const updated = await trx
            .updateTable('app_user')
            .set({ password_hash: newPasswordHash, password_changed_at: now, status: 'active' })
            .where('id', '=', account.id)
            .where('password_hash', 'is', null)
            .executeTakeFirst();
          if (updated.numUpdatedRows !== 1n) throw invitationUnusable();
        }
        await trx
          .insertInto('membership')
          .values({ org_id: invitation.orgId, user_id: account.id, role: invitation.role, created_at: now })
          .onConflict((conflict) => conflict.columns(['org_id', 'user_id']).doNothing())
          .execute();
        await audit(trx, {
          orgId: invitation.orgId,
          action: 'user.joined',
          actorUserId: account.id,
          target: { type: 'user', id: account.id },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { role: invitation.role, invitationId: invitation.id },
        });
        return sessions.issue({ userId: account.id, stage: 'password', orgId: invitation.orgId }, meta, trx);
      });
      return { session, next: account.mfaEnrolled ? 'verify_mfa' : 'enrol_totp', userId: account.id, organisationId: invitation.orgId };
    },

    async bootstrapOrganisation({ name, ownerEmail, slug }, meta = noMeta) {
      const blindIndex = await directory.emailBlindIndex(ownerEmail);
      const owner = await directory.ensureUser(ownerEmail);
      const { token, hash } = issueToken(invitationTokenPrefix);
      const candidates = slug === undefined ? [slugFromName(name), `${slugFromName(name)}-${randomBytes(3).toString('hex')}`] : [slug];
      for (const [attempt, candidate] of candidates.entries()) {
        const organisationId = randomUUID();
        const now = clock.now();
        const expiresAt = expiry(now);
        try {
          const invitationId = await withTenant(db, { orgId: organisationId }, async (trx) => {
            await trx.insertInto('organisation').values({ id: organisationId, name, slug: candidate, created_at: now }).execute();
            const invitation = await trx
              .insertInto('invitation')
              .values({ org_id: organisationId, email_blind_index: blindIndex, role: 'owner', token_hash: hash, invited_by: null, created_at: now, expires_at: expiresAt })
              .returning('id')
              .executeTakeFirstOrThrow();
            await audit(trx, {
              orgId: organisationId,
              action: 'organisation.created',
              target: { type: 'organisation', id: organisationId },
              clientAddress: meta.clientAddress,
              userAgent: meta.userAgent,
            });
            await audit(trx, {
              orgId: organisationId,
              action: 'user.invited',
              target: { type: 'user', id: owner.id },
              clientAddress: meta.clientAddress,
              userAgent: meta.userAgent,
              details: { role: 'owner', invitationId: invitation.id },
            });
            return invitation.id;
          });
          return { organisationId, ownerUserId: owner.id, invitationId, link: linkFor(token), expiresAt };
        } catch (error) {
          if (!isUniqueViolation(error, 'organisation_slug_key')) throw error;
          if (attempt === candidates.length - 1) throw new AppError('CONFLICT', 'An organisation with that slug already exists.', { cause: error });
        }
      }
      throw new AppError('INTERNAL', 'No organisation slug was tried');
    },
  };
}
