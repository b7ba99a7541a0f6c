import { AppError } from '@kindling/errors';
import { withTenant, type Database, type Kysely } from '@kindling/db';
import { platformScopeId, type AuditAppender, type Clock, type FieldContext, type FieldProtection, type RequestMeta } from './identity-dependencies.js';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import type { ActiveSession, IssuedSession, SessionService } from './session-service.js';
import type { AuthThrottle } from './throttle.js';
import { checkTotpCode, createTotpEnrolment } from './totp.js';
import { createSecondFactorAttempts } from './second-factor-attempts.js';
import type { UserDirectory } from './user-directory.js';

export interface TotpEnrolmentOffer {
  /** Base32, for typing into an authenticator by hand. */
  readonly secret: string;
  readonly otpauthUri: string;
  /** The otpauth URI as a QR code, rendered on the server. */
  readonly qrSvg: string;
}

export interface MfaService {
  /**
   * Starts (or restarts) TOTP enrolment for a user who has none: a fresh secret, stored
   * encrypted and unconfirmed. CONFLICT once a TOTP authenticator is confirmed.
   */
  beginTotpEnrolment(session: ActiveSession): Promise<TotpEnrolmentOffer>;
  /**
   * Confirms enrolment with a code from the authenticator. Issues ten recovery codes (shown
   * once, stored hashed), revokes every session of the user and issues a new, complete one.
   */
  confirmTotpEnrolment(session: ActiveSession, code: string, meta: RequestMeta): Promise<{ session: IssuedSession; recoveryCodes: string[] }>;
  /** The second factor of a sign-in: a TOTP code, each time step usable once. Replaces the session. */
  verifyTotp(session: ActiveSession, code: string, meta: RequestMeta): Promise<IssuedSession>;
  /** The second factor with a recovery code instead, each usable once. Replaces the session. */
  verifyRecoveryCode(session: ActiveSession, recoveryCode: string, meta: RequestMeta): Promise<{ session: IssuedSession; remainingRecoveryCodes: number }>;
  /**
   * Removes a user's second factors, passkeys included (an administrator's reset, e.g. for a lost phone): the
   * user enrols again at next sign-in. Revokes all their sessions. The caller authorises it;
   * `orgId` is the organisation in whose audit log the reset appears (null: platform level).
   */
  resetMfa(userId: string, actor: { readonly userId: string | null; readonly orgId: string | null }, meta: RequestMeta): Promise<void>;
}

export interface MfaServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly fields: FieldProtection;
  readonly directory: Pick<UserDirectory, 'emailOf' | 'findById'>;
  readonly throttle: Pick<AuthThrottle, 'reserve' | 'reset'>;
  readonly sessions: Pick<SessionService, 'replace' | 'revokeUserSessions' | 'organisationAfterSignIn'>;
  /** Shown in authenticator apps next to the account: "Kindling" unless configured. */
  readonly totpIssuer: string;
}

function totpSecretContext(userId: string): FieldContext {
  return { orgId: platformScopeId, purpose: 'field', table: 'mfa_totp', column: 'secret_ciphertext', rowId: userId };
}

function invalidCode(): AppError {
  return new AppError('UNAUTHENTICATED', 'The code is not valid. Enter the current code from your authenticator app.');
}

