import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '@kindling/errors';

/** NIST SP 800-63B: at least 12 here (above its floor of 8), long passphrases welcome, no composition rules. */
export const minimumPasswordLength = 12;
/** Long enough for any passphrase or manager-generated secret; bounded so hashing cannot be used to exhaust memory. */
export const maximumPasswordLength = 1024;

// The bundled list: the most common passwords seen in public breach corpora (zxcvbn's data set).
const commonPasswords: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/**
 * Returns what is wrong with a proposed password, or an empty list. Length counts characters
 * (code points), not bytes, and nothing is ever truncated: every character counts.
 */
export function passwordProblems(password: string, context: { readonly email?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // Code points, so a character outside the Basic Multilingual Plane counts once, not twice.
  const length = Array.from(password).length;
  if (length < minimumPasswordLength) problems.push('too_short');
  if (length > maximumPasswordLength) problems.push('too_long');
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || commonPasswords.has(lowered.trim())) problems.push('common');
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart !== undefined && localPart.length >= 4 && lowered.includes(localPart)) problems.push('contains_email');
  return problems;
}

const explanations: Readonly<Record<PasswordProblem, string>> = {
  too_short: `Use at least ${String(minimumPasswordLength)} characters. A few unrelated words make a strong, memorable password.`,
  too_long: `Use at most ${String(maximumPasswordLength)} characters.`,
  common: 'This password appears in lists of common or breached passwords. Choose another.',
  contains_email: 'Do not use your email address in your password.',
};

/**
 * Throws VALIDATION_FAILED naming every problem, in words a person can act on, against the body
 * field `field` (`password` unless given). Never echoes the password.
 */
export function assertAcceptablePassword(password: string, context: { readonly email?: string; readonly field?: string } = {}): void {
  const problems = passwordProblems(password, context);
  if (problems.length === 0) return;
  const path = context.field ?? 'password';
  throw new AppError('VALIDATION_FAILED', problems.map((p) => explanations[p]).join(' '), {
    details: { issues: problems.map((problem) => ({ location: 'body', path, message: explanations[problem], problem })) },
  });
}
