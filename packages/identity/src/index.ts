export { assertAcceptablePassword, passwordProblems, minimumPasswordLength, maximumPasswordLength, type PasswordProblem } from './password-policy.js';
export { hashPassword, verifyPassword, passwordHashNeedsUpgrade, decoyPasswordHash } from './password-hashing.js';
export { createTotpEnrolment, checkTotpCode, type TotpEnrolment, type TotpCheck } from './totp.js';
export { issueToken, hashToken, tokenHashesEqual, type IssuedToken } from './opaque-token.js';
export { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode, recoveryCodeCount, type RecoveryCodes } from './recovery-codes.js';
export {
  systemClock,
  userEmailIndexPurpose,
  type Clock,
  type FieldContext,
  type FieldProtection,
  type AuditAppender,
  type RequestMeta,
} from './identity-dependencies.js';
export { createIdentityServices, type IdentityServices, type IdentityServicesOptions } from './identity-services.js';
export { createUserDirectory, type UserDirectory, type UserAccount, type OrganisationMembership } from './user-directory.js';
export {
  createAuthThrottle,
  accountThrottleKey,
  addressThrottleKey,
  accountThrottlePolicy,
  addressThrottlePolicy,
  lockSeconds,
  type AuthThrottle,
  type ThrottleKey,
  type ThrottlePolicy,
} from './throttle.js';
export {
  createSessionService,
  defaultSessionPolicy,
  type SessionService,
  type SessionPolicy,
  type ActiveSession,
  type IssuedSession,
  type SessionSummary,
  type NextStep,
} from './session-service.js';
export { createSignInService, type SignInService, type SignInResult } from './sign-in-service.js';
export { createMfaService, type MfaService, type TotpEnrolmentOffer } from './mfa-service.js';
export { createPasswordChangeService, type PasswordChangeService, type ChangedPassword } from './password-change-service.js';
export {
  createPasskeyService,
  relyingPartyOf,
  type PasskeyService,
  type PasskeySummary,
  type PasskeyRegistrationResponse,
  type PasskeyAuthenticationResponse,
  type RelyingParty,
} from './passkey-service.js';
export {
  createInvitationService,
  invitationLifetimeDays,
  slugFromName,
  type InvitationService,
  type CreatedInvitation,
  type InvitationPreview,
  type AcceptedInvitation,
  type BootstrappedOrganisation,
} from './invitation-service.js';
export {
  createMembershipService,
  actorRoleIn,
  auditActorOf,
  withActorTenant,
  type MembershipService,
  type MemberSummary,
  type PendingInvitation,
  type OrganisationActor,
} from './membership-service.js';
export {
  createApiTokenService,
  type ApiTokenService,
  type ApiTokenRole,
  type ApiTokenSummary,
  type CreatedApiToken,
  type AuthenticatedApiToken,
} from './api-token-service.js';
export {
  createAuditLogService,
  defaultAuditPageSize,
  maxAuditPageSize,
  type AuditLogService,
  type AuditLogQuery,
  type AuditLogEvent,
  type AuditLogPage,
} from './audit-log-service.js';
export { createLogMailer, type Mailer, type InvitationMessage, type WarnLogger } from './mailer.js';
export { createSmtpMailer, type SmtpMailerOptions, type InfoLogger } from './smtp-mailer.js';
export { pruneIdentityRecords, type IdentityHousekeepingOptions, type IdentityHousekeepingResult } from './identity-housekeeping.js';
