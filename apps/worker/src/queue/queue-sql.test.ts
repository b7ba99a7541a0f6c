import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { sql } from '@kindling/db';
import { createTestDatabase, type TestDatabase } from '@kindling/db/testing';
import { createLogger } from '@kindling/logger';
import { AppError } from '@kindling/errors';
import { defineJob, type JobDefinition } from '../jobs/job-definition.js';
import { createJobRegistry } from '../jobs/job-registry.js';
import { runClaimedJob } from '../run/run-job.js';
import { submitJob } from '../jobs/submit-job.js';
import {
  claimNextJob,
  enqueueJob,
  findJob,
  markJobFailed,
  readQueueStatus,
  recoverAbandonedJobs,
  registerDispatcher,
} from './queue-sql.js';

let t: TestDatabase;
const silent = createLogger({ level: 'silent', destination: new Writable({
    write: (_chunk, _encoding, callback) => {
      callback();
    },
  }) });

beforeAll(async () => {
  t = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.ownerDb.deleteFrom('job').execute();
  await t.ownerDb.deleteFrom('dispatcher').execute();
});

describe('enqueue and claim', () => {
  it('claims ready jobs oldest first and skips jobs scheduled for later', async () => {
    const later = await enqueueJob(t.appDb, { name: 'a.later', version: 1, payload: {}, runAfter: new Date(Date.now() + 60_000) });
    const first = await enqueueJob(t.appDb, { name: 'a.first', version: 1, payload: {}, runAfter: new Date(Date.now() - 2000) });
    const second = await enqueueJob(t.appDb, { name: 'a.second', version: 1, payload: {}, runAfter: new Date(Date.now() - 1000) });
    expect((await claimNextJob(t.appDb, 'd1'))?.id).toBe(first);
    expect((await claimNextJob(t.appDb, 'd1'))?.id).toBe(second);
    expect(await claimNextJob(t.appDb, 'd1')).toBeUndefined();
    const claimed = await findJob(t.appDb, first ?? '');
    expect(claimed).toMatchObject({ status: 'running', attempts: 1, claimed_by: 'd1' });
    expect((await findJob(t.appDb, later ?? ''))?.status).toBe('queued');
  });

  it('keeps one pending job per singleton key', async () => {
    const a = await enqueueJob(t.appDb, { name: 'b.single', version: 1, payload: {}, singletonKey: 'k' });
    const b = await enqueueJob(t.appDb, { name: 'b.single', version: 1, payload: {}, singletonKey: 'k' });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });

  it('never hands the same job to two concurrent claimers (SKIP LOCKED)', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => enqueueJob(t.appDb, { name: 'c.race', version: 1, payload: { i } })));
    const claimer = async (name: string): Promise<string[]> => {
      const got: string[] = [];
      for (;;) {
        const job = await claimNextJob(t.appDb, name);
        if (job === undefined) return got;
        got.push(job.id);
      }
    };
    const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(claimer));
    const all = results.flat();
    expect(all).toHaveLength(40);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
  });
});

describe('failure handling', () => {
  it('requeues a retryable failure with backoff until attempts run out, then fails', async () => {
    const id = (await enqueueJob(t.appDb, { name: 'd.flaky', version: 1, payload: {}, maxAttempts: 2 })) ?? '';
    await claimNextJob(t.appDb, 'd1');
    expect(await markJobFailed(t.appDb, id, { code: 'X', message: 'boom', retryable: true })).toBe('requeued');
    const requeued = await findJob(t.appDb, id);
    expect(requeued?.status).toBe('queued');
    expect((requeued?.run_after.getTime() ?? 0) - Date.now()).toBeGreaterThan(20_000);
    await t.ownerDb.updateTable('job').set({ run_after: sql<Date>`now()` }).where('id', '=', id).execute();
    await claimNextJob(t.appDb, 'd1');
    expect(await markJobFailed(t.appDb, id, { code: 'X', message: 'boom again', retryable: true })).toBe('failed');
    expect(await findJob(t.appDb, id)).toMatchObject({ status: 'failed', attempts: 2, error_code: 'X', error_message: 'boom again' });
  });

  it('recovers jobs whose dispatcher stopped heart-beating', async () => {
    await registerDispatcher(t.appDb, { id: 'dead', host: 'h', pid: 1 });
    await t.ownerDb.updateTable('dispatcher').set({ heartbeat_at: sql<Date>`now() - interval '5 minutes'` }).execute();
    await registerDispatcher(t.appDb, { id: 'alive', host: 'h', pid: 2 });
    const orphan = (await enqueueJob(t.appDb, { name: 'e.orphan', version: 1, payload: {} })) ?? '';
    await claimNextJob(t.appDb, 'dead');
    const healthy = (await enqueueJob(t.appDb, { name: 'e.healthy', version: 1, payload: {} })) ?? '';
    await claimNextJob(t.appDb, 'alive');
    expect(await recoverAbandonedJobs(t.appDb, 60)).toBe(1);
    expect(await findJob(t.appDb, orphan)).toMatchObject({ status: 'queued', error_code: 'JOB_ABANDONED' });
    expect((await findJob(t.appDb, healthy))?.status).toBe('running');
    const status = await readQueueStatus(t.appDb, 60);
    expect(status).toMatchObject({ queued: 1, running: 1, failedLast24h: 0, dispatcher: { running: true } });
  });
});

