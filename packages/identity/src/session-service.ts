import { AppError } from '@kindling/errors';
import type { Role } from '@kindling/access';
import type { Database, Kysely, SessionStage } from '@kindling/db';
import { hashToken, issueToken } from './opaque-token.js';
import { truncatedUserAgent, type AuditAppender, type Clock, type RequestMeta } from './identity-dependencies.js';
import type { UserDirectory } from './user-directory.js';

/** How long sessions live. Configured by SESSION_IDLE_MINUTES and SESSION_ABSOLUTE_HOURS. */
export interface SessionPolicy {
  /** A session unused for this long ends. */
  readonly idleMinutes: number;
  /** A session ends this long after it was issued, however active. */
  readonly absoluteHours: number;
}

export const defaultSessionPolicy: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

/**
 * A session that has only passed the password step reaches nothing but the second factor, and
 * needs no long life: long enough to install an authenticator app, short enough to be useless
 * to someone who finds an unattended sign-in half done.
 */
const passwordStageMinutes = 30;

/** `last_seen_at` is written at most this often per session, so reads do not turn into writes. */
const lastSeenResolutionMs = 60_000;

const sessionTokenPrefix = 'kdl_s_';
const sessionTokenPattern = /^kdl_s_[A-Za-z0-9_-]{43}$/;

/** What comes after the password step: enrol a TOTP authenticator, or prove the one enrolled. */
export type NextStep = 'enrol_totp' | 'verify_mfa';

/** A newly issued session: the token goes to the client once (in a cookie); only its hash is stored. */
export interface IssuedSession {
  readonly token: string;
  readonly sessionId: string;
  readonly stage: SessionStage;
  readonly expiresAt: Date;
  /** Seconds from issue to `expiresAt`: the cookie's Max-Age. */
  readonly lifetimeSeconds: number;
}

/** A presented session token that is valid right now. */
export interface ActiveSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly stage: SessionStage;
  /** The selected organisation, when the user is still a member of it. */
  readonly orgId: string | null;
  readonly role: Role | null;
  readonly mfaEnrolled: boolean;
  readonly expiresAt: Date;
}

/** One of a user's sessions, as "my sessions" lists them. */
export interface SessionSummary {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly clientAddress: string | null;
  readonly userAgent: string | null;
}

export interface IssueSessionInput {
  readonly userId: string;
  readonly stage: SessionStage;
  readonly orgId?: string | null;
}

export interface SessionService {
  /** Issues a session; pass a transaction to make it part of a larger change. */
  issue(input: IssueSessionInput, meta: RequestMeta, db?: Kysely<Database>): Promise<IssuedSession>;
  /** The session behind a token, or undefined when unknown, revoked, expired, idle or its user is not active. */
  authenticate(token: string): Promise<ActiveSession | undefined>;
  /**
   * Revokes `current` and issues a new token at `stage` for organisation `orgId` (after the
   * second factor, so a token seen before it is worthless after). Pass a transaction to make it
   * part of a larger change; it uses no other connection.
   */
  replace(current: ActiveSession, next: { readonly stage: SessionStage; readonly orgId: string | null }, reason: string, meta: RequestMeta, db?: Kysely<Database>): Promise<IssuedSession>;
  /**
   * The organisation a session should work in once complete: the one it has, else the user's
   * only organisation, else none (the user picks). Read before opening a transaction.
   */
  organisationAfterSignIn(current: ActiveSession): Promise<string | null>;
  /** Signs the session out (audited). */
  signOut(session: ActiveSession, meta: RequestMeta): Promise<void>;
  /**
   * Revokes every active session of a user except `exceptSessionId`: on a password change, an
   * MFA change, a role change or the user's removal. Audited when any was revoked. Returns how many.
   */
  revokeUserSessions(userId: string, reason: string, exceptSessionId?: string, meta?: RequestMeta, db?: Kysely<Database>): Promise<number>;
  /** The user's sessions that are still usable, most recent first. */
  listActive(userId: string): Promise<SessionSummary[]>;
  /** Revokes one of the user's own sessions; NOT_FOUND for anyone else's (or an unknown id). */
  revokeOwnSession(userId: string, sessionId: string, meta: RequestMeta): Promise<void>;
  /** Makes `orgId` the session's current organisation; FORBIDDEN unless the user is a member. */
  selectOrganisation(session: ActiveSession, orgId: string): Promise<Role>;
  /** The step a password-stage session has to take next. */
  nextStep(session: Pick<ActiveSession, 'stage' | 'mfaEnrolled'>): NextStep | null;
}

