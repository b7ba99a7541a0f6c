import { sendJson } from '../api/api-client';
import { field, isNumber, isString, object } from '../api/json-shape';

/** The answer to a password change: the replaced session's CSRF token, and how many other sessions ended. */
export interface ChangedPassword {
  csrfToken: string;
  otherSessionsRevoked: number;
}

export function parseChangedPassword(body: unknown): ChangedPassword {
  const source = object(body, 'password change');
  return {
    csrfToken: field(source, 'csrfToken', 'password change', isString),
    otherSessionsRevoked: field(source, 'otherSessionsRevoked', 'password change', isNumber),
  };
}

/**
 * Changes the signed-in person's password. The server replaces the session cookie, so the
 * caller must use the returned CSRF token from now on.
 */
export function changePassword(currentPassword: string, newPassword: string): Promise<ChangedPassword> {
  return sendJson('POST', '/api/v1/account/password', { currentPassword, newPassword }, parseChangedPassword);
}
