import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { importPresetNamed } from '@kindling/crm-import';
import { createDataProtection, createLocalRootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { generateDemoData, groundTruthFileName, type DemoDataOptions } from '@kindling/demo-data';
import { createEncryptedObjectStore, createLocalFolderStore } from '@kindling/object-store';
import { runImport, type ImportDependencies } from '@kindling/reference-store';

/** A real migrated database with the import machinery, so tests load histories the way production does. */
export interface FeatureTestDatabase {
  readonly db: TestDatabase;
  createOrganisation(name: string): Promise<string>;
  /** Imports CSV files (name → text) in the generic layout; throws unless the import applies. */
  importFiles(orgId: string, files: ReadonlyMap<string, string>, mode: 'complete' | 'delta'): Promise<void>;
  close(): Promise<void>;
}

export async function createFeatureTestDatabase(clusterOwnerUrl: string, appRolePassword: string): Promise<FeatureTestDatabase> {
  const db = await createTestDatabase(clusterOwnerUrl, appRolePassword);
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-features-test-'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: folder });
  const deps: ImportDependencies = { db: db.appDb, fields, objectStore: (orgId) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId }) };
  return {
    db,
    createOrganisation: async (name) => (await seedOrganisation(db.ownerDb, name)).id,
    async importFiles(orgId, files, mode) {
      const outcome = await runImport(deps, {
        orgId,
        preset: importPresetNamed('generic'),
        mode,
        organisationCurrency: 'GBP',
        files: [...files].map(([name, text]) => ({ name, bytes: Readable.from([Buffer.from(text)]) })),
        actor: { userId: null, tokenId: null },
        maxRejectedShare: 0.05,
        limits: { maxEntries: 20, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 200 },
      });
      if (outcome.status !== 'applied') throw new Error(`import ${outcome.status}: ${outcome.problem ?? ''}`);
    },
    async close() {
      await db.drop();
      await fs.rm(folder, { recursive: true, force: true });
    },
  };
}

/** A synthetic charity in the generic layout, in memory (file name → CSV text), without its ground truth. */
export async function generateDemoFiles(options: Omit<DemoDataOptions, 'format' | 'outDir' | 'output'>): Promise<Map<string, string>> {
  const chunks = new Map<string, Buffer[]>();
  await generateDemoData({
    ...options,
    format: 'generic',
    output: {
      open(fileName) {
        const list: Buffer[] = [];
        chunks.set(fileName, list);
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            list.push(chunk);
            done();
          },
        });
      },
    },
  });
  return new Map([...chunks].filter(([name]) => name !== groundTruthFileName).map(([name, list]) => [name, Buffer.concat(list).toString('utf8')]));
}
