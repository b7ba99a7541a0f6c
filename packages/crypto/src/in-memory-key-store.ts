import { randomBytes } from 'node:crypto';
import { decryptionFailure, keysDestroyed } from './crypto-failure.js';
import { keyLength } from './aes-gcm.js';
import { canonicalOrgId } from './encryption-context.js';
import type { Kek, KeyStore, RootKeyProvider } from './key-store.js';

export interface InMemoryKeyStoreOptions {
  /** When given, KEKs are held only wrapped, and unwrapped on each use (as the PostgreSQL store does). */
  readonly rootKeyProvider?: RootKeyProvider;
}

interface Lineage {
  /** Index v-1 holds version v: raw key, or wrapped by the root provider. */
  readonly versions: Buffer[];
  destroyed: boolean;
}

/**
 * A KeyStore held in this process's memory: for unit tests and single-process tools. Its KEKs
 * die with the process, so anything encrypted under them does too; never use it for stored data.
 */
export function createInMemoryKeyStore(options: InMemoryKeyStoreOptions = {}): KeyStore {
  const { rootKeyProvider } = options;
  const lineages = new Map<string, Lineage>();
  // Creation awaits the root provider, so two concurrent first uses could both create version 1.
  // Operations on one organisation are chained instead (the PostgreSQL store takes a lock).
  const queues = new Map<string, Promise<unknown>>();

  function serialised<T>(orgId: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(orgId) ?? Promise.resolve();
    const next = previous.then(work, work);
    queues.set(
      orgId,
      next.catch(() => undefined),
    );
    return next;
  }

  async function reveal(orgId: string, version: number, stored: Buffer): Promise<Kek> {
    const key = rootKeyProvider === undefined ? Buffer.from(stored) : await rootKeyProvider.unwrap(orgId, stored);
    return { orgId, version, key };
  }

  async function append(orgId: string, lineage: Lineage): Promise<Kek> {
    const version = lineage.versions.length + 1;
    if (rootKeyProvider === undefined) {
      const key = randomBytes(keyLength);
      lineage.versions.push(Buffer.from(key));
      return { orgId, version, key };
    }
    const { key, wrapped } = await rootKeyProvider.generateKey(orgId);
    lineage.versions.push(wrapped);
    return { orgId, version, key };
  }

  function lineageOf(orgId: string): Lineage {
    let lineage = lineages.get(orgId);
    if (lineage === undefined) {
      lineage = { versions: [], destroyed: false };
      lineages.set(orgId, lineage);
    }
    return lineage;
  }

  return {
    async currentKek(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      return serialised(orgId, async () => {
        const lineage = lineageOf(orgId);
        if (lineage.destroyed) throw keysDestroyed();
        const latest = lineage.versions.at(-1);
        return latest === undefined ? append(orgId, lineage) : reveal(orgId, lineage.versions.length, latest);
      });
    },
    async kekVersion(orgIdInput, version) {
      const orgId = canonicalOrgId(orgIdInput);
      const lineage = lineages.get(orgId);
      if (lineage?.destroyed === true) throw keysDestroyed();
      const stored = Number.isInteger(version) && version >= 1 ? lineage?.versions[version - 1] : undefined;
      if (stored === undefined) throw decryptionFailure('integrity');
      return reveal(orgId, version, stored);
    },
    async rotate(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      return serialised(orgId, async () => {
        const lineage = lineageOf(orgId);
        if (lineage.destroyed) throw keysDestroyed();
        return append(orgId, lineage);
      });
    },
    async destroy(orgIdInput) {
      const orgId = canonicalOrgId(orgIdInput);
      return serialised(orgId, () => {
        const lineage = lineageOf(orgId);
        for (const stored of lineage.versions) stored.fill(0);
        lineage.versions.length = 0;
        lineage.destroyed = true;
        return Promise.resolve();
      });
    },
  };
}
