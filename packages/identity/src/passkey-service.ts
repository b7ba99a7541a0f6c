import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { AppError } from '@kindling/errors';
import type { Database, Kysely } from '@kindling/db';
import type { AuditAppender, Clock, RequestMeta } from './identity-dependencies.js';
import type { ActiveSession, IssuedSession, SessionService } from './session-service.js';
import type { AuthThrottle } from './throttle.js';
import { createSecondFactorAttempts } from './second-factor-attempts.js';
import type { UserDirectory } from './user-directory.js';

/** Where passkeys are bound: the WebAuthn relying party, derived from PUBLIC_URL. */
export interface RelyingParty {
  /** The host name of PUBLIC_URL. Browsers refuse IP addresses here: PUBLIC_URL must name a host. */
  readonly id: string;
  /** The origin of PUBLIC_URL, which every ceremony's clientDataJSON must name. */
  readonly origin: string;
  /** Shown by the browser and the authenticator next to the account. */
  readonly name: string;
}

/** The relying party of an installation reached at `publicUrl`. */
export function relyingPartyOf(publicUrl: string, name = 'Kindling'): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name };
}

/** The browser's answer to navigator.credentials.create(), as @simplewebauthn/browser sends it. */
export interface PasskeyRegistrationResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: {
    readonly clientDataJSON: string;
    readonly attestationObject: string;
    readonly transports?: readonly string[] | undefined;
  };
}

/** The browser's answer to navigator.credentials.get(), as @simplewebauthn/browser sends it. */
export interface PasskeyAuthenticationResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: {
    readonly clientDataJSON: string;
    readonly authenticatorData: string;
    readonly signature: string;
    readonly userHandle?: string | undefined;
  };
}

/** One of a user's passkeys, as "account security" lists it. */
export interface PasskeySummary {
  /** The credential id, base64url. */
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface PasskeyService {
  /** Options for navigator.credentials.create(); needs a complete session. Replaces any pending ceremony of the session. */
  beginRegistration(session: ActiveSession): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /**
   * Verifies and stores a new passkey against the session's pending challenge (used up either
   * way). An MFA change: every other session of the user ends. Audited.
   */
  finishRegistration(session: ActiveSession, response: PasskeyRegistrationResponse, name: string, meta: RequestMeta): Promise<PasskeySummary>;
  /** The user's passkeys, oldest first. */
  list(userId: string): Promise<PasskeySummary[]>;
  /** Whether the user has any passkey: decides whether sign-in offers one. */
  hasPasskeys(userId: string): Promise<boolean>;
  /** Renames one of the user's passkeys; NOT_FOUND for anyone else's. */
  rename(userId: string, passkeyId: string, name: string): Promise<PasskeySummary>;
  /** Removes one of the user's passkeys; NOT_FOUND for anyone else's. An MFA change: every other session ends. Audited. */
  remove(session: ActiveSession, passkeyId: string, meta: RequestMeta): Promise<void>;
  /** Options for navigator.credentials.get(), for a password-stage session whose user has passkeys. */
  beginAuthentication(session: ActiveSession): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * The second factor with a passkey: throttled and audited like a TOTP code, the signature
   * counter must move forward, and the session is replaced by a complete one.
   */
  finishAuthentication(session: ActiveSession, response: PasskeyAuthenticationResponse, meta: RequestMeta): Promise<IssuedSession>;
}

export interface PasskeyServiceDependencies {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly audit: AuditAppender;
  readonly directory: Pick<UserDirectory, 'emailOf' | 'findById'>;
  readonly throttle: Pick<AuthThrottle, 'reserve' | 'reset'>;
  readonly sessions: Pick<SessionService, 'replace' | 'revokeUserSessions' | 'organisationAfterSignIn'>;
  readonly relyingParty: RelyingParty;
}

/** Long enough to find and touch a security key, short enough that a stolen challenge soon expires. */
const ceremonyMilliseconds = 5 * 60_000;
const maxPasskeysPerUser = 20;
/** Credential ids are 16 to 1023 bytes (the table's CHECK), so 22 to 1364 base64url characters. */
const credentialIdPattern = /^[A-Za-z0-9_-]{22,1364}$/;

type Purpose = 'registration' | 'authentication';

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such passkey.');
}

function passkeyRejected(): AppError {
  return new AppError('UNAUTHENTICATED', 'The passkey could not be verified. Try again, or use a code from your authenticator app.');
}

/** The WebAuthn user handle: the user id's 16 bytes, so the authenticator learns nothing personal from it. */
function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'));
}

function credentialIdBytes(passkeyId: string): Buffer | undefined {
  return credentialIdPattern.test(passkeyId) ? Buffer.from(passkeyId, 'base64url') : undefined;
}

