import { describe, expect, it } from 'vitest';
import { decoyPasswordHash, hashPassword, passwordHashNeedsUpgrade, verifyPassword } from './password-hashing.js';

describe('password hashing', () => {
  it('produces salted Argon2id PHC strings that verify only the right password', async () => {
    const password = 'a long and unguessable passphrase';
    const [a, b] = await Promise.all([hashPassword(password), hashPassword(password)]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, password)).toBe(true);
    expect(await verifyPassword(a, `${password} `)).toBe(false);
    expect(passwordHashNeedsUpgrade(a)).toBe(false);
  });

  it('distinguishes passwords that differ only beyond 72 bytes (no bcrypt-style truncation)', async () => {
    const prefix = 'x'.repeat(100);
    const stored = await hashPassword(`${prefix}A`);
    expect(await verifyPassword(stored, `${prefix}B`)).toBe(false);
  });

  it('treats malformed or weaker hashes safely', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
    expect(passwordHashNeedsUpgrade('$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(passwordHashNeedsUpgrade('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
    expect(await verifyPassword(await decoyPasswordHash(), 'guess')).toBe(false);
  });
});
