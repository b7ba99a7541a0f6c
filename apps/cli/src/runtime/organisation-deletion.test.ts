import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDataProtection, createLocalRootKeyProvider, isCryptoFailure, type DataProtection, type RootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, verifyAuditChain, withTenant } from '@kindling/db';
import { createTestDatabase, hmacBlindIndexForTests, seedMembership, seedOrganisation, seedUser, type TestDatabase } from '@kindling/db/testing';
import { isAppError } from '@kindling/errors';
import { createEncryptedObjectStore, createLocalFolderStore, type ObjectStore } from '@kindling/object-store';
import { deleteOrganisation, type OrganisationDeletionDependencies } from './organisation-deletion.js';

let t: TestDatabase;
let folder: string;
let root: RootKeyProvider;
let backend: ObjectStore;

beforeAll(async () => {
  t = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-shred-'));
  root = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  backend = createLocalFolderStore({ root: folder });
});

afterAll(async () => {
  await t.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

function appFields(): DataProtection {
  return createDataProtection({ keyStore: createPostgresKeyStore({ db: t.appDb, rootKeyProvider: root, cacheTtlMs: 0 }) });
}

function operator(): OrganisationDeletionDependencies {
  return { db: t.ownerDb, keyStore: createPostgresKeyStore({ db: t.ownerDb, rootKeyProvider: root, cacheTtlMs: 0 }), objectBackend: backend };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function seedCharity(name: string): Promise<{ orgId: string; userId: string; sessionId: string }> {
  const { id: orgId } = await seedOrganisation(t.ownerDb, name);
  const { id: userId } = await seedUser(t.ownerDb, `${randomUUID()}@example.org`, hmacBlindIndexForTests(randomBytes(32)));
  await seedMembership(t.ownerDb, orgId, userId, 'owner');
  const session = await t.ownerDb
    .insertInto('user_session')
    .values({ token_hash: randomBytes(32), user_id: userId, org_id: orgId, stage: 'mfa_complete', expires_at: new Date(Date.now() + 3_600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { orgId, userId, sessionId: session.id };
}

describe('kindling org delete', () => {
  it('shreds the keys so a copy taken before (a backup) no longer decrypts, deletes objects and rows, and leaves other organisations alone', async () => {
    const fields = appFields();
    const doomed = await seedCharity('River Trust');
    const other = await seedCharity('Hill Trust');
    const field = { orgId: doomed.orgId, purpose: 'field', table: 'contact', column: 'notes_ciphertext', rowId: randomUUID() } as const;
    const backup = await fields.encryptField('gift aid declaration', field);
    const store = createEncryptedObjectStore({ backend, dataProtection: fields, orgId: doomed.orgId });
    await store.put('backups/b1.dump', Buffer.from('database backup'));
    const objectFile = path.join(folder, 'org', doomed.orgId, 'backups', 'b1.dump');
    const objectCopy = await fs.readFile(objectFile);
    const otherStore = createEncryptedObjectStore({ backend, dataProtection: fields, orgId: other.orgId });
    await otherStore.put('exports/x.csv', Buffer.from('still here'));
    const otherField = { ...field, orgId: other.orgId };
    const otherCiphertext = await fields.encryptField('other charity', otherField);

    const deleted = await deleteOrganisation(operator(), { orgId: doomed.orgId, confirmName: 'River Trust' });
    expect(deleted).toEqual({ objectsDeleted: 1, sessionsRevoked: 1, jobsCancelled: 0 });

    // Started one at a time: a second promise made up front could reject before anyone listens.
    for (const attempt of [() => fields.decryptField(backup, field), () => fields.decryptBuffer(objectCopy, { orgId: doomed.orgId, purpose: 'object', objectKey: 'backups/b1.dump' })]) {
      const error = await failure(attempt());
      expect(isCryptoFailure(error, 'keys_destroyed')).toBe(true);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(fs.stat(objectFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const rows = await withTenant(t.ownerDb, { orgId: doomed.orgId }, async (trx) => ({
      organisation: await trx.selectFrom('organisation').select('id').where('id', '=', doomed.orgId).execute(),
      membership: await trx.selectFrom('membership').select('user_id').where('org_id', '=', doomed.orgId).execute(),
      keys: (await sql`SELECT version FROM organisation_key WHERE org_id = ${doomed.orgId}`.execute(trx)).rows,
    }));
    expect(rows).toEqual({ organisation: [], membership: [], keys: [] });
    const session = await t.ownerDb.selectFrom('user_session').select(['revoked_at', 'revoked_reason']).where('id', '=', doomed.sessionId).executeTakeFirstOrThrow();
    expect(session.revoked_at).not.toBeNull();

    // The other organisation: its data, objects and sessions are as they were.
    expect(await fields.decryptField(otherCiphertext, otherField)).toBe('other charity');
    expect(await text(otherStore.get('exports/x.csv'))).toBe('still here');
    const otherSession = await t.ownerDb.selectFrom('user_session').select('revoked_at').where('id', '=', other.sessionId).executeTakeFirstOrThrow();
    expect(otherSession.revoked_at).toBeNull();

    // The audit trail survives the organisation, and the hash chain still verifies.
    const events = await withTenant(t.ownerDb, { orgId: doomed.orgId }, (trx) =>
      trx.selectFrom('audit_event').select(['action', 'actor_user_id']).where('org_id', '=', doomed.orgId).orderBy('seq').execute(),
    );
    expect(events).toEqual([
      { action: 'keys.destroyed', actor_user_id: null },
      { action: 'organisation.deleted', actor_user_id: null },
    ]);
    expect(await verifyAuditChain(t.ownerDb)).toMatchObject({ intact: true });
  });

  it('deletes nothing unless --confirm is the exact name, and names an unknown id', async () => {
    const fields = appFields();
    const { orgId } = await seedCharity('Meadow Fund');
    const field = { orgId, purpose: 'field', table: 'contact', column: 'notes_ciphertext', rowId: randomUUID() } as const;
    const ciphertext = await fields.encryptField('kept', field);
    for (const confirmName of ['meadow fund', 'Meadow Fund ', 'Meadow']) {
      const error = await failure(deleteOrganisation(operator(), { orgId, confirmName }));
      expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
    }
    expect(await fields.decryptField(ciphertext, field)).toBe('kept');
    const unknown = await failure(deleteOrganisation(operator(), { orgId: randomUUID(), confirmName: 'Meadow Fund' }));
    expect(isAppError(unknown) && unknown.code).toBe('NOT_FOUND');
  });
});
