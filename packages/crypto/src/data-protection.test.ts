import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDataProtection,
  createInMemoryKeyStore,
  isCryptoFailure,
  messageOverhead,
  readEnvelopeHeader,
  type EncryptionContext,
  type FieldContext,
  type ObjectContext,
} from './index.js';
import { hmacSha256 } from './data-protection.js';
import { encodeContext } from './encryption-context.js';
import { anyContext, fieldContext } from './test-support/arbitraries.js';
import { failsWithCryptoFailure, failureOf } from './test-support/expect-failure.js';

const keyStore = createInMemoryKeyStore();
const protection = createDataProtection({ keyStore });

const orgA = randomUUID();
const orgB = randomUUID();
const donorEmail: FieldContext = { orgId: orgA, purpose: 'field', table: 'donor', column: 'email', rowId: 'row-1' };
const upload: ObjectContext = { orgId: orgA, purpose: 'object', objectKey: 'uploads/2026/donors.csv' };

/** Every single-element change of a context: another organisation, object, table, column, row, purpose. */
function neighbours(context: EncryptionContext): EncryptionContext[] {
  const others: EncryptionContext[] = [{ ...context, orgId: randomUUID() }];
  if (context.purpose === 'object') {
    others.push({ ...context, objectKey: `${context.objectKey}x` });
    others.push({ orgId: context.orgId, purpose: 'field', table: 't', column: 'c', rowId: context.objectKey });
  } else {
    others.push({ ...context, table: `${context.table}x` });
    others.push({ ...context, column: `${context.column}x` });
    others.push({ ...context, rowId: `${context.rowId}x` });
    others.push({ orgId: context.orgId, purpose: 'object', objectKey: context.rowId });
  }
  return others;
}

