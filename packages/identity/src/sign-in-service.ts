import { AppError } from '@kindling/errors';
import type { Database, Kysely } from '@kindling/db';
import { decoyPasswordHash, hashPassword, passwordHashNeedsUpgrade, verifyPassword } from './password-hashing.js';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import type { IssuedSession, NextStep, SessionService } from './session-service.js';
import { accountThrottleKey, addressThrottleKey, type AuthThrottle } from './throttle.js';
import type { UserAccount, UserDirectory } from './user-directory.js';

export interface SignInResult {
  /** At stage `password`: it reaches nothing but the second-factor endpoints. */
  readonly session: IssuedSession;
  readonly next: NextStep;
}

export interface SignInService {
  /**
   * Checks an e-mail address and password and issues a password-stage session. Unknown
   * address, wrong password, an account not (or no longer) active: one UNAUTHENTICATED error
   * with one message, after the same work (a decoy hash when there is no account), so the
   * answer never tells whether an account exists. RATE_LIMITED while the account or the
   * client address is locked, even for the right password.
   */
  signIn(credentials: { readonly email: string; readonly password: string }, meta: RequestMeta): Promise<SignInResult>;
}

/** The one answer to every failed sign-in. */
export function signInRejected(): AppError {
  return new AppError('UNAUTHENTICATED', 'The e-mail address or password is not correct.');
}

export type PasswordCheckOutcome = 'ok' | 'unknown_account' | 'no_password' | 'not_active' | 'wrong_password';

/**
 * Verifies a password the way sign-in does: against the account's hash, or a decoy hash when
 * there is none to check, so every outcome costs one Argon2id verification.
 */
export async function checkAccountPassword(account: UserAccount | undefined, password: string): Promise<PasswordCheckOutcome> {
  const stored = account?.passwordHash ?? null;
  const matches = await verifyPassword(stored ?? (await decoyPasswordHash()), password);
  if (account === undefined) return 'unknown_account';
  if (stored === null) return 'no_password';
  if (!matches) return 'wrong_password';
  return account.status === 'active' ? 'ok' : 'not_active';
}

/**
 * A known account proving its password outside the sign-in form (accepting an invitation,
 * changing the password). The same throttle counters as sign-in, so guesses made here and at
 * the form add up; success takes its counts back (and lifts the account's lockout), a failure is
 * audited with the step it happened at. True when it matched.
 */
export async function checkPasswordAttempt(
  deps: { readonly db: Kysely<Database>; readonly audit: AuditAppender; readonly throttle: Pick<AuthThrottle, 'reserve' | 'refund'> },
  account: UserAccount,
  password: string,
  meta: RequestMeta,
  stage: 'invitation' | 'password_change',
): Promise<boolean> {
  const [address, accountKey] = [addressThrottleKey(meta.clientAddress), accountThrottleKey(account.emailBlindIndex)] as const;
  await deps.throttle.reserve([address, accountKey]);
  const outcome = await checkAccountPassword(account, password);
  if (outcome === 'ok') {
    await deps.throttle.refund([
      { key: address, clearLock: false },
      { key: accountKey, clearLock: true },
    ]);
    return true;
  }
  await deps.audit(deps.db, {
    orgId: null,
    action: 'auth.sign_in.failed',
    actorUserId: account.id,
    target: { type: 'user', id: account.id },
    clientAddress: meta.clientAddress,
    userAgent: meta.userAgent,
    details: { stage, reason: outcome },
  });
  return false;
}

export interface SignInServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'emailBlindIndex' | 'findByEmailBlindIndex'>;
  readonly throttle: Pick<AuthThrottle, 'reserve' | 'refund'>;
  readonly sessions: Pick<SessionService, 'issue'>;
}

export function createSignInService(deps: SignInServiceDependencies): SignInService {
  const { db, audit, directory, throttle, sessions } = deps;
  // Computed now rather than on the first unknown address, which would otherwise take longer.
  void decoyPasswordHash();

  return {
    async signIn({ email, password }, meta) {
      const blindIndex = await directory.emailBlindIndex(email);
      const keys = [addressThrottleKey(meta.clientAddress), accountThrottleKey(blindIndex)] as const;
      await throttle.reserve(keys);
      const account = await directory.findByEmailBlindIndex(blindIndex);
      const outcome = await checkAccountPassword(account, password);

      if (account === undefined || outcome !== 'ok') {
        // The reservation stays: this attempt counts as a failure for the address and the account.
        await audit(db, {
          orgId: null,
          action: 'auth.sign_in.failed',
          actorUserId: account?.id ?? null,
          target: account === undefined ? null : { type: 'user', id: account.id },
          clientAddress: meta.clientAddress,
          userAgent: meta.userAgent,
          details: { stage: 'password', reason: outcome },
        });
        throw signInRejected();
      }

      // The password is right, but the account's failures are only forgotten once the second
      // factor is passed too: otherwise knowing the password would buy unlimited TOTP guesses.
      await throttle.refund([
        { key: keys[0], clearLock: false },
        { key: keys[1], clearLock: true },
      ]);
      if (account.passwordHash !== null && passwordHashNeedsUpgrade(account.passwordHash)) {
        await db.updateTable('app_user').set({ password_hash: await hashPassword(password) }).where('id', '=', account.id).execute();
      }
      const session = await sessions.issue({ userId: account.id, stage: 'password' }, meta);
      return { session, next: account.mfaEnrolled ? 'verify_mfa' : 'enrol_totp' };
    },
  };
}
