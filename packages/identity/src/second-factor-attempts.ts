import { AppError } from '@kindling/errors';
import type { Database, Kysely } from '@kindling/db';
import type { AuditAppender, RequestMeta } from './identity-dependencies.js';
import type { ActiveSession, IssuedSession } from './session-service.js';
import { accountThrottleKey, type ThrottleKey } from './throttle.js';
import type { UserDirectory } from './user-directory.js';

/** What every second factor (TOTP, recovery code, passkey) does around an attempt, done one way. */
export interface SecondFactorAttempts {
  /** The account throttle key of the session's user: second-factor failures count like password failures. */
  throttleKeyOf(userId: string): Promise<ThrottleKey>;
  /** Audits a failed attempt as `auth.sign_in.failed` at the MFA stage, with a reason code. */
  recordFailure(session: ActiveSession, meta: RequestMeta, reason: string): Promise<void>;
  /** Audits the completed sign-in in the transaction that issued `next`, naming the factor used. */
  recordSuccess(trx: Kysely<Database>, session: ActiveSession, next: IssuedSession, meta: RequestMeta, factor: string, extra?: Readonly<Record<string, number>>): Promise<void>;
}

export function createSecondFactorAttempts(deps: { readonly db: Kysely<Database>; readonly audit: AuditAppender; readonly directory: Pick<UserDirectory, 'findById'> }): SecondFactorAttempts {
  const { db, audit, directory } = deps;
  return {
    async throttleKeyOf(userId) {
      const account = await directory.findById(userId);
      if (account?.status !== 'active') throw new AppError('UNAUTHENTICATED', 'The session has ended. Sign in again.');
      return accountThrottleKey(account.emailBlindIndex);
    },

    async recordFailure(session, meta, reason) {
      await audit(db, {
        orgId: null,
        action: 'auth.sign_in.failed',
        actorUserId: session.userId,
        target: { type: 'user', id: session.userId },
        clientAddress: meta.clientAddress,
        userAgent: meta.userAgent,
        details: { stage: 'mfa', reason },
      });
    },

    async recordSuccess(trx, session, next, meta, factor, extra = {}) {
      await audit(trx, {
        orgId: null,
        action: 'auth.sign_in.succeeded',
        actorUserId: session.userId,
        target: { type: 'session', id: next.sessionId },
        clientAddress: meta.clientAddress,
        userAgent: meta.userAgent,
        details: { factor, ...extra },
      });
    },
  };
}
