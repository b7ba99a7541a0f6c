import { sql, withTenant, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { decryptionFailure, keysDestroyed, rootKeyUnavailable } from '../crypto-failure.js';
import { canonicalOrgId } from '../encryption-context.js';
import { platformScopeId, type Kek, type KeyStore, type RootKeyProvider } from '../key-store.js';

export interface PostgresKeyStoreOptions {
  /**
   * The pool to use. Reading, creating and rotating KEKs works with the application role;
   * `destroy` needs the owner connection (the application role may not erase keys).
   */
  readonly db: Kysely<Database>;
  readonly rootKeyProvider: RootKeyProvider;
  /**
   * How long an unwrapped KEK and the current version number are reused in this process
   * (default 60 s; 0 turns caching off). Unwrapping may be a KMS call, so without a cache every
   * decryption would pay one. The cost: after a rotation or a destroy in another process, this
   * one goes on using what it cached for up to this long.
   */
  readonly cacheTtlMs?: number;
}

interface KeyRow {
  version: number;
  wrapped_key: Buffer | null;
  root_key_id: string | null;
  destroyed: boolean;
}

const maxCachedKeks = 1000;
/**
 * How long another process may go on using a KEK version it cached: after a rotation, new writes
 * everywhere use the new version once this has passed (the re-wrap job waits this long).
 */
export const defaultKekCacheTtlMs = 60_000;

/**
 * KEKs in the `organisation_key` table (migration 0003), wrapped by a root key provider. Each
 * call runs in a transaction whose row-level security context is the organisation asked for.
 */
export function createPostgresKeyStore(options: PostgresKeyStoreOptions): KeyStore {
  const { db, rootKeyProvider } = options;
  const ttl = options.cacheTtlMs ?? defaultKekCacheTtlMs;
  const kekCache = new Map<string, { kek: Kek; expires: number }>();
  const currentCache = new Map<string, { version: number; expires: number }>();

  function cacheKek(kek: Kek): void {
    if (ttl <= 0) return;
    if (kekCache.size >= maxCachedKeks) {
      const oldest = kekCache.keys().next();
      if (oldest.done !== true) kekCache.delete(oldest.value);
    }
    kekCache.set(`${kek.orgId}/${String(kek.version)}`, { kek, expires: Date.now() + ttl });
    currentCache.set(kek.orgId, { version: Math.max(kek.version, currentCache.get(kek.orgId)?.version ?? 0), expires: Date.now() + ttl });
  }

  function cachedKek(orgId: string, version: number): Kek | undefined {
    const entry = kekCache.get(`${orgId}/${String(version)}`);
    if (entry === undefined || entry.expires < Date.now()) return undefined;
    // A copy: callers wipe key buffers they are done with, which must not wipe the cache.
    return { ...entry.kek, key: Buffer.from(entry.kek.key) };
  }

  function forget(orgId: string): void {
    currentCache.delete(orgId);
    for (const [key, entry] of kekCache) {
      if (entry.kek.orgId === orgId) {
        entry.kek.key.fill(0);
        kekCache.delete(key);
      }
    }
  }

  async function reveal(orgId: string, row: KeyRow): Promise<Kek> {
    if (row.destroyed || row.wrapped_key === null) throw keysDestroyed();
    if (row.root_key_id !== rootKeyProvider.id) {
      // Not an integrity problem of the data: this deployment is configured with a different
      // root key than the one that wrapped the organisation's keys (e.g. a restored backup).
      throw rootKeyUnavailable(new Error(`KEK wrapped by root key ${String(row.root_key_id)}, configured root key is ${rootKeyProvider.id}`));
    }
    const kek: Kek = { orgId, version: row.version, key: await rootKeyProvider.unwrap(orgId, row.wrapped_key) };
    cacheKek(kek);
    return { ...kek, key: Buffer.from(kek.key) };
  }

  async function latestRow(trx: TenantTransaction, orgId: string): Promise<KeyRow | undefined> {
    const { rows } = await sql<KeyRow>`
      SELECT version, wrapped_key, root_key_id, destroyed_at IS NOT NULL AS destroyed
      FROM organisation_key WHERE org_id = ${orgId}
      ORDER BY version DESC LIMIT 1`.execute(trx);
    return rows[0];
  }

  /**
   * Serialises key creation per organisation for the rest of the transaction, so two processes
   * creating version 1 (or rotating) at once cannot both pick the same version. Each statement
   * after the lock takes a fresh snapshot (READ COMMITTED), so it sees the winner's row.
   */
  async function lockLineage(trx: TenantTransaction, orgId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`kindling.organisation_key/${orgId}`}, 0))`.execute(trx);
  }

  /**
   * True when `orgId` names no organisation (any more). Its keys went with it (ON DELETE CASCADE),
   * so its ciphertexts must report that rather than look corrupt, and no key may be created for it.
   */
  async function organisationGone(trx: TenantTransaction, orgId: string): Promise<boolean> {
    if (orgId === platformScopeId) return false;
    const { rows } = await sql<{ exists: boolean }>`SELECT EXISTS (SELECT FROM organisation WHERE id = ${orgId}) AS exists`.execute(trx);
    return rows[0]?.exists !== true;
  }

  async function appendVersion(trx: TenantTransaction, orgId: string, version: number): Promise<Kek> {
    const { key, wrapped } = await rootKeyProvider.generateKey(orgId);
    await sql`
      INSERT INTO organisation_key (org_id, version, wrapped_key, root_key_id)
      VALUES (${orgId}, ${version}, ${wrapped}, ${rootKeyProvider.id})`.execute(trx);
    await sql`
      UPDATE organisation_key SET retired_at = now()
      WHERE org_id = ${orgId} AND version < ${version} AND retired_at IS NULL`.execute(trx);
    const kek: Kek = { orgId, version, key };
    cacheKek(kek);
    return { ...kek, key: Buffer.from(key) };
  }

  return {
    async currentKek(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      const current = currentCache.get(orgId);
      if (current !== undefined && current.expires >= Date.now()) {
        const cached = cachedKek(orgId, current.version);
        if (cached !== undefined) return cached;
      }
      return withTenant(db, { orgId }, async (trx) => {
        const latest = await latestRow(trx, orgId);
        if (latest !== undefined) return reveal(orgId, latest);
        await lockLineage(trx, orgId);
        const winner = await latestRow(trx, orgId);
        if (winner !== undefined) return reveal(orgId, winner);
        if (await organisationGone(trx, orgId)) throw keysDestroyed(true);
        return appendVersion(trx, orgId, 1);
      });
    },

    async kekVersion(orgIdInput, version) {
      const orgId = canonicalOrgId(orgIdInput);
      if (!Number.isInteger(version) || version < 1 || version > 0x7fff_ffff) throw decryptionFailure('integrity');
      const cached = cachedKek(orgId, version);
      if (cached !== undefined) return cached;
      return withTenant(db, { orgId }, async (trx) => {
        // The asked-for version, or failing that any tombstone: a shredded organisation's
        // ciphertexts must report that, whatever version their header names.
        const { rows } = await sql<KeyRow>`
          SELECT version, wrapped_key, root_key_id, destroyed_at IS NOT NULL AS destroyed
          FROM organisation_key
          WHERE org_id = ${orgId} AND (version = ${version} OR destroyed_at IS NOT NULL)
          ORDER BY destroyed_at IS NOT NULL DESC LIMIT 1`.execute(trx);
        const row = rows[0];
        if (row !== undefined) return reveal(orgId, row);
        if ((await latestRow(trx, orgId)) === undefined && (await organisationGone(trx, orgId))) throw keysDestroyed(true);
        // The lineage exists and never had this version: the header is corrupt or forged.
        throw decryptionFailure('integrity');
      });
    },

    async rotate(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      return withTenant(db, { orgId }, async (trx) => {
        await lockLineage(trx, orgId);
        const latest = await latestRow(trx, orgId);
        if (latest?.destroyed === true) throw keysDestroyed();
        if (latest === undefined && (await organisationGone(trx, orgId))) throw keysDestroyed(true);
        return appendVersion(trx, orgId, (latest?.version ?? 0) + 1);
      });
    },

    async destroy(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      forget(orgId);
      await withTenant(db, { orgId }, async (trx) => {
        await lockLineage(trx, orgId);
        // The key material is overwritten, the rows stay as a tombstone (see migration 0003).
        // PostgreSQL keeps the old row versions until VACUUM, and WAL archives and database
        // backups keep them for their retention: shredding is complete only when those expire.
        await sql`
          UPDATE organisation_key
          SET wrapped_key = NULL, root_key_id = NULL, destroyed_at = now(), retired_at = coalesce(retired_at, now())
          WHERE org_id = ${orgId} AND destroyed_at IS NULL`.execute(trx);
        // An organisation that never had a key still gets a tombstone, so none is created later
        // (one that no longer exists needs none: its keys are gone and none can be created).
        if ((await latestRow(trx, orgId)) === undefined && !(await organisationGone(trx, orgId))) {
          await sql`
            INSERT INTO organisation_key (org_id, version, destroyed_at, retired_at)
            VALUES (${orgId}, 1, now(), now())`.execute(trx);
        }
      });
      forget(orgId);
    },
  };
}
