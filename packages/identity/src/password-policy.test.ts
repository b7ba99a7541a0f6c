import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword, passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
    expect(passwordProblems('alllowercaseletters')).toEqual([]);
  });

  it('counts characters, not bytes, and never truncates', () => {
    expect(passwordProblems('ñandú-ñandú')).toEqual(['too_short']); // 11 characters, 15 bytes
    expect(passwordProblems('日本語のパスフレーズです')).toEqual([]); // 12 characters
    const long = 'a unique phrase '.repeat(8); // 128 characters
    expect(passwordProblems(long)).toEqual([]);
    expect(passwordProblems('x'.repeat(1025))).toContain('too_long');
  });

  it('rejects passwords on the bundled list of common and breached passwords, in any case', () => {
    expect(passwordProblems('password1234')).toContain('common');
    expect(passwordProblems('PASSWORD1234')).toContain('common');
    expect(passwordProblems('qwertyuiop123')).toContain('common');
  });

  it('rejects a password containing the email address', () => {
    expect(passwordProblems('fundraiser.jane-2026!', { email: 'fundraiser.jane@example.org' })).toEqual(['contains_email']);
  });

  it('explains every problem in the error', () => {
    expect(() => {
      assertAcceptablePassword('short');
    }).toThrow(/at least 12 characters/);
    try {
      assertAcceptablePassword('password');
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ problem: 'too_short' }, { problem: 'common' }] } });
    }
  });
});