export interface SessionServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'organisationsOf' | 'membershipRole'>;
  readonly policy: SessionPolicy;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createSessionService(deps: SessionServiceDependencies): SessionService {
  const { clock, audit, directory, policy } = deps;
  const idleMs = policy.idleMinutes * 60_000;

  function lifetimeMs(stage: SessionStage): number {
    const absoluteMs = policy.absoluteHours * 3_600_000;
    return stage === 'password' ? Math.min(absoluteMs, passwordStageMinutes * 60_000) : absoluteMs;
  }

  async function issue(input: IssueSessionInput, meta: RequestMeta, db: Kysely<Database> = deps.db): Promise<IssuedSession> {
    const { token, hash } = issueToken(sessionTokenPrefix);
    const now = clock.now();
    const lifetime = lifetimeMs(input.stage);
    const expiresAt = new Date(now.getTime() + lifetime);
    const row = await db
      .insertInto('user_session')
      .values({
        token_hash: hash,
        user_id: input.userId,
        org_id: input.orgId ?? null,
        stage: input.stage,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        client_address: meta.clientAddress,
        user_agent: truncatedUserAgent(meta.userAgent),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { token, sessionId: row.id, stage: input.stage, expiresAt, lifetimeSeconds: Math.floor(lifetime / 1000) };
  }

  async function revokeSession(sessionId: string, reason: string, db: Kysely<Database> = deps.db): Promise<boolean> {
    const result = await db
      .updateTable('user_session')
      .set({ revoked_at: clock.now(), revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  const service: SessionService = {
    issue,

    async authenticate(token) {
      if (!sessionTokenPattern.test(token)) return undefined;
      const row = await deps.db
        .selectFrom('user_session')
        .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
        .select([
          'user_session.id',
          'user_session.user_id',
          'user_session.org_id',
          'user_session.stage',
          'user_session.last_seen_at',
          'user_session.expires_at',
          'app_user.status',
          'app_user.mfa_enrolled_at',
        ])
        .where('user_session.token_hash', '=', hashToken(token))
        .where('user_session.revoked_at', 'is', null)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const now = clock.now().getTime();
      if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleMs <= now || row.status !== 'active') return undefined;
      if (now - row.last_seen_at.getTime() >= lastSeenResolutionMs) {
        await deps.db
          .updateTable('user_session')
          .set({ last_seen_at: new Date(now) })
          .where('id', '=', row.id)
          .where('last_seen_at', '<', new Date(now - lastSeenResolutionMs))
          .execute();
      }
      const role = row.org_id === null ? undefined : await directory.membershipRole(row.user_id, row.org_id);
      return {
        sessionId: row.id,
        userId: row.user_id,
        stage: row.stage,
        orgId: role === undefined ? null : row.org_id,
        role: role ?? null,
        mfaEnrolled: row.mfa_enrolled_at !== null,
        expiresAt: row.expires_at,
      };
    },

    async replace(current, next, reason, meta, db = deps.db) {
      if (!(await revokeSession(current.sessionId, reason, db))) {
        // Revoked meanwhile (signed out elsewhere, or a concurrent request already replaced it).
        throw new AppError('UNAUTHENTICATED', 'The session has ended. Sign in again.');
      }
      return issue({ userId: current.userId, stage: next.stage, orgId: next.orgId }, meta, db);
    },

    async organisationAfterSignIn(current) {
      if (current.orgId !== null) return current.orgId;
      const organisations = await directory.organisationsOf(current.userId);
      return organisations.length === 1 ? (organisations[0]?.id ?? null) : null;
    },

    async signOut(session, meta) {
      await deps.db.transaction().execute(async (trx) => {
        if (!(await revokeSession(session.sessionId, 'signed_out', trx))) return;
        await audit(trx, {
          orgId: null,
          action: 'auth.sign_out',
          actorUserId: session.userId,
          target: { type: 'session', id: session.sessionId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
        });
      });
    },

    async revokeUserSessions(userId, reason, exceptSessionId, meta, db = deps.db) {
      let query = db
        .updateTable('user_session')
        .set({ revoked_at: clock.now(), revoked_reason: reason })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (exceptSessionId !== undefined) query = query.where('id', '<>', exceptSessionId);
      const result = await query.executeTakeFirst();
      const count = Number(result.numUpdatedRows);
      if (count > 0) {
        await audit(db, {
          orgId: null,
          action: 'session.revoked',
          actorUserId: userId,
          target: { type: 'user', id: userId },
          clientAddress: meta?.clientAddress ?? null,
          userAgent: meta?.userAgent ?? null,
          details: { reason, sessions: count },
        });
      }
      return count;
    },

    async listActive(userId) {
      const now = clock.now();
      const rows = await deps.db
        .selectFrom('user_session')
        .select(['id', 'created_at', 'last_seen_at', 'client_address', 'user_agent'])
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .where('last_seen_at', '>', new Date(now.getTime() - idleMs))
        .orderBy('last_seen_at', 'desc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        clientAddress: row.client_address,
        userAgent: row.user_agent,
      }));
    },

    async revokeOwnSession(userId, sessionId, meta) {
      if (!uuidPattern.test(sessionId)) throw new AppError('NOT_FOUND', 'No such session.');
      await deps.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('user_session')
          .set({ revoked_at: clock.now(), revoked_reason: 'revoked_by_user' })
          .where('id', '=', sessionId)
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        // Someone else's session and an unknown id look the same: no probing for session ids.
        if (result.numUpdatedRows === 0n) throw new AppError('NOT_FOUND', 'No such session.');
        await audit(trx, {
          orgId: null,
          action: 'session.revoked',
          actorUserId: userId,
          target: { type: 'session', id: sessionId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { reason: 'revoked_by_user', sessions: 1 },
        });
      });
    },

    async selectOrganisation(session, orgId) {
      const role = await directory.membershipRole(session.userId, orgId);
      // Not found rather than forbidden: a non-member learns nothing, not even that the id exists.
      if (role === undefined) throw new AppError('NOT_FOUND', 'No such organisation.');
      await deps.db.updateTable('user_session').set({ org_id: orgId }).where('id', '=', session.sessionId).where('revoked_at', 'is', null).execute();
      return role;
    },

    nextStep(session) {
      if (session.stage === 'mfa_complete') return null;
      return session.mfaEnrolled ? 'verify_mfa' : 'enrol_totp';
    },
  };
  return service;
}