describe('envelope encryption of buffers', () => {
  it('round-trips any bytes in any context', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048, size: 'max' }), anyContext, async (plaintext, context) => {
        const ciphertext = await protection.encryptBuffer(plaintext, context);
        expect(ciphertext).toHaveLength(plaintext.length + messageOverhead);
        expect(Buffer.from(await protection.decryptBuffer(ciphertext, context)).equals(Buffer.from(plaintext))).toBe(true);
      }),
    );
  });

  it('never repeats a nonce under one KEK across 100,000 encryptions (data-key wraps and payloads)', async () => {
    const orgId = randomUUID();
    const context: ObjectContext = { orgId, purpose: 'object', objectKey: 'k' };
    const wrapNonces = new Set<string>();
    const payloadNonces = new Set<string>();
    const count = 100_000;
    const plaintext = Buffer.from('x');
    for (let i = 0; i < count; i += 1) {
      const ciphertext = await protection.encryptBuffer(plaintext, context);
      wrapNonces.add(ciphertext.toString('latin1', 26, 38));
      payloadNonces.add(ciphertext.toString('latin1', 86, 98));
    }
    expect(readEnvelopeHeader(await protection.encryptBuffer(plaintext, context)).kekVersion).toBe(1);
    expect(wrapNonces.size).toBe(count);
    expect(payloadNonces.size).toBe(count);
  }, 120_000);

  it('fails when any byte of header, nonce, ciphertext or tag is changed (every byte, two bit patterns)', async () => {
    const plaintext = Buffer.from('Jane Donor, 12 High Street');
    const ciphertext = await protection.encryptBuffer(plaintext, upload);
    const regions = { header: [0, 86], nonce: [86, 98], ciphertext: [98, ciphertext.length - 16], tag: [ciphertext.length - 16, ciphertext.length] };
    for (const [region, [start, end]] of Object.entries(regions)) {
      for (let i = start ?? 0; i < (end ?? 0); i += 1) {
        for (const mask of [0x01, 0x80]) {
          const altered = Buffer.from(ciphertext);
          altered[i] = (altered[i] ?? 0) ^ mask;
          expect(await failsWithCryptoFailure(protection.decryptBuffer(altered, upload)), `${region} byte ${String(i)} ^ ${String(mask)}`).toBe(true);
        }
      }
    }
  });

  it('fails when any byte is changed, for any plaintext, context and change (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256, size: 'max' }), anyContext, fc.nat(), fc.integer({ min: 1, max: 255 }), async (plaintext, context, position, mask) => {
        const ciphertext = await protection.encryptBuffer(plaintext, context);
        const index = position % ciphertext.length;
        ciphertext[index] = (ciphertext[index] ?? 0) ^ mask;
        expect(await failsWithCryptoFailure(protection.decryptBuffer(ciphertext, context))).toBe(true);
      }),
    );
  });

  it('fails when any byte of the AAD (the encoded context) differs', async () => {
    await fc.assert(
      fc.asyncProperty(anyContext, fc.uint8Array({ maxLength: 64 }), async (context, plaintext) => {
        const ciphertext = await protection.encryptBuffer(plaintext, context);
        for (const other of neighbours(context)) {
          expect(encodeContext(other).equals(encodeContext(context))).toBe(false);
          expect(await failsWithCryptoFailure(protection.decryptBuffer(ciphertext, other))).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('fails, with a truncation or format error, on cut or foreign input', async () => {
    const ciphertext = await protection.encryptBuffer(Buffer.from('abc'), upload);
    for (const length of [0, 3, 5, 40, 97, 98, 113, ciphertext.length - 1]) {
      expect(await failsWithCryptoFailure(protection.decryptBuffer(ciphertext.subarray(0, length), upload)), `cut to ${String(length)}`).toBe(true);
    }
    expect(await failsWithCryptoFailure(protection.decryptBuffer(Buffer.from('{"not":"ours"}'), upload), 'malformed')).toBe(true);
    const future = Buffer.from(ciphertext);
    future[4] = 2;
    expect(await failsWithCryptoFailure(protection.decryptBuffer(future, upload), 'unsupported_format')).toBe(true);
  });

  it('keeps plaintext and key material out of the error', async () => {
    const secret = 'donor-secret-4f9c2a';
    const ciphertext = await protection.encryptBuffer(Buffer.from(secret), upload);
    ciphertext[ciphertext.length - 1] = (ciphertext[ciphertext.length - 1] ?? 0) ^ 1;
    const error = await failureOf(protection.decryptBuffer(ciphertext, upload));
    const kek = (await keyStore.currentKek(orgA)).key;
    const visible = JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details });
    expect(visible).not.toContain(secret);
    expect(visible).not.toContain(kek.toString('hex'));
    expect(visible).not.toContain(kek.toString('base64'));
    expect(error).toMatchObject({ code: 'INTERNAL', details: { reason: 'integrity' } });
  });
});

describe('ciphertexts moved to another context', () => {
  it('do not decrypt in another organisation, even with the header rewritten to name it', async () => {
    const ciphertext = await protection.encryptBuffer(Buffer.from('gift aid declaration'), upload);
    const elsewhere: ObjectContext = { ...upload, orgId: orgB };
    expect(await failsWithCryptoFailure(protection.decryptBuffer(ciphertext, elsewhere), 'integrity')).toBe(true);
    const relabelled = Buffer.from(ciphertext);
    Buffer.from(orgB.replaceAll('-', ''), 'hex').copy(relabelled, 6);
    expect(await failsWithCryptoFailure(protection.decryptBuffer(relabelled, elsewhere), 'integrity')).toBe(true);
  });

  it('do not decrypt in another row, column or table (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fieldContext, fc.string({ unit: 'binary', maxLength: 40 }), async (context, value) => {
        const ciphertext = await protection.encryptField(value, context);
        expect(await protection.decryptField(ciphertext, context)).toBe(value);
        for (const other of neighbours(context).filter((c): c is FieldContext => c.purpose === 'field')) {
          expect(await failsWithCryptoFailure(protection.decryptField(ciphertext, other))).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('swapped between two rows of the same column, neither decrypts', async () => {
    const row1 = { ...donorEmail, rowId: 'row-1' };
    const row2 = { ...donorEmail, rowId: 'row-2' };
    const [c1, c2] = [await protection.encryptField('a@example.org', row1), await protection.encryptField('b@example.org', row2)];
    expect(await failsWithCryptoFailure(protection.decryptField(c2, row1), 'integrity')).toBe(true);
    expect(await failsWithCryptoFailure(protection.decryptField(c1, row2), 'integrity')).toBe(true);
  });
});

describe('the encryption context', () => {
  it('is canonical: property order and UUID case do not matter', async () => {
    const ciphertext = await protection.encryptField('07700 900123', donorEmail);
    const reordered = { rowId: 'row-1', column: 'email', table: 'donor', purpose: 'field', orgId: orgA.toUpperCase() } as const;
    expect(await protection.decryptField(ciphertext, reordered)).toBe('07700 900123');
  });

  it('is injective: different contexts never encode alike (property)', () => {
    fc.assert(
      fc.property(anyContext, anyContext, (a, b) => {
        const same = JSON.stringify(encodeContext(a)) === JSON.stringify(encodeContext(b));
        const equal = a.purpose === b.purpose && a.orgId.toLowerCase() === b.orgId.toLowerCase() && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(same).toBe(equal);
      }),
    );
    // Separator-joining would collide these; length prefixes do not.
    const x: FieldContext = { ...donorEmail, table: 'a_b', column: 'c' };
    const y: FieldContext = { ...donorEmail, table: 'a', column: 'b_c' };
    expect(encodeContext(x).equals(encodeContext(y))).toBe(false);
  });

  it('refuses contexts it cannot encode faithfully, as BAD_REQUEST', async () => {
    const bad: unknown[] = [
      { ...upload, orgId: 'org-1' },
      { ...upload, objectKey: '' },
      { ...upload, objectKey: 'a\ud800b' },
      { ...upload, objectKey: 'k'.repeat(1025) },
      { ...donorEmail, table: 'Donor; DROP TABLE donor' },
      { ...donorEmail, column: '' },
      { ...donorEmail, purpose: 'other' },
    ];
    for (const context of bad) {
      const error = await failureOf(() => protection.encryptBuffer(Buffer.from('x'), context as EncryptionContext));
      expect(isCryptoFailure(error, 'invalid_input'), JSON.stringify(context)).toBe(true);
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await failsWithCryptoFailure(protection.encryptField('a\udc00', donorEmail), 'invalid_input')).toBe(true);
  });
});

describe('the field form', () => {
  it('round-trips any text, with a fixed overhead', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (value) => {
        const ciphertext = await protection.encryptField(value, donorEmail);
        expect(ciphertext).toHaveLength(Buffer.byteLength(value) + messageOverhead);
        expect(await protection.decryptField(ciphertext, donorEmail)).toBe(value);
      }),
    );
  });

  it('encrypts the same value differently every time', async () => {
    const [a, b] = [await protection.encryptField('same', donorEmail), await protection.encryptField('same', donorEmail)];
    expect(a.equals(b)).toBe(false);
  });
});

describe("an organisation's keys for bulk work", () => {
  it('compute HMAC-SHA256 exactly as createHmac does, for any key and text (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (key, text) => {
        expect(hmacSha256(Buffer.from(key))(text).equals(createHmac('sha256', key).update(text, 'utf8').digest())).toBe(true);
      }),
    );
  });

  it('encrypt fields that decryptField opens, bound to their context, each under a fresh data key', async () => {
    const keys = await protection.organisationKeys(orgA);
    const [a, b] = [keys.encryptField('Ann Lee', donorEmail), keys.encryptField('Ann Lee', donorEmail)];
    expect(a.equals(b)).toBe(false);
    expect(a).toHaveLength(Buffer.byteLength('Ann Lee') + messageOverhead);
    expect(await protection.decryptField(a, donorEmail)).toBe('Ann Lee');
    for (const other of neighbours(donorEmail)) expect(await failsWithCryptoFailure(() => protection.decryptBuffer(a, other))).toBe(true);
  });

  it('never repeat a nonce or a data-key wrap across 20,000 encryptions (many refills of their random pool)', async () => {
    const keys = await protection.organisationKeys(orgA);
    const parts = new Set<string>();
    const count = 20_000;
    for (let i = 0; i < count; i += 1) {
      const ciphertext = keys.encryptField('x', donorEmail);
      parts.add(`w${ciphertext.toString('latin1', 26, 86)}`);
      parts.add(`p${ciphertext.toString('latin1', 86, 98)}`);
    }
    expect(parts.size).toBe(2 * count);
  });

  it('give the same blind index as blindIndex, and refuse what those refuse', async () => {
    const keys = await protection.organisationKeys(orgA);
    expect(keys.blindIndex('contact.external_id', 'c-1').equals(await protection.blindIndex(orgA, 'contact.external_id', 'c-1'))).toBe(true);
    expect(keys.blindIndex('contact.external_id', 'c-1').equals(keys.blindIndex('contact.email', 'c-1'))).toBe(false);
    expect(() => keys.blindIndex('Bad Purpose', 'x')).toThrow('blind index purpose');
    expect(() => keys.encryptField('x', { ...donorEmail, orgId: orgB })).toThrow('another organisation');
    expect(() => keys.encryptField('\ud800', donorEmail)).toThrow('well-formed');
  });
});
