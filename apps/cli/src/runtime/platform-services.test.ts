import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '@kindling/config';
import { createDataProtection, createInMemoryKeyStore, createLocalRootKeyProvider, localRootKeyPath, readEnvelopeHeader } from '@kindling/crypto';
import { createEncryptedObjectStore } from '@kindling/object-store';
import { createObjectBackend, createRootKeyProvider } from './platform-services.js';

// s3rver ships no types; this is the part of its API the test uses.
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

let folder: string;
let server: S3rverServer;
let port: number;

beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-platform-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(folder, 's3'), configureBuckets: [{ name: 'kindling-objects' }] });
  ({ port } = await server.run());
  // The AWS SDK's default credential chain reads these, as it would in a deployment.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
  await fs.rm(folder, { recursive: true, force: true });
});

const orgId = '6f1c2a9e-8a4b-4c1e-9d2f-0a1b2c3d4e5f';
const fields = createDataProtection({ keyStore: createInMemoryKeyStore() });

describe('the configured object store', () => {
  it('is <home>/objects by default, holding only ciphertext', async () => {
    const home = path.join(folder, 'home');
    const backend = createObjectBackend(loadConfig({ KINDLING_HOME: home }));
    await createEncryptedObjectStore({ backend, dataProtection: fields, orgId }).put('exports/a.csv', Buffer.from('name,email'));
    const stored = await fs.readFile(path.join(home, 'objects', 'org', orgId, 'exports', 'a.csv'));
    expect(readEnvelopeHeader(stored).orgId).toBe(orgId);
    expect(stored.includes(Buffer.from('email'))).toBe(false);
  });

  it('is an S3-compatible server given OBJECT_STORE_S3_ENDPOINT (path-style addressing)', async () => {
    const config = loadConfig({
      OBJECT_STORE_S3_BUCKET: 'kindling-objects',
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- s3rver on loopback, started and stopped by this test
      OBJECT_STORE_S3_ENDPOINT: `http://127.0.0.1:${String(port)}`,
      OBJECT_STORE_S3_KMS_KEY_ID: 'alias/kindling-objects',
    });
    const backend = createObjectBackend(config);
    const store = createEncryptedObjectStore({ backend, dataProtection: fields, orgId });
    await store.put('uploads/u1.csv', Buffer.from('donor file'));
    expect((await backend.list(`org/${orgId}/`)).map((o) => o.key)).toEqual([`org/${orgId}/uploads/u1.csv`]);
    expect((await buffer(store.get('uploads/u1.csv'))).toString()).toBe('donor file');
  });
});

describe('the configured root key', () => {
  it('is the key file of the home by default (created 0600), or ROOT_KEY', async () => {
    const home = path.join(folder, 'keys-home');
    const fromFile = await createRootKeyProvider(loadConfig({ KINDLING_HOME: home }));
    expect(((await fs.stat(localRootKeyPath(home))).mode & 0o777).toString(8)).toBe('600');
    const key = (await fs.readFile(localRootKeyPath(home), 'utf8')).trim();
    expect(fromFile.id).toBe((await createLocalRootKeyProvider({ keyBase64: key })).id);

    const given = randomBytes(32).toString('base64');
    const fromValue = await createRootKeyProvider(loadConfig({ KINDLING_HOME: path.join(folder, 'other-home'), ROOT_KEY: given }));
    expect(fromValue.id).toBe((await createLocalRootKeyProvider({ keyBase64: given })).id);
    await expect(fs.stat(localRootKeyPath(path.join(folder, 'other-home')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is the KMS key given in KMS_KEY_ID', async () => {
    const provider = await createRootKeyProvider(loadConfig({ KMS_KEY_ID: 'alias/kindling-root', AWS_REGION: 'eu-west-2' }));
    expect(provider.id).toBe('kms:alias/kindling-root');
  });
});
