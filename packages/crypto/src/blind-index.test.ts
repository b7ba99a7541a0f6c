import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore, isCryptoFailure, normaliseEmail, normaliseExternalId } from './index.js';
import { failureOf } from './test-support/expect-failure.js';

const keyStore = createInMemoryKeyStore();
const protection = createDataProtection({ keyStore });

describe('blind index', () => {
  it('is deterministic per organisation and purpose, 32 bytes', async () => {
    const orgId = randomUUID();
    const a = await protection.blindIndex(orgId, 'email', 'jane@example.org');
    expect(a).toHaveLength(32);
    expect((await protection.blindIndex(orgId, 'email', 'jane@example.org')).equals(a)).toBe(true);
    expect((await protection.blindIndex(orgId.toUpperCase(), 'email', 'jane@example.org')).equals(a)).toBe(true);
  });

  it('differs across organisations, purposes and values (property)', async () => {
    const [org1, org2] = [randomUUID(), randomUUID()];
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), async (x, y) => {
        fc.pre(x !== y);
        const base = await protection.blindIndex(org1, 'email', x);
        expect(base.equals(await protection.blindIndex(org2, 'email', x))).toBe(false);
        expect(base.equals(await protection.blindIndex(org1, 'external-id', x))).toBe(false);
        expect(base.equals(await protection.blindIndex(org1, 'email', y))).toBe(false);
      }),
    );
  });

  it('does not change when the KEK is rotated', async () => {
    const orgId = randomUUID();
    const before = await protection.blindIndex(orgId, 'email', 'jane@example.org');
    await keyStore.rotate(orgId);
    await keyStore.rotate(orgId);
    expect((await protection.blindIndex(orgId, 'email', 'jane@example.org')).equals(before)).toBe(true);
  });

  it('finds the same row whatever the spelling of the e-mail address', async () => {
    const orgId = randomUUID();
    const stored = await protection.blindIndex(orgId, 'email', normaliseEmail('Jane.Donor@Example.ORG'));
    for (const typed of ['  jane.donor@example.org', 'JANE.DONOR@EXAMPLE.ORG\n', 'jane.donor@example.org']) {
      expect((await protection.blindIndex(orgId, 'email', normaliseEmail(typed))).equals(stored)).toBe(true);
    }
  });

  it('refuses bad purposes and empty or malformed values', async () => {
    const orgId = randomUUID();
    for (const [purpose, value] of [
      ['Email', 'a'],
      ['', 'a'],
      ['email', ''],
      ['email', 'a\ud800'],
    ] as const) {
      expect(isCryptoFailure(await failureOf(protection.blindIndex(orgId, purpose, value)), 'invalid_input')).toBe(true);
    }
  });
});

describe('normalisation', () => {
  it('e-mail: NFC, trimmed, lower-cased, idempotent', () => {
    expect(normaliseEmail('  Jane@Example.ORG \t')).toBe('jane@example.org');
    // "é" as e + combining acute (NFD) and as one code point (NFC) index alike.
    expect(normaliseEmail('Ren\u0065\u0301@example.org')).toBe(normaliseEmail('Ren\u00e9@example.org'));
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1 }), (value) => {
      fc.pre(value.trim().length > 0);
      const once = normaliseEmail(value);
      expect(normaliseEmail(once)).toBe(once);
    }));
    expect(() => normaliseEmail('   ')).toThrow(/empty/);
  });

  it('external ids: NFC and trimmed, case kept', () => {
    expect(normaliseExternalId(' CRM-00042Ab ')).toBe('CRM-00042Ab');
    expect(() => normaliseExternalId('')).toThrow(/empty/);
  });
});
