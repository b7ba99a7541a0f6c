import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '@kindling/config';
import { createDataProtection, createLocalRootKeyProvider, type DataProtection, type KeyStore, type RootKeyProvider } from '@kindling/crypto';
import { createKmsRootKeyProvider } from '@kindling/crypto/aws-kms';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { readOrCreateSecretFile, type Database, type Kysely } from '@kindling/db';
import { createIdentityServices, type IdentityServices } from '@kindling/identity';
import type { Logger } from '@kindling/logger';
import { createEncryptedObjectStore, createLocalFolderStore, createS3Store, type ObjectStore } from '@kindling/object-store';
import { createConfiguredMailer } from './configured-mailer.js';

export interface PlatformServices {
  readonly fields: DataProtection;
  /** The organisation key lineages (rotation); destroying needs an owner-role key store instead. */
  readonly keyStore: KeyStore;
  /**
   * An organisation's view of the object store (uploads, model artifacts, exports, backups):
   * keys are relative, stored under `org/<orgId>/`, and every object is encrypted and bound to
   * its organisation and key. Use `platformScopeId` for objects that belong to no organisation.
   */
  readonly objectStore: (orgId: string) => ObjectStore;
  /**
   * The backend under `objectStore`: ciphertext only. For work that moves ciphertext without
   * reading it (re-wrapping, deleting an organisation); never put plaintext here.
   */
  readonly objectBackend: ObjectStore;
  readonly identity: IdentityServices;
  /** Keys server-side derivations (the CSRF token); generated per installation, never a default. */
  readonly sessionSecret: string;
}

/** The configured root of the key hierarchy: the local key (file or ROOT_KEY) or AWS KMS. */
export async function createRootKeyProvider(config: Pick<Config, 'home' | 'rootKey'>): Promise<RootKeyProvider> {
  const choice = config.rootKey;
  switch (choice.kind) {
    case 'local-file':
      return createLocalRootKeyProvider({ home: config.home });
    case 'local-value':
      return createLocalRootKeyProvider({ keyBase64: choice.keyBase64 });
    case 'aws-kms':
      return createKmsRootKeyProvider({ client: new KMSClient({ region: choice.region }), keyId: choice.keyId });
  }
}

/** The configured backend of the object store; it holds only what Kindling encrypted first. */
export function createObjectBackend(config: Pick<Config, 'objectStore'>): ObjectStore {
  const choice = config.objectStore;
  if (choice.kind === 'local-folder') return createLocalFolderStore({ root: choice.root });
  const client = new S3Client({
    region: choice.region,
    // S3-compatible servers are addressed by path: their buckets rarely have DNS names.
    ...(choice.endpoint === undefined ? {} : { endpoint: choice.endpoint, forcePathStyle: true }),
  });
  return createS3Store({ client, bucket: choice.bucket, ...(choice.kmsKeyId === undefined ? {} : { kmsKeyId: choice.kmsKeyId }) });
}

/**
 * The services every entry point (server, admin commands, job processes) builds the same way
 * over the application-role pool: field and object encryption under the organisation key
 * hierarchy rooted in the configured root key, the object store, and the identity services.
 */
export async function createPlatformServices(config: Config, db: Kysely<Database>, logger: Logger): Promise<PlatformServices> {
  const rootKeyProvider = await createRootKeyProvider(config);
  const keyStore = createPostgresKeyStore({ db, rootKeyProvider });
  const fields = createDataProtection({ keyStore });
  const objectBackend = createObjectBackend(config);
  const identity = createIdentityServices({
    db,
    fields,
    mailer: createConfiguredMailer(config, logger),
    publicUrl: config.http.publicUrl,
    sessionPolicy: config.sessions,
  });
  const sessionSecret = await readOrCreateSecretFile(path.join(config.home, 'secrets', 'session.key'));
  return {
    fields,
    keyStore,
    objectStore: (orgId) => createEncryptedObjectStore({ backend: objectBackend, dataProtection: fields, orgId }),
    objectBackend,
    identity,
    sessionSecret,
  };
}
