import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { createDataProtection, createLocalRootKeyProvider, isCryptoFailure, platformScopeId, readEnvelopeHeader, type RootKeyProvider } from '../index.js';
import { describeKeyStoreContract } from '../test-support/key-store-contract.js';
import { failureOf } from '../test-support/expect-failure.js';
import { createPostgresKeyStore } from './index.js';

let db: TestDatabase;
let rootKeyProvider: RootKeyProvider;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
});
afterAll(async () => {
  await db.drop();
});

const newOrg = async (): Promise<string> => (await seedOrganisation(db.ownerDb)).id;

describeKeyStoreContract('PostgreSQL key store (application role, no cache)', () => ({
  store: createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 }),
  destroyer: createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider, cacheTtlMs: 0 }),
  newOrg,
}));

// Cached, destroying through the same instance: a destroy must also empty this process's cache.
// (Another process's cache keeps a KEK for up to its TTL: see the TTL test below.)
describeKeyStoreContract('PostgreSQL key store (cached)', () => {
  const store = createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider });
  return { store, destroyer: store, newOrg };
});

interface StoredKey {
  org_id: string;
  version: number;
  wrapped_key: Buffer | null;
  root_key_id: string | null;
  retired: boolean;
  destroyed: boolean;
}

async function storedKeys(orgId: string): Promise<StoredKey[]> {
  const { rows } = await withTenant(db.ownerDb, { orgId }, (trx) =>
    sql<StoredKey>`
      SELECT org_id, version, wrapped_key, root_key_id, retired_at IS NOT NULL AS retired, destroyed_at IS NOT NULL AS destroyed
      FROM organisation_key WHERE org_id = ${orgId} ORDER BY version`.execute(trx),
  );
  return rows;
}