export function createMfaService(deps: MfaServiceDependencies): MfaService {
  const { db, clock, audit, fields, directory, throttle, sessions } = deps;

  const attempts = createSecondFactorAttempts({ db, audit, directory });

  function requirePasswordStage(session: ActiveSession, enrolled: boolean): void {
    if (session.stage !== 'password') throw new AppError('CONFLICT', 'This session has already passed the second factor.');
    if (session.mfaEnrolled !== enrolled) {
      throw new AppError(
        'CONFLICT',
        enrolled ? 'No authenticator is enrolled yet: enrol one first.' : 'An authenticator is already enrolled: verify a code from it instead.',
        { details: { next: enrolled ? 'enrol_totp' : 'verify_mfa' } },
      );
    }
  }

  /** Seconds since the epoch on the injected clock, so TOTP windows follow it in tests. */
  function epochSeconds(): number {
    return Math.floor(clock.now().getTime() / 1000);
  }

  return {
    async beginTotpEnrolment(session) {
      if (session.mfaEnrolled) throw new AppError('CONFLICT', 'An authenticator is already enrolled.');
      const email = await directory.emailOf(session.userId);
      const enrolment = await createTotpEnrolment(deps.totpIssuer, email);
      const ciphertext = await fields.encryptField(enrolment.secret, totpSecretContext(session.userId));
      const now = clock.now();
      const stored = await db
        .insertInto('mfa_totp')
        .values({ user_id: session.userId, secret_ciphertext: ciphertext, created_at: now, confirmed_at: null, last_used_step: null })
        .onConflict((conflict) =>
          conflict
            .column('user_id')
            .doUpdateSet({ secret_ciphertext: ciphertext, created_at: now, last_used_step: null })
            .where('mfa_totp.confirmed_at', 'is', null),
        )
        .returning('user_id')
        .executeTakeFirst();
      if (stored === undefined) throw new AppError('CONFLICT', 'An authenticator is already enrolled.');
      return { secret: enrolment.secret, otpauthUri: enrolment.uri, qrSvg: enrolment.qrSvg };
    },

    async confirmTotpEnrolment(session, code, meta) {
      requirePasswordStage(session, false);
      const key = await attempts.throttleKeyOf(session.userId);
      await throttle.reserve([key]);
      const row = await db
        .selectFrom('mfa_totp')
        .select(['secret_ciphertext', 'confirmed_at'])
        .where('user_id', '=', session.userId)
        .executeTakeFirst();
      if (row?.confirmed_at !== null) {
        throw new AppError('CONFLICT', 'Start the enrolment first: no authenticator is waiting for confirmation.');
      }
      const secret = await fields.decryptField(row.secret_ciphertext, totpSecretContext(session.userId));
      const check = await checkTotpCode(secret, code, { epoch: epochSeconds() });
      if (!check.valid) {
        await attempts.recordFailure(session, meta, 'totp_enrolment_code');
        throw invalidCode();
      }
      const { codes, hashes } = generateRecoveryCodes();
      const now = clock.now();
      const orgId = await sessions.organisationAfterSignIn(session);
      const issued = await db.transaction().execute(async (trx) => {
        const confirmed = await trx
          .updateTable('mfa_totp')
          .set({ confirmed_at: now, last_used_step: check.timeStep })
          .where('user_id', '=', session.userId)
          .where('confirmed_at', 'is', null)
          .executeTakeFirst();
        // A concurrent confirmation won: it issued the recovery codes and the session.
        if (confirmed.numUpdatedRows !== 1n) throw invalidCode();
        await trx.deleteFrom('mfa_recovery_code').where('user_id', '=', session.userId).execute();
        await trx
          .insertInto('mfa_recovery_code')
          .values(hashes.map((hash) => ({ user_id: session.userId, code_hash: hash, created_at: now })))
          .execute();
        await trx.updateTable('app_user').set({ mfa_enrolled_at: now }).where('id', '=', session.userId).execute();
        const next = await sessions.replace(session, { stage: 'mfa_complete', orgId }, 'mfa_enrolled', meta, trx);
        // An MFA change ends every other session, wherever it was opened.
        await sessions.revokeUserSessions(session.userId, 'mfa_enrolled', next.sessionId, meta, trx);
        await audit(trx, {
          orgId: null,
          action: 'auth.mfa.enrolled',
          actorUserId: session.userId,
          target: { type: 'user', id: session.userId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { factor: 'totp', recoveryCodes: codes.length },
        });
        await attempts.recordSuccess(trx, session, next, meta, 'totp_enrolment');
        return next;
      });
      await throttle.reset(key);
      return { session: issued, recoveryCodes: [...codes] };
    },

    async verifyTotp(session, code, meta) {
      requirePasswordStage(session, true);
      const key = await attempts.throttleKeyOf(session.userId);
      await throttle.reserve([key]);
      const row = await db
        .selectFrom('mfa_totp')
        .select(['secret_ciphertext', 'last_used_step'])
        .where('user_id', '=', session.userId)
        .where('confirmed_at', 'is not', null)
        .executeTakeFirst();
      if (row === undefined) throw new AppError('CONFLICT', 'No authenticator is enrolled.', { details: { next: 'enrol_totp' } });
      const secret = await fields.decryptField(row.secret_ciphertext, totpSecretContext(session.userId));
      const check = await checkTotpCode(secret, code, {
        epoch: epochSeconds(),
        ...(row.last_used_step === null ? {} : { afterTimeStep: row.last_used_step }),
      });
      if (!check.valid) {
        await attempts.recordFailure(session, meta, 'totp_code');
        throw invalidCode();
      }
      const orgId = await sessions.organisationAfterSignIn(session);
      const issued = await db.transaction().execute(async (trx) => {
        // Consuming the step is the single-use guarantee: of two requests with the same code,
        // however close together, only one moves last_used_step forward.
        const consumed = await trx
          .updateTable('mfa_totp')
          .set({ last_used_step: check.timeStep })
          .where('user_id', '=', session.userId)
          .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', check.timeStep)]))
          .executeTakeFirst();
        if (consumed.numUpdatedRows !== 1n) return undefined;
        const next = await sessions.replace(session, { stage: 'mfa_complete', orgId }, 'mfa_verified', meta, trx);
        await attempts.recordSuccess(trx, session, next, meta, 'totp');
        return next;
      });
      if (issued === undefined) {
        await attempts.recordFailure(session, meta, 'totp_replay');
        throw invalidCode();
      }
      await throttle.reset(key);
      return issued;
    },

    async verifyRecoveryCode(session, recoveryCode, meta) {
      requirePasswordStage(session, true);
      const key = await attempts.throttleKeyOf(session.userId);
      await throttle.reserve([key]);
      const orgId = await sessions.organisationAfterSignIn(session);
      const result = await db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('mfa_recovery_code')
          .set({ used_at: clock.now() })
          .where('user_id', '=', session.userId)
          .where('code_hash', '=', hashRecoveryCode(recoveryCode))
          .where('used_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (used === undefined) return undefined;
        const remaining = await trx
          .selectFrom('mfa_recovery_code')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('user_id', '=', session.userId)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        const next = await sessions.replace(session, { stage: 'mfa_complete', orgId }, 'mfa_recovered', meta, trx);
        const remainingRecoveryCodes = remaining.count;
        // Its own event, beside the sign-in: a used recovery code usually means a lost
        // authenticator (or a stolen code sheet), and a review of the log should find it by name.
        await audit(trx, {
          orgId: null,
          action: 'auth.mfa.recovery_code_used',
          actorUserId: session.userId,
          target: { type: 'user', id: session.userId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { remainingRecoveryCodes },
        });
        await attempts.recordSuccess(trx, session, next, meta, 'recovery_code', { remainingRecoveryCodes });
        return { session: next, remainingRecoveryCodes };
      });
      if (result === undefined) {
        await attempts.recordFailure(session, meta, 'recovery_code');
        throw new AppError('UNAUTHENTICATED', 'The recovery code is not valid, or was already used.');
      }
      await throttle.reset(key);
      return result;
    },

    async resetMfa(userId, actor, meta) {
      const work = async (trx: Kysely<Database>): Promise<void> => {
        await trx.deleteFrom('mfa_totp').where('user_id', '=', userId).execute();
        await trx.deleteFrom('mfa_recovery_code').where('user_id', '=', userId).execute();
        await trx.deleteFrom('webauthn_credential').where('user_id', '=', userId).execute();
        await trx.updateTable('app_user').set({ mfa_enrolled_at: null }).where('id', '=', userId).execute();
        await sessions.revokeUserSessions(userId, 'mfa_reset', undefined, meta, trx);
        await audit(trx, {
          orgId: actor.orgId,
          action: 'auth.mfa.reset',
          actorUserId: actor.userId,
          target: { type: 'user', id: userId },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
        });
      };
      if (actor.orgId === null) await db.transaction().execute(work);
      else await withTenant(db, { orgId: actor.orgId, userId: actor.userId }, work);
    },
  };
}
