import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@kindling/db';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser (or migration-capable) URL of the test cluster; tests create their own databases on it. */
    clusterOwnerUrl: string;
    /** The app role's password for this run (see createTestDatabase). */
    appRolePassword: string;
  }
}

/**
 * One real PostgreSQL for the whole test run: the external one in DATABASE_URL when given,
 * otherwise an embedded server in a temporary folder that is removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedPostgres | undefined;
  let folder: string | undefined;
  let ownerUrl = process.env.DATABASE_URL;
  if (ownerUrl === undefined || ownerUrl === '') {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-test-pg-'));
    await fs.chmod(folder, 0o711);
    server = await startEmbeddedPostgres({ directory: path.join(folder, 'postgres'), port: 0 });
    ownerUrl = server.ownerUrl;
  }
  project.provide('clusterOwnerUrl', ownerUrl);
  project.provide('appRolePassword', randomBytes(32).toString('base64url'));
  return async () => {
    await server?.stop();
    if (folder !== undefined) await fs.rm(folder, { recursive: true, force: true });
  };
}
