export { assertAcceptablePassword, passwordProblems, minimumPasswordLength, maximumPasswordLength, type PasswordProblem } from './password-policy.js';
export { hashPassword, verifyPassword, passwordHashNeedsUpgrade, decoyPasswordHash } from './password-hashing.js';
export { createTotpEnrolment, checkTotpCode, type TotpEnrolment, type TotpCheck } from './totp.js';
export { issueToken, hashToken, tokenHashesEqual, type IssuedToken } from './opaque-token.js';
export { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode, recoveryCodeCount, type RecoveryCodes } from './recovery-codes.js';
