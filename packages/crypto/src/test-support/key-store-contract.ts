import { describe, expect, it } from 'vitest';
import { isCryptoFailure, type KeyStore } from '../index.js';

export interface KeyStoreFixture {
  readonly store: KeyStore;
  /** The organisation to use: real implementations may need it to exist first. */
  readonly newOrg: () => Promise<string>;
  /** The store that may destroy (the PostgreSQL store needs the owner connection for that). */
  readonly destroyer?: KeyStore;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** The behaviour every KeyStore must have; each implementation's test file runs it. */
export function describeKeyStoreContract(name: string, fixture: () => KeyStoreFixture): void {
  describe(`${name}: the KeyStore contract`, () => {
    it('creates version 1 on first use and returns the same key after', async () => {
      const { store, newOrg } = fixture();
      const orgId = await newOrg();
      const first = await store.currentKek(orgId);
      const again = await store.currentKek(orgId);
      expect(first).toMatchObject({ orgId, version: 1 });
      expect(first.key).toHaveLength(32);
      expect(again.version).toBe(1);
      expect(again.key.equals(first.key)).toBe(true);
    });

    it('creates one version 1 when first uses race', async () => {
      const { store, newOrg } = fixture();
      const orgId = await newOrg();
      const keks = await Promise.all(Array.from({ length: 5 }, () => store.currentKek(orgId)));
      expect(new Set(keks.map((k) => k.key.toString('hex'))).size).toBe(1);
    });

    it('gives each organisation its own key', async () => {
      const { store, newOrg } = fixture();
      const [a, b] = [await newOrg(), await newOrg()];
      expect((await store.currentKek(a)).key.equals((await store.currentKek(b)).key)).toBe(false);
    });

    it('rotates: the new version is current, the old one stays readable', async () => {
      const { store, newOrg } = fixture();
      const orgId = await newOrg();
      const v1 = await store.currentKek(orgId);
      const v2 = await store.rotate(orgId);
      expect(v2.version).toBe(2);
      expect(v2.key.equals(v1.key)).toBe(false);
      expect((await store.currentKek(orgId)).version).toBe(2);
      expect((await store.kekVersion(orgId, 1)).key.equals(v1.key)).toBe(true);
      expect((await store.kekVersion(orgId, 2)).key.equals(v2.key)).toBe(true);
    });

    it('reports a version the lineage never had as an integrity failure', async () => {
      const { store, newOrg } = fixture();
      const orgId = await newOrg();
      await store.currentKek(orgId);
      expect(isCryptoFailure(await failure(store.kekVersion(orgId, 7)), 'integrity')).toBe(true);
      expect(isCryptoFailure(await failure(store.kekVersion(orgId, 0)), 'integrity')).toBe(true);
    });

    it('destroys: every version fails as keys_destroyed, and no new lineage starts', async () => {
      const { store, newOrg, destroyer } = fixture();
      const orgId = await newOrg();
      await store.currentKek(orgId);
      await store.rotate(orgId);
      await (destroyer ?? store).destroy(orgId);
      const attempts = [() => store.kekVersion(orgId, 1), () => store.kekVersion(orgId, 2), () => store.kekVersion(orgId, 3), () => store.currentKek(orgId), () => store.rotate(orgId)];
      for (const attempt of attempts) {
        const error = await failure(attempt());
        expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
        expect(error).toMatchObject({ code: 'NOT_FOUND' });
      }
    });

    it('destroys an organisation that never had a key, so it never gets one', async () => {
      const { store, newOrg, destroyer } = fixture();
      const orgId = await newOrg();
      await (destroyer ?? store).destroy(orgId);
      expect(isCryptoFailure(await failure(store.currentKek(orgId)), 'keys_destroyed')).toBe(true);
    });

    it('refuses an organisation id that is not a UUID', async () => {
      const { store } = fixture();
      expect(isCryptoFailure(await failure(store.currentKek('not-a-uuid')), 'invalid_input')).toBe(true);
    });
  });
}
