import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode, recoveryCodeCount } from './recovery-codes.js';
import { hashToken, issueToken, tokenHashesEqual } from './opaque-token.js';

describe('opaque tokens', () => {
  it('are prefixed, carry 256 bits of randomness and are stored only as SHA-256', () => {
    const issued = issueToken('kdl_s_');
    expect(issued.token).toMatch(/^kdl_s_[A-Za-z0-9_-]{43}$/);
    expect(issued.hash).toHaveLength(32);
    expect(tokenHashesEqual(hashToken(issued.token), issued.hash)).toBe(true);
    expect(tokenHashesEqual(hashToken(`${issued.token}x`), issued.hash)).toBe(false);
    const many = new Set(Array.from({ length: 1000 }, () => issueToken('t').token));
    expect(many.size).toBe(1000);
  });
});

describe('recovery codes', () => {
  it('generates ten distinct, unambiguous codes and stores only hashes', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(codes).toHaveLength(recoveryCodeCount);
    expect(new Set(codes).size).toBe(recoveryCodeCount);
    for (const code of codes) {
      const groups = code.split('-');
      expect(groups).toHaveLength(4);
      for (const group of groups) expect(group).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    }
    expect(hashes.map((h) => h.toString('hex'))).toEqual(codes.map((c) => hashRecoveryCode(c).toString('hex')));
  });

  it('accepts what people type: lower case, spaces, no dashes, O for 0 and I or L for 1', () => {
    expect(normaliseRecoveryCode('ab0c 1d2e-f3g4 hj5k')).toBe('AB0C1D2EF3G4HJ5K');
    expect(hashRecoveryCode('abOc-ldIe-f3g4-hj5k').equals(hashRecoveryCode('AB0C-1D1E-F3G4-HJ5K'))).toBe(true);
  });
});
