import { randomBytes, randomUUID } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore, isCryptoFailure } from '../index.js';
import { FakeKms } from '../test-support/fake-kms.js';
import { failureOf } from '../test-support/expect-failure.js';
import { createKmsRootKeyProvider, type KmsClientLike } from './index.js';

const keyId = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('AWS KMS root key provider', () => {
  it('accepts the real SDK client (type-level check; no call is made)', () => {
    const client: KmsClientLike = new KMSClient({ region: 'eu-west-2' });
    expect(createKmsRootKeyProvider({ client, keyId }).id).toBe(`kms:${keyId}`);
  });

  it('generates KEKs with GenerateDataKey and unwraps them with Decrypt, always with EncryptionContext { orgId }', async () => {
    const kms = new FakeKms([keyId]);
    const provider = createKmsRootKeyProvider({ client: kms, keyId });
    const orgId = randomUUID();
    const { key, wrapped } = await provider.generateKey(orgId);
    expect(key).toHaveLength(32);
    expect(wrapped.includes(key)).toBe(false);
    expect((await provider.unwrap(orgId, wrapped)).equals(key)).toBe(true);
    const material = randomBytes(32);
    expect((await provider.unwrap(orgId, await provider.wrap(orgId, material))).equals(material)).toBe(true);
    expect(kms.calls.map((c) => c.operation)).toEqual(['GenerateDataKey', 'Decrypt', 'Encrypt', 'Decrypt']);
    for (const call of kms.calls) expect(call).toMatchObject({ keyId, encryptionContext: { orgId } });
  });

  it('fails as an integrity error when the KEK is presented for another organisation or altered', async () => {
    const kms = new FakeKms([keyId]);
    const provider = createKmsRootKeyProvider({ client: kms, keyId });
    const { wrapped } = await provider.generateKey(randomUUID());
    expect(isCryptoFailure(await failureOf(provider.unwrap(randomUUID(), wrapped)), 'integrity')).toBe(true);
    const altered = Buffer.from(wrapped);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    expect(isCryptoFailure(await failureOf(provider.unwrap(randomUUID(), altered)), 'integrity')).toBe(true);
  });

  it('refuses a KEK wrapped under another KMS key', async () => {
    const otherKey = `${keyId}-other`;
    const kms = new FakeKms([keyId, otherKey]);
    const orgId = randomUUID();
    const { wrapped } = await createKmsRootKeyProvider({ client: kms, keyId: otherKey }).generateKey(orgId);
    expect(isCryptoFailure(await failureOf(createKmsRootKeyProvider({ client: kms, keyId }).unwrap(orgId, wrapped)), 'integrity')).toBe(true);
  });

  it('reports an unreachable or throttling KMS as UNAVAILABLE', async () => {
    const kms = new FakeKms([keyId]);
    kms.breakDown();
    const error = await failureOf(createKmsRootKeyProvider({ client: kms, keyId }).generateKey(randomUUID()));
    expect(isCryptoFailure(error, 'root_key_unavailable')).toBe(true);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('roots a working hierarchy: data encrypted through KMS-wrapped KEKs decrypts, and only for its organisation', async () => {
    const kms = new FakeKms([keyId]);
    const keyStore = createInMemoryKeyStore({ rootKeyProvider: createKmsRootKeyProvider({ client: kms, keyId }) });
    const protection = createDataProtection({ keyStore });
    const context = { orgId: randomUUID(), purpose: 'field', table: 'donor', column: 'email', rowId: 'r1' } as const;
    const ciphertext = await protection.encryptField('jane@example.org', context);
    await keyStore.rotate(context.orgId);
    expect(await protection.decryptField(await protection.rewrapObject(ciphertext), context)).toBe('jane@example.org');
    expect(kms.calls.filter((c) => c.operation === 'GenerateDataKey')).toHaveLength(2);
  });
});
