import { describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore } from '@kindling/crypto';
import { createEncryptedObjectStore, createLocalFolderStore } from '@kindling/object-store';
import { createImportJobs, importJobIds } from './import-jobs.js';

const fields = createDataProtection({ keyStore: createInMemoryKeyStore() });
const backend = createLocalFolderStore({ root: '/nonexistent/kindling-import-jobs-test' });
const jobs = createImportJobs({
  fields,
  objectStore: (orgId) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId }),
  maxRejectedShare: 0.05,
  zipLimits: { maxEntries: 10, maxTotalBytes: 1024, maxRatio: 100 },
});

const runId = '00000000-0000-4000-8000-000000000001';
const uploadId = '00000000-0000-4000-8000-000000000002';

describe('the import jobs', () => {
  it('are organisation jobs: an import runs once (a killed process requeues it without an attempt)', () => {
    expect([jobs.run.id, jobs.pruneUpload.id]).toEqual([importJobIds.run, importJobIds.pruneUpload]);
    expect([jobs.run.scope, jobs.pruneUpload.scope]).toEqual(['organisation', 'organisation']);
    expect(jobs.run.maxAttempts).toBe(1);
  });

  it('take ids, a preset, a mode and answers: either uploads or the run to replay, nothing else', () => {
    const valid = { runId, uploadIds: [uploadId], preset: 'generic', mode: 'complete', currency: 'GBP', answers: { 'gifts.csv': 'dmy' } };
    expect(jobs.run.payload.safeParse(valid).success).toBe(true);
    expect(jobs.run.payload.safeParse({ ...valid, uploadIds: [], replayOf: runId }).success).toBe(true);
    expect(jobs.run.payload.safeParse({ ...valid, uploadIds: [] }).success).toBe(false);
    expect(jobs.run.payload.safeParse({ ...valid, replayOf: runId }).success).toBe(false);
    expect(jobs.run.payload.safeParse({ ...valid, answers: { 'gifts.csv': 'yes' } }).success).toBe(false);
    expect(jobs.run.payload.safeParse({ ...valid, answers: { 'gifts.csv': ['dmy', ','] } }).success).toBe(true);
    expect(jobs.run.payload.safeParse({ ...valid, answers: { 'gifts.csv': [] } }).success).toBe(false);
    expect(jobs.run.payload.safeParse({ ...valid, fileContents: 'Ann Lee' }).success).toBe(false);
    expect(jobs.pruneUpload.payload.safeParse({ uploadId }).success).toBe(true);
    expect(jobs.pruneUpload.payload.safeParse({ uploadId, fileName: 'donors.csv' }).success).toBe(false);
  });
});
