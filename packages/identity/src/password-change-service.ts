import { AppError } from '@kindling/errors';
import type { Database, Kysely } from '@kindling/db';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import { hashPassword } from './password-hashing.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { ActiveSession, IssuedSession, SessionService } from './session-service.js';
import { checkPasswordAttempt } from './sign-in-service.js';
import type { AuthThrottle } from './throttle.js';
import type { UserDirectory } from './user-directory.js';

export interface ChangedPassword {
  /** Replaces the session the change was made in: the old token no longer works. */
  readonly session: IssuedSession;
  /** The user's other sessions (other browsers and devices) that the change ended. */
  readonly otherSessionsRevoked: number;
}

export interface PasswordChangeService {
  /**
   * Changes the signed-in user's password. The current password is checked like a sign-in
   * (same throttle: RATE_LIMITED while locked; a wrong one is VALIDATION_FAILED on
   * `currentPassword` and counts as a failure); the new one must pass the password policy
   * (VALIDATION_FAILED on `newPassword`, naming the problems) and differ from the current one.
   * On success every other session of the user ends and this one gets a new token.
   */
  changePassword(session: ActiveSession, input: { readonly currentPassword: string; readonly newPassword: string }, meta: RequestMeta): Promise<ChangedPassword>;
}

export interface PasswordChangeServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'findById' | 'emailOf'>;
  readonly throttle: Pick<AuthThrottle, 'reserve' | 'refund'>;
  readonly sessions: Pick<SessionService, 'replace' | 'revokeUserSessions'>;
}

function fieldProblem(path: 'currentPassword' | 'newPassword', message: string, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: { issues: [{ location: 'body', path, message, problem }] } });
}

function sessionEnded(): AppError {
  return new AppError('UNAUTHENTICATED', 'The session has ended. Sign in again.');
}

export function createPasswordChangeService(deps: PasswordChangeServiceDependencies): PasswordChangeService {
  const { db, clock, audit, directory, throttle, sessions } = deps;

  return {
    async changePassword(session, { currentPassword, newPassword }, meta) {
      // The route demands a complete session; a password-stage one must never get this far.
      if (session.stage !== 'mfa_complete') throw sessionEnded();
      const account = await directory.findById(session.userId);
      if (account?.status !== 'active') throw sessionEnded();

      // Checked before the current password, so a weak choice costs no throttle count.
      assertAcceptablePassword(newPassword, { email: await directory.emailOf(account.id), field: 'newPassword' });

      // A stolen session must not become a way to guess the password without limit.
      if (!(await checkPasswordAttempt({ db, audit, throttle }, account, currentPassword, meta, 'password_change'))) {
        throw fieldProblem('currentPassword', 'The current password is not correct.', 'incorrect');
      }
      if (newPassword === currentPassword) throw fieldProblem('newPassword', 'Choose a password different from your current one.', 'unchanged');

      const newHash = await hashPassword(newPassword);
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('app_user')
          .set({ password_hash: newHash, password_changed_at: clock.now() })
          .where('id', '=', account.id)
          // The hash that was just verified: of two concurrent changes, only one applies.
          .where('password_hash', '=', account.passwordHash)
          .executeTakeFirst();
        if (updated.numUpdatedRows !== 1n) throw new AppError('CONFLICT', 'The password was changed meanwhile. Sign in again with the new one.');
        const next = await sessions.replace(session, { stage: 'mfa_complete', orgId: session.orgId }, 'password_changed', meta, trx);
        const otherSessionsRevoked = await sessions.revokeUserSessions(account.id, 'password_changed', next.sessionId, meta, trx);
        await audit(trx, {
          orgId: null,
          action: 'auth.password.changed',
          actorUserId: account.id,
          target: { type: 'user', id: account.id },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { otherSessionsRevoked },
        });
        return { session: next, otherSessionsRevoked };
      });
    },
  };
}
