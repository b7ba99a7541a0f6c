import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client';
import { CURRENT_PASSWORD_ID, NEW_PASSWORD_ID, localPasswordProblems, passwordChangeProblems, passwordChangedMessage } from './password-change';
import { parseChangedPassword } from './password-api';

describe('password change', () => {
  it('asks for both passwords before calling the server', () => {
    expect(localPasswordProblems('', '')).toEqual([
      { fieldId: CURRENT_PASSWORD_ID, message: 'Enter your current password.' },
      { fieldId: NEW_PASSWORD_ID, message: 'Choose a new password.' },
    ]);
  });

  it('counts characters as people do, and refuses a short or unchanged new password', () => {
    expect(localPasswordProblems('old secret', 'ünïcødé 🌳🌳🌳🌳')).toEqual([]);
    expect(localPasswordProblems('old secret', '🌳🌳🌳🌳🌳🌳')).toEqual([expect.objectContaining({ fieldId: NEW_PASSWORD_ID, message: expect.stringContaining('at least 12') as unknown })]);
    expect(localPasswordProblems('the very same passphrase', 'the very same passphrase')).toEqual([
      { fieldId: NEW_PASSWORD_ID, message: 'Choose a password different from your current one.' },
    ]);
  });

  it('attaches the server’s validation issues to the field to fix', () => {
    const refused = new ApiError('http', 'The current password is not correct.', 422, 'VALIDATION_FAILED', 'r1', {
      issues: [
        { location: 'body', path: 'currentPassword', message: 'The current password is not correct.', problem: 'incorrect' },
        { location: 'body', path: 'newPassword', message: 'This password appears in lists of common or breached passwords. Choose another.', problem: 'common' },
      ],
    });
    expect(passwordChangeProblems(refused)).toEqual([
      { fieldId: CURRENT_PASSWORD_ID, message: 'The current password is not correct.' },
      { fieldId: NEW_PASSWORD_ID, message: 'This password appears in lists of common or breached passwords. Choose another.' },
    ]);
  });

  it('explains a lockout in minutes rather than failing silently', () => {
    const locked = new ApiError('http', 'Too many failed attempts.', 429, 'RATE_LIMITED', 'r2', { retryAfterSeconds: 90 });
    expect(passwordChangeProblems(locked)).toEqual([{ message: 'Too many attempts. Try again in 2 minutes.' }]);
  });

  it('says how many other sessions were signed out', () => {
    expect(passwordChangedMessage(0)).toBe('Your password has been changed.');
    expect(passwordChangedMessage(1)).toContain('1 other session elsewhere was signed out');
    expect(passwordChangedMessage(3)).toContain('3 other sessions elsewhere were signed out');
  });

  it('reads the server’s answer, and refuses one it does not understand', () => {
    expect(parseChangedPassword({ stage: 'mfa_complete', csrfToken: 'abc', otherSessionsRevoked: 2 })).toEqual({ csrfToken: 'abc', otherSessionsRevoked: 2 });
    expect(() => parseChangedPassword({ csrfToken: 'abc' })).toThrow();
  });
});