function summaryOf(row: { id: Buffer; name: string; created_at: Date; last_used_at: Date | null }): PasskeySummary {
  return { id: row.id.toString('base64url'), name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

export function createPasskeyService(deps: PasskeyServiceDependencies): PasskeyService {
  const { db, clock, audit, directory, throttle, sessions, relyingParty } = deps;

  async function storeChallenge(session: ActiveSession, purpose: Purpose): Promise<Buffer> {
    const challenge = randomBytes(32);
    const now = clock.now();
    const row = { purpose, challenge, created_at: now, expires_at: new Date(now.getTime() + ceremonyMilliseconds) };
    await db
      .insertInto('webauthn_challenge')
      .values({ session_id: session.sessionId, ...row })
      .onConflict((conflict) => conflict.column('session_id').doUpdateSet(row))
      .execute();
    return challenge;
  }

  /**
   * Takes the session's pending challenge for `purpose` out of the table. Deleting is what makes
   * it single-use: of two requests presenting the same ceremony, only one gets the row back.
   */
  async function consumeChallenge(session: ActiveSession, purpose: Purpose): Promise<string | undefined> {
    const row = await db
      .deleteFrom('webauthn_challenge')
      .where('session_id', '=', session.sessionId)
      .where('purpose', '=', purpose)
      .returning(['challenge', 'expires_at'])
      .executeTakeFirst();
    if (row === undefined || row.expires_at.getTime() <= clock.now().getTime()) return undefined;
    return row.challenge.toString('base64url');
  }

  async function userCredentials(userId: string) {
    return db
      .selectFrom('webauthn_credential')
      .select(['id', 'transports', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  const attempts = createSecondFactorAttempts({ db, audit, directory });

  /** Adding or removing a passkey changes how the account can be entered: only this session stays. */
  async function recordMfaChange(trx: Kysely<Database>, session: ActiveSession, action: 'auth.mfa.passkey_added' | 'auth.mfa.passkey_removed', passkeyId: string, meta: RequestMeta): Promise<void> {
    await sessions.revokeUserSessions(session.userId, 'mfa_changed', session.sessionId, meta, trx);
    await audit(trx, {
      orgId: null,
      action,
      actorUserId: session.userId,
      target: { type: 'user', id: session.userId },
      clientAddress: meta.clientAddress,
      userAgent: meta.userAgent,
      details: { passkeyId },
    });
  }

  function requireCompleteSession(session: ActiveSession): void {
    if (session.stage !== 'mfa_complete') throw new AppError('CONFLICT', 'Finish signing in before adding a passkey.', { details: { next: 'verify_mfa' } });
  }

  function requireVerifyStage(session: ActiveSession): void {
    if (session.stage !== 'password') throw new AppError('CONFLICT', 'This session has already passed the second factor.');
    if (!session.mfaEnrolled) throw new AppError('CONFLICT', 'No authenticator is enrolled yet: enrol one first.', { details: { next: 'enrol_totp' } });
  }

  return {
    async beginRegistration(session) {
      requireCompleteSession(session);
      const existing = await userCredentials(session.userId);
      if (existing.length >= maxPasskeysPerUser) throw new AppError('CONFLICT', `You already have ${String(maxPasskeysPerUser)} passkeys. Remove one before adding another.`);
      const challenge = await storeChallenge(session, 'registration');
      return generateRegistrationOptions({
        rpName: relyingParty.name,
        rpID: relyingParty.id,
        userID: userHandleOf(session.userId),
        userName: await directory.emailOf(session.userId),
        challenge: new Uint8Array(challenge),
        timeout: ceremonyMilliseconds,
        attestationType: 'none',
        // The same authenticator twice would look like two factors while being one.
        excludeCredentials: existing.map((row) => ({ id: row.id.toString('base64url'), transports: row.transports })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
    },

    async finishRegistration(session, response, name, meta) {
      requireCompleteSession(session);
      const expectedChallenge = await consumeChallenge(session, 'registration');
      if (expectedChallenge === undefined) throw new AppError('CONFLICT', 'The passkey request has expired. Start again.');
      const verification = await verifyRegistrationResponse({
        response: {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            attestationObject: response.response.attestationObject,
            ...(response.response.transports === undefined ? {} : { transports: [...response.response.transports] }),
          },
          clientExtensionResults: {},
        },
        expectedChallenge,
        expectedOrigin: relyingParty.origin,
        expectedRPID: relyingParty.id,
        // A second factor proves possession; the password was the knowledge factor.
        requireUserVerification: false,
      }).catch((error: unknown) => {
        throw new AppError('VALIDATION_FAILED', 'The passkey could not be verified. Try again.', { cause: error });
      });
      if (!verification.verified) throw new AppError('VALIDATION_FAILED', 'The passkey could not be verified. Try again.');
      const { credential } = verification.registrationInfo;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const stored = await trx
          .insertInto('webauthn_credential')
          .values({
            id: Buffer.from(credential.id, 'base64url'),
            user_id: session.userId,
            public_key: credential.publicKey,
            counter: credential.counter,
            transports: credential.transports ?? [],
            name,
            created_at: now,
          })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .returning(['id', 'name', 'created_at', 'last_used_at'])
          .executeTakeFirst();
        if (stored === undefined) throw new AppError('CONFLICT', 'This passkey is already registered.');
        await recordMfaChange(trx, session, 'auth.mfa.passkey_added', credential.id, meta);
        return summaryOf(stored);
      });
    },

    async list(userId) {
      return (await userCredentials(userId)).map(summaryOf);
    },

    async hasPasskeys(userId) {
      const row = await db.selectFrom('webauthn_credential').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async rename(userId, passkeyId, name) {
      const id = credentialIdBytes(passkeyId);
      if (id === undefined) throw notFound();
      const row = await db
        .updateTable('webauthn_credential')
        .set({ name })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returning(['id', 'name', 'created_at', 'last_used_at'])
        .executeTakeFirst();
      if (row === undefined) throw notFound();
      return summaryOf(row);
    },

    async remove(session, passkeyId, meta) {
      requireCompleteSession(session);
      const id = credentialIdBytes(passkeyId);
      if (id === undefined) throw notFound();
      await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('webauthn_credential').where('id', '=', id).where('user_id', '=', session.userId).executeTakeFirst();
        // Someone else's passkey and an unknown id look the same.
        if (removed.numDeletedRows === 0n) throw notFound();
        await recordMfaChange(trx, session, 'auth.mfa.passkey_removed', passkeyId, meta);
      });
    },

    async beginAuthentication(session) {
      requireVerifyStage(session);
      const credentials = await userCredentials(session.userId);
      if (credentials.length === 0) throw new AppError('CONFLICT', 'No passkey is registered: use a code from your authenticator app.');
      const challenge = await storeChallenge(session, 'authentication');
      return generateAuthenticationOptions({
        rpID: relyingParty.id,
        challenge: new Uint8Array(challenge),
        timeout: ceremonyMilliseconds,
        allowCredentials: credentials.map((row) => ({ id: row.id.toString('base64url'), transports: row.transports })),
        userVerification: 'preferred',
      });
    },

    async finishAuthentication(session, response, meta) {
      requireVerifyStage(session);
      const key = await attempts.throttleKeyOf(session.userId);
      // Counted before checking, like every other factor: only success takes it back.
      await throttle.reserve([key]);
      const expectedChallenge = await consumeChallenge(session, 'authentication');
      if (expectedChallenge === undefined) {
        await attempts.recordFailure(session, meta, 'passkey_challenge');
        throw new AppError('UNAUTHENTICATED', 'The passkey request has expired. Try again.');
      }
      const id = credentialIdBytes(response.id);
      const stored =
        id === undefined
          ? undefined
          : await db
              .selectFrom('webauthn_credential')
              .select(['id', 'public_key', 'counter', 'transports'])
              .where('id', '=', id)
              .where('user_id', '=', session.userId)
              .executeTakeFirst();
      if (stored === undefined) {
        await attempts.recordFailure(session, meta, 'passkey_unknown');
        throw passkeyRejected();
      }
      const verification = await verifyAuthenticationResponse({
        response: {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            authenticatorData: response.response.authenticatorData,
            signature: response.response.signature,
            ...(response.response.userHandle === undefined ? {} : { userHandle: response.response.userHandle }),
          },
          clientExtensionResults: {},
        },
        expectedChallenge,
        expectedOrigin: relyingParty.origin,
        expectedRPID: relyingParty.id,
        credential: { id: response.id, publicKey: new Uint8Array(stored.public_key), counter: stored.counter, transports: stored.transports },
        requireUserVerification: false,
      }).catch(() => undefined);
      // The library throws on a bad signature, origin, RP id or a counter that did not move forward.
      if (verification?.verified !== true) {
        await attempts.recordFailure(session, meta, 'passkey_signature');
        throw passkeyRejected();
      }
      const orgId = await sessions.organisationAfterSignIn(session);
      const issued = await db.transaction().execute(async (trx) => {
        // Compare-and-set on the counter: of two assertions racing from one counter value, one wins.
        const used = await trx
          .updateTable('webauthn_credential')
          .set({ counter: verification.authenticationInfo.newCounter, last_used_at: clock.now() })
          .where('id', '=', stored.id)
          .where('counter', '=', stored.counter)
          .executeTakeFirst();
        if (used.numUpdatedRows !== 1n) return undefined;
        const next = await sessions.replace(session, { stage: 'mfa_complete', orgId }, 'mfa_verified', meta, trx);
        await attempts.recordSuccess(trx, session, next, meta, 'passkey');
        return next;
      });
      if (issued === undefined) {
        await attempts.recordFailure(session, meta, 'passkey_replay');
        throw passkeyRejected();
      }
      await throttle.reset(key);
      return issued;
    },
  };
}
