import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appendAuditEvent, sql, withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { assertCliBuilt, runCli } from '../test-support/cli-process.js';

let home: string;
let db: TestDatabase;

beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-audit-'));
  await fs.chmod(home, 0o711);
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});
afterAll(async () => {
  await db.drop();
  await fs.rm(home, { recursive: true, force: true });
});

describe('kindling audit verify (DATABASE_URL)', () => {
  it('reports an intact log with its length and head, then names the first tampered event and exits 1', async () => {
    const env = { KINDLING_HOME: home, DATABASE_URL: db.ownerUrl };
    const empty = runCli(['audit', 'verify'], env);
    expect((await empty.exited()).code).toBe(0);
    expect(empty.output()).toBe('audit log intact: 0 events\n');

    const org = await seedOrganisation(db.appDb);
    await appendAuditEvent(db.appDb, { orgId: null, action: 'auth.sign_in.failed' });
    for (const action of ['user.invited', 'token.created'] as const) {
      await withTenant(db.appDb, { orgId: org.id }, (trx) => appendAuditEvent(trx, { orgId: org.id, action }));
    }
    const intact = runCli(['audit', 'verify'], env);
    expect((await intact.exited()).code).toBe(0);
    expect(intact.output()).toMatch(/^audit log intact: 3 events\nchain head: event 3, sha256 [0-9a-f]{64}\n$/);

    await db.ownerDb.transaction().execute(async (trx) => {
      await sql`ALTER TABLE audit_event NO FORCE ROW LEVEL SECURITY`.execute(trx);
      await sql`UPDATE audit_event SET action = 'token.revoked' WHERE seq = 3`.execute(trx);
      await sql`ALTER TABLE audit_event FORCE ROW LEVEL SECURITY`.execute(trx);
    });
    const tampered = runCli(['audit', 'verify'], env);
    expect((await tampered.exited()).code).toBe(1);
    expect(tampered.output()).toBe('');
    expect(tampered.errors()).toBe(
      'kindling: audit log NOT intact: event 3 does not match its hash: it was changed after it was written [hash_mismatch]; the 2 event(s) before it verified\n',
    );
  });
});
