import { describeApiError, validationIssues } from '../api/api-error-details';
import type { Problem } from '../auth/error-summary';
import { MINIMUM_PASSWORD_LENGTH, passwordLength } from '../enrolment/password-rules';

export const CURRENT_PASSWORD_ID = 'account-current-password';
export const NEW_PASSWORD_ID = 'account-new-password';

/** What can be said before asking the server, which has the last word (breached lists, e-mail). */
export function localPasswordProblems(currentPassword: string, newPassword: string): Problem[] {
  const problems: Problem[] = [];
  if (currentPassword === '') problems.push({ fieldId: CURRENT_PASSWORD_ID, message: 'Enter your current password.' });
  if (newPassword === '') {
    problems.push({ fieldId: NEW_PASSWORD_ID, message: 'Choose a new password.' });
  } else if (passwordLength(newPassword) < MINIMUM_PASSWORD_LENGTH) {
    problems.push({
      fieldId: NEW_PASSWORD_ID,
      message: `Use at least ${String(MINIMUM_PASSWORD_LENGTH)} characters. A few unrelated words make a strong, memorable password.`,
    });
  } else if (newPassword === currentPassword) {
    problems.push({ fieldId: NEW_PASSWORD_ID, message: 'Choose a password different from your current one.' });
  }
  return problems;
}

const fieldIds: Readonly<Record<string, string>> = { currentPassword: CURRENT_PASSWORD_ID, newPassword: NEW_PASSWORD_ID };

/** The server's refusal as problems attached to the field to fix (a wrong current password, a weak new one). */
export function passwordChangeProblems(error: unknown): Problem[] {
  const issues = validationIssues(error);
  if (issues.length > 0) return issues.map((issue) => ({ message: issue.message, fieldId: fieldIds[issue.field] }));
  return [{ message: describeApiError(error) }];
}

/** The confirmation after a change, saying what happened to the person's other sessions. */
export function passwordChangedMessage(otherSessionsRevoked: number): string {
  if (otherSessionsRevoked === 0) return 'Your password has been changed.';
  const sessions = otherSessionsRevoked === 1 ? '1 other session' : `${String(otherSessionsRevoked)} other sessions`;
  return `Your password has been changed. For your security, ${sessions} elsewhere ${otherSessionsRevoked === 1 ? 'was' : 'were'} signed out.`;
}
