import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataProtection, createLocalRootKeyProvider, isCryptoFailure, readEnvelopeHeader, type DataProtection } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { assertCliBuilt, runCli, stopLeftoverCliProcesses } from '../test-support/cli-process.js';

/**
 * `kindling keys rotate` and `kindling org delete` as an operator runs them, against an external
 * database with the root key in ROOT_KEY; the re-wrap job runs in a job process of `kindling start`.
 */

let home: string;
let db: TestDatabase;
let fields: DataProtection;
const rootKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-keys-'));
  await fs.chmod(home, 0o711);
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: rootKey });
  fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider, cacheTtlMs: 0 }) });
});
afterEach(stopLeftoverCliProcesses);
afterAll(async () => {
  await db.drop();
  await fs.rm(home, { recursive: true, force: true });
});

async function storedNotes(orgId: string, id: string): Promise<Buffer> {
  const row = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('contact').select('notes_ciphertext').where('id', '=', id).executeTakeFirstOrThrow());
  return row.notes_ciphertext ?? Buffer.alloc(0);
}

describe('kindling keys rotate and kindling org delete (DATABASE_URL, ROOT_KEY)', () => {
  it('rotates, re-wraps in a job process, then shreds the organisation', { timeout: 90_000 }, async () => {
    const env = { KINDLING_HOME: home, DATABASE_URL: db.ownerUrl, DATABASE_APP_URL: db.appUrl, ROOT_KEY: rootKey };
    const org = await seedOrganisation(db.ownerDb, 'Brook Trust');
    const id = randomUUID();
    const context = { orgId: org.id, purpose: 'field', table: 'contact', column: 'notes_ciphertext', rowId: id } as const;
    const backup = await fields.encryptField('prefers phone calls', context);
    await withTenant(db.appDb, { orgId: org.id }, (trx) =>
      trx
        .insertInto('contact')
        .values({ id, org_id: org.id, kind: 'individual', external_id_ciphertext: backup, external_id_blind_index: randomBytes(32), notes_ciphertext: backup })
        .execute(),
    );

    const rotate = runCli(['keys', 'rotate', '--org', org.id], env);
    expect((await rotate.exited()).code).toBe(0);
    expect(rotate.output()).toMatch(new RegExp(`organisation ${org.id}: now key version 2; re-wrap queued as job [0-9a-f-]{36}`));
    expect(rotate.output()).not.toContain(rootKey);
    // The re-wrap waits out running processes' key caches (60 s); the test does not.
    const queued = await db.ownerDb.selectFrom('job').select(['id', 'run_after']).where('name', '=', 'keys.rewrap-organisation').executeTakeFirstOrThrow();
    expect(queued.run_after.getTime()).toBeGreaterThan(Date.now() + 60_000);
    await db.ownerDb.updateTable('job').set({ run_after: new Date() }).where('id', '=', queued.id).execute();

    const server = runCli(['start'], { ...env, PORT: '0', JOB_POLL_INTERVAL_MS: '100' });
    await server.ready();
    const deadline = Date.now() + 30_000;
    let status: string | undefined;
    while (Date.now() < deadline && status !== 'succeeded' && status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await db.ownerDb.selectFrom('job').select('status').where('name', '=', 'keys.rewrap-organisation').executeTakeFirst())?.status;
    }
    expect(status).toBe('succeeded');
    server.child.kill('SIGTERM');
    expect((await server.exited()).code).toBe(0);
    const moved = await storedNotes(org.id, id);
    expect(readEnvelopeHeader(moved).kekVersion).toBe(2);
    expect(await fields.decryptField(moved, context)).toBe('prefers phone calls');

    const refused = runCli(['org', 'delete', '--org', org.id, '--confirm', 'Brook'], env);
    expect((await refused.exited()).code).toBe(1);
    expect(refused.errors()).toBe("kindling: --confirm must be the organisation's exact name; nothing was deleted\n");
    expect(await fields.decryptField(moved, context)).toBe('prefers phone calls');

    const shred = runCli(['org', 'delete', '--org', org.id, '--confirm', 'Brook Trust'], env);
    expect((await shred.exited()).code).toBe(0);
    expect(shred.output()).toContain(`Deleted organisation ${org.id}: keys destroyed`);
    for (const copy of [backup, moved]) {
      const error = await fields.decryptField(copy, context).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
    }

    const verify = runCli(['audit', 'verify'], env);
    expect((await verify.exited()).code).toBe(0);
    expect(verify.output()).toMatch(/^audit log intact: 4 events\n/);
  });
});
