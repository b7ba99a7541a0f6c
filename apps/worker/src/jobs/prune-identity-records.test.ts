import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@kindling/db/testing';
import { createLogger } from '@kindling/logger';
import { builtInJobs } from './job-registry.js';
import { pruneIdentityRecordsJob } from './prune-identity-records.js';

let t: TestDatabase;
const logged: string[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      logged.push(chunk.toString('utf8'));
      callback();
    },
  }),
});

beforeAll(async () => {
  t = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});
afterAll(async () => {
  await t.drop();
});

describe('maintenance.prune-identity-records', () => {
  it('is a built-in system job with a strict payload', () => {
    expect(builtInJobs.find('maintenance.prune-identity-records', 1)).toBe(pruneIdentityRecordsJob);
    expect(pruneIdentityRecordsJob.scope).toBe('system');
    expect(pruneIdentityRecordsJob.payload.safeParse({ sessionIdleMinutes: 30, invitationRetentionDays: 30 }).success).toBe(true);
    expect(pruneIdentityRecordsJob.payload.safeParse({ sessionIdleMinutes: 30, invitationRetentionDays: 0 }).success).toBe(false);
    expect(pruneIdentityRecordsJob.payload.safeParse({ sessionIdleMinutes: 30, invitationRetentionDays: 30, orgId: 'x' }).success).toBe(false);
  });

  it('runs as the application role and reports what it deleted', async () => {
    const day = 24 * 3_600_000;
    await t.ownerDb
      .insertInto('auth_throttle')
      .values({ key: 'address:203.0.113.9', failures: 2, first_failure_at: new Date(Date.now() - 3 * day), locked_until: null })
      .execute();
    const controller = new AbortController();
    const result = await pruneIdentityRecordsJob.handler(
      { sessionIdleMinutes: 30, invitationRetentionDays: 30 },
      { jobId: '00000000-0000-4000-8000-000000000001', organisation: undefined, db: t.appDb, logger, signal: controller.signal },
    );
    expect(result).toEqual({ deletedSessions: 0, deletedThrottleCounters: 1, deletedInvitations: 0 });
    expect(await t.ownerDb.selectFrom('auth_throttle').select('key').execute()).toEqual([]);
    expect(logged.join('')).toContain('pruned identity records');
  });
});
