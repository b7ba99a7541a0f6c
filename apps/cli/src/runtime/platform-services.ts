import path from 'node:path';
import type { Config } from '@kindling/config';
import { createDataProtection, createLocalRootKeyProvider, type DataProtection } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { readOrCreateSecretFile, type Database, type Kysely } from '@kindling/db';
import { createIdentityServices, createLogMailer, type IdentityServices } from '@kindling/identity';
import type { Logger } from '@kindling/logger';

export interface PlatformServices {
  readonly fields: DataProtection;
  readonly identity: IdentityServices;
  /** Keys server-side derivations (the CSRF token); generated per installation, never a default. */
  readonly sessionSecret: string;
}

/**
 * The services every entry point (server, admin commands) builds the same way over the
 * application-role pool: field encryption under the organisation key hierarchy rooted in the
 * local root key of the Kindling home, and the identity services on top of it.
 */
export async function createPlatformServices(config: Config, db: Kysely<Database>, logger: Logger): Promise<PlatformServices> {
  const rootKeyProvider = await createLocalRootKeyProvider({ home: config.home });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db, rootKeyProvider }) });
  const identity = createIdentityServices({
    db,
    fields,
    mailer: createLogMailer(logger),
    publicUrl: config.http.publicUrl,
    sessionPolicy: config.sessions,
  });
  const sessionSecret = await readOrCreateSecretFile(path.join(config.home, 'secrets', 'session.key'));
  return { fields, identity, sessionSecret };
}
