import { createApiTokenService, type ApiTokenService } from './api-token-service.js';
import { createAuditLogService, type AuditLogService } from './audit-log-service.js';
import { appendAuditEvent, type Database, type Kysely } from '@kindling/db';
import { systemClock, type AuditAppender, type Clock, type FieldProtection } from './identity-dependencies.js';
import { createInvitationService, type InvitationService } from './invitation-service.js';
import type { Mailer } from './mailer.js';
import { createMembershipService, type MembershipService } from './membership-service.js';
import { createMfaService, type MfaService } from './mfa-service.js';
import { createPasskeyService, relyingPartyOf, type PasskeyService } from './passkey-service.js';
import { createPasswordChangeService, type PasswordChangeService } from './password-change-service.js';
import { createSessionService, defaultSessionPolicy, type SessionPolicy, type SessionService } from './session-service.js';
import { createSignInService, type SignInService } from './sign-in-service.js';
import { createAuthThrottle, type AuthThrottle } from './throttle.js';
import { createUserDirectory, type UserDirectory } from './user-directory.js';

/** Everything sign-in, sessions, second factors and invitations need, wired once. */
export interface IdentityServices {
  readonly directory: UserDirectory;
  readonly throttle: AuthThrottle;
  readonly sessions: SessionService;
  readonly signIn: SignInService;
  readonly mfa: MfaService;
  readonly passwords: PasswordChangeService;
  readonly passkeys: PasskeyService;
  readonly invitations: InvitationService;
  readonly memberships: MembershipService;
  readonly apiTokens: ApiTokenService;
  readonly auditLog: AuditLogService;
}

export interface IdentityServicesOptions {
  /** The application-role pool. */
  readonly db: Kysely<Database>;
  /** @kindling/crypto's DataProtection (any object with these methods). */
  readonly fields: FieldProtection;
  readonly mailer: Mailer;
  /** PUBLIC_URL: invitation links point here, and passkeys are bound to its host and origin. */
  readonly publicUrl: string;
  /** SESSION_IDLE_MINUTES and SESSION_ABSOLUTE_HOURS; 30 minutes and 12 hours by default. */
  readonly sessionPolicy?: SessionPolicy;
  readonly clock?: Clock;
  readonly audit?: AuditAppender;
  /** The issuer authenticator apps show, and the name passkey prompts show; "Kindling" by default. */
  readonly totpIssuer?: string;
}

/** Builds the identity services over one database pool; the composition root calls it once. */
export function createIdentityServices(options: IdentityServicesOptions): IdentityServices {
  const { db, fields, mailer } = options;
  const clock = options.clock ?? systemClock;
  const audit = options.audit ?? appendAuditEvent;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const directory = createUserDirectory({ db, fields });
  const throttle = createAuthThrottle({ db, clock });
  const issuer = options.totpIssuer ?? 'Kindling';
  const sessions = createSessionService({ db, clock, audit, directory, policy: options.sessionPolicy ?? defaultSessionPolicy });
  const mfa = createMfaService({ db, clock, audit, fields, directory, throttle, sessions, totpIssuer: issuer });
  return {
    directory,
    throttle,
    sessions,
    signIn: createSignInService({ db, clock, audit, directory, throttle, sessions }),
    mfa,
    passwords: createPasswordChangeService({ db, clock, audit, directory, throttle, sessions }),
    passkeys: createPasskeyService({ db, clock, audit, directory, throttle, sessions, relyingParty: relyingPartyOf(publicUrl, issuer) }),
    invitations: createInvitationService({ db, clock, audit, directory, throttle, sessions, mailer, publicUrl }),
    memberships: createMembershipService({ db, clock, audit, directory, sessions, mfa }),
    apiTokens: createApiTokenService({ db, clock, audit }),
    auditLog: createAuditLogService({ db }),
  };
}