describe('organisation_key table', () => {
  it('holds only wrapped KEKs, each naming its root key; rotation retires the previous version', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider });
    const orgId = await newOrg();
    const v1 = await store.currentKek(orgId);
    const v2 = await store.rotate(orgId);
    const rows = await storedKeys(orgId);
    expect(rows.map((r) => [r.version, r.retired, r.destroyed, r.root_key_id])).toEqual([
      [1, true, false, rootKeyProvider.id],
      [2, false, false, rootKeyProvider.id],
    ]);
    for (const [row, kek] of [[rows[0], v1], [rows[1], v2]] as const) {
      expect(row?.wrapped_key?.includes(kek.key)).toBe(false);
      expect((await rootKeyProvider.unwrap(orgId, row?.wrapped_key ?? Buffer.alloc(0))).equals(kek.key)).toBe(true);
    }
  });

  it('is fenced by row-level security: the application role sees and writes only the organisation named by kindling.org_id', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider });
    const [orgA, orgB] = [await newOrg(), await newOrg()];
    await store.currentKek(orgA);
    await store.currentKek(orgB);

    const countIn = (tenant: string | null, target: string): Promise<number> =>
      db.appDb.transaction().execute(async (trx) => {
        await sql`SELECT set_config('kindling.org_id', ${tenant ?? ''}, true)`.execute(trx);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organisation_key WHERE org_id = ${target}`.execute(trx);
        return rows[0]?.n ?? -1;
      });
    expect(await countIn(orgA, orgA)).toBe(1);
    expect(await countIn(orgB, orgA)).toBe(0);
    expect(await countIn(null, orgA)).toBe(0);

    const plant = withTenant(db.appDb, { orgId: orgB }, (trx) =>
      sql`INSERT INTO organisation_key (org_id, version, wrapped_key, root_key_id) VALUES (${orgA}, 9, ${randomBytes(60)}, 'x')`.execute(trx),
    );
    await expect(plant).rejects.toThrow(/row-level security/);
  });

  it('lets the application role neither alter nor erase stored keys', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider });
    const orgId = await newOrg();
    await store.currentKek(orgId);
    await withTenant(db.appDb, { orgId }, async (trx) => {
      await expect(sql`UPDATE organisation_key SET wrapped_key = ${randomBytes(60)}`.execute(trx)).rejects.toThrow(/permission denied/);
    });
    await withTenant(db.appDb, { orgId }, async (trx) => {
      await expect(sql`DELETE FROM organisation_key`.execute(trx)).rejects.toThrow(/permission denied/);
    });
    await expect(store.destroy(orgId)).rejects.toThrow(/permission denied/);
    expect((await storedKeys(orgId)).map((r) => r.destroyed)).toEqual([false]);
  });

  it('has row-level security enabled and forced, with the tenant policy', async () => {
    const { rows } = await sql<{ rls: boolean; forced: boolean; policies: string[] }>`
      SELECT c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
        ARRAY(SELECT policyname::text FROM pg_policies p WHERE p.tablename = 'organisation_key') AS policies
      FROM pg_class c WHERE c.relname = 'organisation_key'`.execute(db.ownerDb);
    expect(rows).toEqual([{ rls: true, forced: true, policies: ['organisation_key_tenant'] }]);
  });

  it('erases key material on destroy and keeps a tombstone; deleting the organisation deletes its keys', async () => {
    const owner = createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider });
    const orgId = await newOrg();
    await owner.currentKek(orgId);
    await owner.rotate(orgId);
    await owner.destroy(orgId);
    expect((await storedKeys(orgId)).map((r) => [r.version, r.wrapped_key, r.root_key_id, r.destroyed])).toEqual([
      [1, null, null, true],
      [2, null, null, true],
    ]);
    await withTenant(db.ownerDb, { orgId }, (trx) => sql`DELETE FROM organisation WHERE id = ${orgId}`.execute(trx));
    expect(await storedKeys(orgId)).toEqual([]);
  });

  it('does not unwrap a KEK row copied to another organisation', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 });
    const [victim, thief] = [await newOrg(), await newOrg()];
    await store.currentKek(victim);
    const [stolen] = await storedKeys(victim);
    await withTenant(db.ownerDb, { orgId: thief }, (trx) =>
      sql`INSERT INTO organisation_key (org_id, version, wrapped_key, root_key_id) VALUES (${thief}, 1, ${stolen?.wrapped_key ?? null}, ${rootKeyProvider.id})`.execute(trx),
    );
    expect(isCryptoFailure(await failureOf(store.currentKek(thief)), 'integrity')).toBe(true);
  });

  it('reports keys wrapped by a different root key as UNAVAILABLE, not as corrupt data', async () => {
    const orgId = await newOrg();
    await createPostgresKeyStore({ db: db.appDb, rootKeyProvider }).currentKek(orgId);
    const otherRoot = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
    const error = await failureOf(createPostgresKeyStore({ db: db.appDb, rootKeyProvider: otherRoot }).currentKek(orgId));
    expect(isCryptoFailure(error, 'root_key_unavailable')).toBe(true);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect((error as Error).message).not.toContain(rootKeyProvider.id);
  });

  it('hands out copies from its cache, so a caller wiping its key does not wipe the cache', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider });
    const orgId = await newOrg();
    const first = await store.currentKek(orgId);
    const expected = Buffer.from(first.key);
    first.key.fill(0);
    expect((await store.currentKek(orgId)).key.equals(expected)).toBe(true);
  });
});

describe('organisations that do not exist, and the platform scope', () => {
  it('reports the data of a deleted organisation as gone, and creates no key for an organisation that does not exist', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 });
    const protection = createDataProtection({ keyStore: store });
    const orgId = await newOrg();
    const context = { orgId, purpose: 'object', objectKey: 'exports/a.csv' } as const;
    const ciphertext = await protection.encryptBuffer(Buffer.from('gift history'), context);
    await withTenant(db.ownerDb, { orgId }, (trx) => sql`DELETE FROM organisation WHERE id = ${orgId}`.execute(trx));
    for (const attempt of [() => protection.decryptBuffer(ciphertext, context), () => protection.encryptBuffer(Buffer.from('x'), context), () => store.rotate(orgId)]) {
      const error = await failureOf(attempt);
      expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no longer exists/) as unknown });
    }
    expect(isCryptoFailure(await failureOf(store.currentKek(randomUUID())), 'keys_destroyed')).toBe(true);
    await expect(createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider }).destroy(randomUUID())).resolves.toBeUndefined();
  });

  it('keeps a lineage for the platform scope, which has no organisation row', async () => {
    const store = createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 });
    const protection = createDataProtection({ keyStore: store });
    const context = { orgId: platformScopeId, purpose: 'field', table: 'app_user', column: 'email_ciphertext', rowId: randomUUID() } as const;
    const ciphertext = await protection.encryptField('jane@example.org', context);
    expect(await protection.decryptField(ciphertext, context)).toBe('jane@example.org');
    expect(await protection.blindIndex(platformScopeId, 'user_email', 'jane@example.org')).toHaveLength(32);
    expect((await storedKeys(platformScopeId)).map((r) => r.version)).toEqual([1]);
  });
});

describe('the KEK cache of another process', () => {
  it('serves a destroyed organisation at most until its TTL runs out', async () => {
    const ttl = 300;
    const otherProcess = createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: ttl });
    const operator = createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider, cacheTtlMs: 0 });
    const orgId = await newOrg();
    await otherProcess.currentKek(orgId);
    const destroyedAt = Date.now();
    await operator.destroy(orgId);
    let error: unknown;
    while (error === undefined) {
      error = await otherProcess.kekVersion(orgId, 1).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (error === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
    expect(Date.now() - destroyedAt).toBeLessThan(ttl + 1000);
  });
});

describe('data protection on the PostgreSQL key store', () => {
  it('encrypts, rotates, rewraps and shreds end to end', async () => {
    const keyStore = createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 });
    const operator = createPostgresKeyStore({ db: db.ownerDb, rootKeyProvider, cacheTtlMs: 0 });
    const protection = createDataProtection({ keyStore });
    const orgId = await newOrg();
    const context = { orgId, purpose: 'field', table: 'donor', column: 'email', rowId: randomUUID() } as const;

    const v1 = await protection.encryptField('jane@example.org', context);
    const index = await protection.blindIndex(orgId, 'email', 'jane@example.org');
    await keyStore.rotate(orgId);
    const v2 = await protection.encryptField('john@example.org', context);
    expect([readEnvelopeHeader(v1).kekVersion, readEnvelopeHeader(v2).kekVersion]).toEqual([1, 2]);
    expect(await protection.decryptField(v1, context)).toBe('jane@example.org');
    const moved = await protection.rewrapObject(v1);
    expect(readEnvelopeHeader(moved).kekVersion).toBe(2);
    expect(await protection.decryptField(moved, context)).toBe('jane@example.org');
    expect((await protection.blindIndex(orgId, 'email', 'jane@example.org')).equals(index)).toBe(true);

    await operator.destroy(orgId);
    for (const ciphertext of [v1, v2, moved]) {
      const error = await failureOf(protection.decryptField(ciphertext, context));
      expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
