import http from 'node:http';
import { strToU8, zipSync } from 'fflate';
import { sql } from '@kindling/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { csrfHeader } from '../http/csrf.js';
import { sessionCookieName } from '../http/session-cookie.js';
import { signUpOwner, startIdentityTestApp, type IdentityTestApp, type SignedUpOwner, type TestBrowser } from '../test-support/identity-test-app.js';
import { runReadyJobs } from '../test-support/queued-jobs.js';

interface CreatedUpload {
  uploadId: string;
  chunkSize: number;
  received: number;
  size: number;
}

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** What a PUT of a chunk answers: the bytes received, or an error (a 409's says where to go on). */
interface ChunkAnswer {
  received?: number;
  error?: ErrorBody['error'];
}

interface InspectedFile {
  uploadId: string;
  fileName: string;
  entity: string | null;
  presetMatches: string[];
  headers: string[];
  mapping: { entity: string; columns: { header: string; target: unknown }[] } | null;
  missingRequired: string[];
  duplicateHeaders: string[];
  problem: string | null;
}

interface ImportRun {
  runId: string;
  status: string;
  mode: string;
  preset: string;
  who: string | null;
  startedAt: string;
  finishedAt: string | null;
  files: { name: string; size: number; entity: string | null }[];
  read: number;
  accepted: number;
  rejected: number;
  entities: Record<string, { inserted: number; updated: number; unchanged: number; deleted: number }>;
  progress?: { file: string; entity: string; rows: number } | null;
  rejectedByReason?: Record<string, number>;
  problem?: string | null;
  questions?: { file: string; column: string; kind: string; examples: string[] }[];
}

const contactsCsv = [
  'external_id,kind,given_names,family_name,email,postcode,country',
  ...Array.from({ length: 120 }, (_, index) => `C${String(index + 1)},individual,Given${String(index)},Family${String(index)},person${String(index)}@example.org,SW1A 1AA,United Kingdom`),
].join('\n');
const campaignsCsv = ['external_id,name,category,channel', 'XMAS24,Christmas appeal 2024,Appeal,Direct Mail'].join('\n');
const giftsCsv = [
  'external_id,contact_external_id,date,amount,type,campaign_external_id',
  'G1,C1,2024-12-05,£25.00,one-off,XMAS24',
  'G2,C2,2024-12-06,"£1,250.00",one-off,XMAS24',
  'G3,C3,2024-12-07,"=HYPERLINK(""http://evil.example"")",one-off,',
].join('\n');
const ambiguousGiftsCsv = ['external_id,contact_external_id,date,amount,type', 'G10,C1,01/02/2024,10,one-off', 'G11,C2,03/04/2024,12,one-off'].join('\n');

describe('imports through the API', () => {
  let testApp: IdentityTestApp;
  let owner: SignedUpOwner;
  let other: SignedUpOwner;
  let viewerToken: string;
  const orgPath = (suffix: string, orgId = owner.organisationId): string => `/api/v1/organisations/${orgId}${suffix}`;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
    owner = await signUpOwner(testApp, 'imports.owner@example.org');
    other = await signUpOwner(testApp, 'imports.other@example.org');
    const created = await owner.browser.post<{ token: string }>(orgPath('/api-tokens'), { name: 'dashboard', role: 'viewer', expiresInDays: 1 });
    viewerToken = created.body.token;
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** A PUT of raw bytes with the browser's session cookie and CSRF token. */
  async function putChunk(browser: TestBrowser, uploadId: string, offset: number | undefined, bytes: Uint8Array): Promise<{ status: number; body: ChunkAnswer }> {
    const query = offset === undefined ? '' : `?offset=${String(offset)}`;
    const response = await fetch(`${testApp.server.url}${orgPath(`/uploads/${uploadId}/content${query}`)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', cookie: `${sessionCookieName}=${browser.cookie ?? ''}`, [csrfHeader]: browser.csrfToken ?? '' },
      body: bytes,
    });
    return { status: response.status, body: (await response.json()) as ChunkAnswer };
  }

  /** Uploads a whole file chunk by chunk, as the web app does. */
  async function upload(fileName: string, content: string | Uint8Array): Promise<string> {
    const bytes = typeof content === 'string' ? strToU8(content) : content;
    const created = await owner.browser.post<CreatedUpload>(orgPath('/uploads'), { fileName, size: bytes.length });
    expect(created.status).toBe(201);
    for (let offset = 0; offset < bytes.length; offset += created.body.chunkSize) {
      const put = await putChunk(owner.browser, created.body.uploadId, offset, bytes.subarray(offset, offset + created.body.chunkSize));
      expect(put.status).toBe(200);
    }
    return created.body.uploadId;
  }

  /** Sends the headers and part of a chunk, then drops the connection, like a laptop losing Wi-Fi. */
  function interruptedChunk(uploadId: string, offset: number, declared: number, sent: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      const url = new URL(`${testApp.server.url}${orgPath(`/uploads/${uploadId}/content?offset=${String(offset)}`)}`);
      const request = http.request(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(declared),
          cookie: `${sessionCookieName}=${owner.browser.cookie ?? ''}`,
          [csrfHeader]: owner.browser.csrfToken ?? '',
        },
      });
      request.on('error', () => {
        resolve();
      });
      request.on('close', () => {
        resolve();
      });
      request.write(sent, () => {
        setTimeout(() => request.destroy(), 100);
      });
    });
  }

  it('uploads in chunks, resumes after a broken connection and a wrong offset, and refuses what is too large', async () => {
    const bytes = strToU8(contactsCsv);
    const created = await owner.browser.post<CreatedUpload>(orgPath('/uploads'), { fileName: 'contacts.csv', size: bytes.length });
    expect(created.status).toBe(201);
    const { uploadId, chunkSize } = created.body;
    expect(created.body).toMatchObject({ received: 0, size: bytes.length });
    expect(chunkSize).toBe(4096);
    expect(bytes.length).toBeGreaterThan(2 * chunkSize);

    expect((await putChunk(owner.browser, uploadId, 0, bytes.subarray(0, chunkSize))).body).toEqual({ received: chunkSize });
    await interruptedChunk(uploadId, chunkSize, chunkSize, bytes.subarray(chunkSize, chunkSize + 1000));
    const afterBreak = await owner.browser.get<{ received: number; complete: boolean; fileName: string }>(orgPath(`/uploads/${uploadId}`));
    expect(afterBreak.body).toEqual({ uploadId, fileName: 'contacts.csv', size: bytes.length, received: chunkSize, complete: false });

    const stale = await putChunk(owner.browser, uploadId, 0, bytes.subarray(0, chunkSize));
    expect(stale.status).toBe(409);
    expect(stale.body.error?.details).toEqual({ received: chunkSize });
    expect((await putChunk(owner.browser, uploadId, undefined, bytes.subarray(0, 10))).status).toBe(422);
    expect((await putChunk(owner.browser, uploadId, chunkSize, new Uint8Array(chunkSize + 1))).status).toBe(413);

    for (let offset = chunkSize; offset < bytes.length; offset += chunkSize) {
      expect((await putChunk(owner.browser, uploadId, offset, bytes.subarray(offset, offset + chunkSize))).status).toBe(200);
    }
    const done = await owner.browser.get<{ received: number; complete: boolean }>(orgPath(`/uploads/${uploadId}`));
    expect(done.body).toMatchObject({ received: bytes.length, complete: true });
    expect((await putChunk(owner.browser, uploadId, bytes.length, new Uint8Array(1))).status).toBe(422);

    const tooLarge = await owner.browser.post<ErrorBody>(orgPath('/uploads'), { fileName: 'everything.csv', size: 2 * 1024 * 1024 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.message).toContain('IMPORT_MAX_BYTES');
    expect(tooLarge.body.error.details).toEqual({ limitBytes: 1024 * 1024 });
    expect((await owner.browser.post(orgPath('/uploads'), { fileName: '../etc/passwd', size: 10 })).status).toBe(422);

    const gone = await owner.browser.request('DELETE', orgPath(`/uploads/${uploadId}`));
    expect(gone.status).toBe(204);
    expect((await owner.browser.get(orgPath(`/uploads/${uploadId}`))).status).toBe(404);
  });

  it('inspects header rows of CSV files, zip entries and layouts no preset knows', async () => {
    const contacts = await upload('contacts.csv', contactsCsv);
    const zip = await upload('export.zip', zipSync({ 'gifts.csv': strToU8(giftsCsv), 'campaigns.csv': strToU8(campaignsCsv) }));
    const mystery = await upload('mystery.csv', 'Colour;Shoe size;Colour\nred;42;blue\n');
    const binary = await upload('photo.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 1, 2, 3]));
    const inspected = await owner.browser.post<{ files: InspectedFile[] }>(orgPath('/imports/inspect'), { uploadIds: [contacts, zip, mystery, binary] });
    expect(inspected.status).toBe(200);
    const byName = new Map(inspected.body.files.map((file) => [file.fileName, file]));
    expect([...byName.keys()]).toEqual(['contacts.csv', 'export.zip/gifts.csv', 'export.zip/campaigns.csv', 'mystery.csv', 'photo.csv']);
    expect(byName.get('contacts.csv')).toMatchObject({ uploadId: contacts, entity: 'contacts', missingRequired: [], duplicateHeaders: [], problem: null });
    expect(byName.get('contacts.csv')?.presetMatches).toContain('generic');
    expect(byName.get('contacts.csv')?.headers).toEqual(contactsCsv.split('\n')[0]?.split(','));
    expect(byName.get('contacts.csv')?.mapping?.columns[0]).toEqual({ header: 'external_id', target: { field: 'external_id' } });
    expect(byName.get('export.zip/gifts.csv')).toMatchObject({ uploadId: zip, entity: 'gifts', problem: null });
    expect(byName.get('export.zip/gifts.csv')?.presetMatches).toContain('generic');
    expect(byName.get('mystery.csv')).toMatchObject({ entity: null, presetMatches: [], headers: ['Colour', 'Shoe size', 'Colour'], duplicateHeaders: ['Colour'], problem: null });
    expect(byName.get('photo.csv')?.problem).toContain('photo.csv');

    expect((await owner.browser.post(orgPath('/imports/inspect'), { uploadIds: [] })).status).toBe(422);
    const unfinished = await owner.browser.post<CreatedUpload>(orgPath('/uploads'), { fileName: 'later.csv', size: 100 });
    expect((await owner.browser.post(orgPath('/imports/inspect'), { uploadIds: [unfinished.body.uploadId] })).status).toBe(409);
  });

  it('imports as a job: queued, run to completion with progress, then in the history with its changes and a report of refused cells', async () => {
    const contacts = await upload('contacts.csv', contactsCsv);
    const zip = await upload('export.zip', zipSync({ 'gifts.csv': strToU8(giftsCsv), 'campaigns.csv': strToU8(campaignsCsv) }));
    const started = await owner.browser.post<{ runId: string }>(orgPath('/imports'), { uploadIds: [contacts, zip], preset: 'generic', mode: 'complete' });
    expect(started.status).toBe(202);
    const { runId } = started.body;
    const queued = await owner.browser.get<ImportRun>(orgPath(`/imports/${runId}`));
    expect(queued.body).toMatchObject({ runId, status: 'queued', mode: 'complete', preset: 'generic', who: owner.email, progress: null, finishedAt: null });
    expect(queued.body.files).toEqual([
      { name: 'contacts.csv', size: strToU8(contactsCsv).length, entity: null },
      { name: 'export.zip', size: expect.any(Number) as number, entity: null },
    ]);

    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);

    const run = await owner.browser.get<ImportRun>(orgPath(`/imports/${runId}`));
    expect(run.body).toMatchObject({ status: 'applied', read: 124, accepted: 123, rejected: 1, problem: null, who: owner.email });
    expect(run.body.entities).toEqual({
      contacts: { inserted: 120, updated: 0, unchanged: 0, deleted: 0 },
      campaigns: { inserted: 1, updated: 0, unchanged: 0, deleted: 0 },
      gifts: { inserted: 2, updated: 0, unchanged: 0, deleted: 0 },
    });
    expect(run.body.files.map((file) => [file.name, file.entity])).toEqual([
      ['contacts.csv', 'contacts'],
      ['export.zip/gifts.csv', 'gifts'],
      ['export.zip/campaigns.csv', 'campaigns'],
    ]);
    expect(run.body.progress).toMatchObject({ file: expect.any(String) as string, rows: expect.any(Number) as number });
    expect(Object.values(run.body.rejectedByReason ?? {})).toEqual([1]);

    const report = await fetch(`${testApp.server.url}${orgPath(`/imports/${runId}/rejections.csv`)}`, { headers: { cookie: `${sessionCookieName}=${owner.browser.cookie ?? ''}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(report.headers.get('content-disposition')).toBe(`attachment; filename="import-${runId}-refused-rows.csv"`);
    expect(report.headers.get('cache-control')).toBe('no-store');
    const lines = (await report.text()).trim().split('\n');
    expect(lines[0]).toBe('file,line,column,value,reason');
    expect(lines).toHaveLength(2);
    // The value as it was in the file, decrypted for this reader, defused for spreadsheets.
    expect(lines[1]).toMatch(/^export\.zip\/gifts\.csv,4,amount,"'=HYPERLINK\(""http:\/\/evil\.example""\)",/u);

    // Replayed from the files the run kept: the same rows, so nothing changes the second time.
    const replay = await owner.browser.post<{ runId: string }>(orgPath(`/imports/${runId}/replay`));
    expect(replay.status).toBe(202);
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);
    const replayed = await owner.browser.get<ImportRun>(orgPath(`/imports/${replay.body.runId}`));
    expect(replayed.body).toMatchObject({ status: 'applied', read: 124, rejected: 1, entities: { contacts: { inserted: 0, unchanged: 120 }, gifts: { unchanged: 2 } } });
    expect(replayed.body.files.map((file) => file.name)).toEqual(['contacts.csv', 'export.zip/gifts.csv', 'export.zip/campaigns.csv']);
    // A run that has not read its files yet has nothing to replay.
    const pending = await owner.browser.post<{ runId: string }>(orgPath('/imports'), { uploadIds: [contacts], preset: 'generic', mode: 'delta' });
    expect((await owner.browser.post(orgPath(`/imports/${pending.body.runId}/replay`))).status).toBe(409);
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);

    const audit = await owner.browser.get<{ events: { action: string; targetId: string | null }[] }>(orgPath('/audit-events?action=export.personal_data'));
    expect(audit.body.events.map((event) => event.targetId)).toContain(runId);
    const history = await owner.browser.get<{ runs: ImportRun[]; nextCursor: string | null }>(orgPath('/imports'));
    expect(history.body.runs.map((entry) => entry.runId)).toEqual([pending.body.runId, replay.body.runId, runId]);
    expect(history.body.runs[2]).toMatchObject({ status: 'applied', who: owner.email, rejected: 1 });
  });

  it('keeps a refused import’s question, and imports the same uploads again with the answer', async () => {
    // A layout without a preset's date order (a custom mapping, as suggested by the inspection): dates that read both ways are a question.
    const gifts = await upload('gifts.csv', ambiguousGiftsCsv);
    const inspected = await owner.browser.post<{ files: InspectedFile[] }>(orgPath('/imports/inspect'), { uploadIds: [gifts] });
    const mappings = [{ fileName: 'gifts.csv', mapping: inspected.body.files[0]?.mapping }];
    const first = await owner.browser.post<{ runId: string }>(orgPath('/imports'), { uploadIds: [gifts], preset: 'custom', mappings, mode: 'delta' });
    expect(first.status).toBe(202);
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);
    const refused = await owner.browser.get<ImportRun>(orgPath(`/imports/${first.body.runId}`));
    expect(refused.body).toMatchObject({ status: 'refused', accepted: 0, entities: {} });
    expect(refused.body.problem).toMatch(/^gifts\.csv: .*01\/02\/2024, 03\/04\/2024 read both day-first and month-first/u);
    expect(refused.body.questions).toEqual([{ file: 'gifts.csv', column: expect.any(String) as unknown, kind: 'date-order', examples: ['01/02/2024', '03/04/2024'] }]);

    // A file's answers as a list: its date order and its decimal separator together.
    const second = await owner.browser.post<{ runId: string }>(orgPath('/imports'), { uploadIds: [gifts], preset: 'custom', mappings, mode: 'delta', answers: { 'gifts.csv': ['dmy', '.'] } });
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);
    const applied = await owner.browser.get<ImportRun>(orgPath(`/imports/${second.body.runId}`));
    expect(applied.body).toMatchObject({ status: 'applied', problem: null, entities: { gifts: { inserted: 2 } } });

    const firstPage = await owner.browser.get<{ runs: ImportRun[]; nextCursor: string | null }>(orgPath('/imports?limit=1'));
    expect(firstPage.body.runs.map((run) => run.runId)).toEqual([second.body.runId]);
    const secondPage = await owner.browser.get<{ runs: ImportRun[]; nextCursor: string | null }>(orgPath(`/imports?limit=1&cursor=${firstPage.body.nextCursor ?? ''}`));
    expect(secondPage.body.runs.map((run) => run.runId)).toEqual([first.body.runId]);
    expect((await owner.browser.get(orgPath('/imports?cursor=nonsense'))).status).toBe(422);
  });

  it('imports a layout no preset knows through a confirmed mapping, saved for next time', async () => {
    const text = ['Supporter No,First,Surname,Segment', 'S1,Ann,Lee,Gold', 'S2,Bo,Ng,Silver'].join('\n');
    const uploadId = await upload('supporters.csv', text);
    const mapping = {
      entity: 'contacts',
      columns: [
        { header: 'Supporter No', target: { field: 'external_id' } },
        { header: 'First', target: { field: 'given_names' } },
        { header: 'Surname', target: { field: 'family_name' } },
        { header: 'Segment', target: { attribute: 'Segment', kind: 'categorical' } },
      ],
    };
    const started = await owner.browser.post<{ runId: string }>(orgPath('/imports'), { uploadIds: [uploadId], preset: 'custom', mappings: [{ fileName: 'supporters.csv', mapping }], mode: 'delta', saveMappings: true });
    expect(started.status).toBe(202);
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.run]);
    expect((await owner.browser.get<ImportRun>(orgPath(`/imports/${started.body.runId}`))).body).toMatchObject({ status: 'applied', preset: 'custom', entities: { contacts: { inserted: 2 } } });

    const saved = await owner.browser.get<{ id: string; name: string; entity: string; columns: unknown[] }[]>(orgPath('/import-mappings'));
    expect(saved.body).toEqual([expect.objectContaining({ name: 'supporters.csv', entity: 'contacts', columns: mapping.columns })]);
    const inspected = await owner.browser.post<{ files: InspectedFile[] }>(orgPath('/imports/inspect'), { uploadIds: [uploadId] });
    expect(inspected.body.files[0]?.mapping).toEqual(mapping);
    const mappingId = saved.body[0]?.id ?? '';
    expect((await owner.browser.request('DELETE', orgPath(`/import-mappings/${mappingId}`))).status).toBe(204);
    expect((await owner.browser.request('DELETE', orgPath(`/import-mappings/${mappingId}`))).status).toBe(404);
  });

  it('prunes an unfinished upload a day after its last chunk, and keeps a finished one for later', async () => {
    const { ownerDb } = testApp.harness.database;
    const store = testApp.importServices.objectStore(owner.organisationId);
    const unfinished = await owner.browser.post<CreatedUpload>(orgPath('/uploads'), { fileName: 'half.csv', size: 10_000 });
    expect((await putChunk(owner.browser, unfinished.body.uploadId, 0, new Uint8Array(4096).fill(65))).status).toBe(200);
    const finished = await upload('whole.csv', 'external_id\nC1\n');
    expect(await store.list(`uploads/${unfinished.body.uploadId}/`)).toHaveLength(1);
    // A day passes without a chunk: the prune jobs queued with the uploads come due.
    await ownerDb.updateTable('import_upload').set({ updated_at: new Date(Date.now() - 25 * 3_600_000) }).where('id', '=', unfinished.body.uploadId).execute();
    await ownerDb.updateTable('job').set({ run_after: new Date() }).where('name', '=', 'import.prune-upload').where('status', '=', 'queued').execute();
    await runReadyJobs(testApp.harness.database.appDb, testApp.deps.logger, [testApp.importServices.jobs.pruneUpload]);

    expect((await owner.browser.get(orgPath(`/uploads/${unfinished.body.uploadId}`))).status).toBe(404);
    expect(await store.list(`uploads/${unfinished.body.uploadId}/`)).toEqual([]);
    expect((await owner.browser.get(orgPath(`/uploads/${finished}`))).body).toMatchObject({ complete: true });
    const recheck = await ownerDb.selectFrom('job').select('run_after').where('name', '=', 'import.prune-upload').where('status', '=', 'queued').where(sql<boolean>`payload->>'uploadId' = ${finished}`).executeTakeFirstOrThrow();
    expect(recheck.run_after.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
  });

  it('lets a viewer read the history but not upload, import or read the refused values; another organisation sees nothing', async () => {
    const asViewer = (method: string, path: string, body?: unknown) =>
      fetch(`${testApp.server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${viewerToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const history = await owner.browser.get<{ runs: ImportRun[] }>(orgPath('/imports'));
    const runId = history.body.runs[0]?.runId ?? '';
    const uploadId = await upload('contacts.csv', contactsCsv);
    expect((await asViewer('GET', orgPath('/imports'))).status).toBe(200);
    expect((await asViewer('GET', orgPath(`/imports/${runId}`))).status).toBe(200);
    expect((await asViewer('GET', orgPath(`/imports/${runId}/rejections.csv`))).status).toBe(403);
    expect((await asViewer('POST', orgPath('/uploads'), { fileName: 'x.csv', size: 10 })).status).toBe(403);
    expect((await asViewer('GET', orgPath(`/uploads/${uploadId}`))).status).toBe(403);
    expect((await asViewer('POST', orgPath('/imports'), { uploadIds: [uploadId], preset: 'generic', mode: 'delta' })).status).toBe(403);
    expect((await asViewer('GET', orgPath('/import-mappings'))).status).toBe(403);

    expect((await other.browser.get(orgPath(`/imports/${runId}`))).status).toBe(404);
    expect((await other.browser.get(orgPath(`/imports/${runId}`, other.organisationId))).status).toBe(404);
    expect((await other.browser.get(orgPath(`/uploads/${uploadId}`, other.organisationId))).status).toBe(404);
    expect((await other.browser.post(orgPath('/imports/inspect', other.organisationId), { uploadIds: [uploadId] })).status).toBe(404);
    expect((await other.browser.get<{ runs: ImportRun[] }>(orgPath('/imports', other.organisationId))).body.runs).toEqual([]);
  });
});