describe('runClaimedJob', () => {
  const double = defineJob({
    id: 'test.double',
    version: 1,
    description: 'doubles a number',
    scope: 'system',
    maxAttempts: 1,
    payload: z.object({ n: z.number() }).strict(),
    handler: ({ n }) => Promise.resolve({ doubled: n * 2 }),
  });
  const broken = defineJob({
    id: 'test.broken',
    version: 1,
    description: 'always fails',
    scope: 'system',
    maxAttempts: 1,
    payload: z.object({}),
    handler: () => Promise.reject(new AppError('UNAVAILABLE', 'the upstream file is missing')),
  });
  const leaky = defineJob({
    id: 'test.leaky',
    version: 1,
    description: 'throws an error whose text holds data values',
    scope: 'system',
    maxAttempts: 1,
    payload: z.object({}),
    handler: () => Promise.reject(new TypeError('cannot parse jane@example.org')),
  });
  const tenantEcho = defineJob({
    id: 'test.tenant-echo',
    version: 1,
    description: 'reports the tenant its transaction runs for',
    scope: 'organisation',
    maxAttempts: 1,
    payload: z.object({}),
    handler: async (_payload, { organisation }) =>
      organisation?.run(async (trx) => {
        const { rows } = await sql<{ org: string }>`SELECT current_setting('kindling.org_id', true) AS org`.execute(trx);
        return { org: rows[0]?.org };
      }),
  });
  const registry = createJobRegistry([double, broken, leaky, tenantEcho] as JobDefinition[]);
  const run = async (name: string, payload: unknown, version = 1): Promise<string> => {
    const definition = registry.find(name, 1);
    const id = (await enqueueJob(t.appDb, { name, version, payload, maxAttempts: definition?.maxAttempts ?? 1 })) ?? '';
    await claimNextJob(t.appDb, 'd1');
    await runClaimedJob(id, { db: t.appDb, registry, logger: silent, signal: new AbortController().signal });
    return id;
  };

  it('runs an organisation job inside its tenant context, and refuses one queued without an organisation', async () => {
    const orgId = '7a1c6a8e-3b7d-4f5e-9c61-2f0e8d1b4a55';
    const id = (await submitJob(t.appDb, tenantEcho, {}, { orgId })) ?? '';
    await claimNextJob(t.appDb, 'd1');
    await runClaimedJob(id, { db: t.appDb, registry, logger: silent, signal: new AbortController().signal });
    expect(await findJob(t.appDb, id)).toMatchObject({ status: 'succeeded', org_id: orgId, result: { org: orgId } });

    const orphan = await run('test.tenant-echo', {});
    expect(await findJob(t.appDb, orphan)).toMatchObject({ status: 'failed', error_code: 'JOB_TENANT_MISSING' });
  });

  it('records the handler result on success', async () => {
    const id = await run('test.double', { n: 21 });
    expect(await findJob(t.appDb, id)).toMatchObject({ status: 'succeeded', result: { doubled: 42 } });
  });

  it('fails without retry on an invalid payload, naming the field', async () => {
    const id = await run('test.double', { n: 'x' });
    const job = await findJob(t.appDb, id);
    expect(job).toMatchObject({ status: 'failed', error_code: 'JOB_PAYLOAD_INVALID', attempts: 1 });
    expect(job?.error_message).toMatch(/^invalid payload: n: /);
  });

  it('fails without retry when no handler exists for the name and version', async () => {
    const id = await run('test.double', { n: 1 }, 2);
    expect(await findJob(t.appDb, id)).toMatchObject({ status: 'failed', error_code: 'JOB_UNKNOWN' });
  });

  it("records our own error's code and message, but not a foreign error's text", async () => {
    const mine = await findJob(t.appDb, await run('test.broken', {}));
    expect(mine).toMatchObject({ status: 'failed', error_code: 'UNAVAILABLE', error_message: 'the upstream file is missing' });
    const foreign = await findJob(t.appDb, await run('test.leaky', {}));
    expect(foreign).toMatchObject({ status: 'failed', error_code: 'JOB_HANDLER_ERROR', error_message: 'unexpected TypeError' });
  });
});

describe('submitJob', () => {
  it('validates the payload before queueing and takes the attempts from the definition', async () => {
    const definition = defineJob({
      id: 'test.sized',
      version: 3,
      description: 'needs a size',
      scope: 'system',
      maxAttempts: 5,
      payload: z.object({ size: z.number().int().positive() }).strict(),
      handler: () => Promise.resolve(null),
    });
    await expect(submitJob(t.appDb, definition, { size: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(submitJob(t.appDb, definition, { size: 1 }, { orgId: '7a1c6a8e-3b7d-4f5e-9c61-2f0e8d1b4a55' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(submitJob(t.appDb, { ...definition, scope: 'organisation' }, { size: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.appDb.selectFrom('job').select('id').execute()).toEqual([]);
    const id = (await submitJob(t.appDb, definition, { size: 2 })) ?? '';
    expect(await findJob(t.appDb, id)).toMatchObject({ name: 'test.sized', version: 3, max_attempts: 5, payload: { size: 2 } });
  });
});
