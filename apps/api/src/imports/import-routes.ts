import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { actorOf } from '../organisations/organisation-actor.js';
import type { ImportRunRecord } from './import-dependencies.js';
import {
  importHistoryQuerySchema,
  importHistorySchema,
  importRunSchema,
  inspectBodySchema,
  inspectionSchema,
  mappingParamsSchema,
  runParamsSchema,
  startImportBodySchema,
  startedImportSchema,
  storedMappingSchema,
} from './import-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const importsPath = '/api/v1/organisations/{orgId}/imports';
const mappingsPath = '/api/v1/organisations/{orgId}/import-mappings';
const notFound = { 404: errorResponse('No such organisation (or not a member of it), upload, import or mapping (NOT_FOUND).') };
const common = { ...notFound, ...authErrorResponses, ...validationErrorResponses, ...commonErrorResponses };
const guarded = (stateChanging: boolean) => sessionRequired({ stateChanging, tokens: true });

const inspectRoute = createRoute({
  method: 'post',
  path: `${importsPath}/inspect`,
  tags: ['imports'],
  summary:
    "Reads the header row of each finished upload (each entry of a zip, named \"x.zip/entry.csv\") and says what it holds: the entity, the presets that know it, the organisation's saved mapping for these headers or a suggested one, missing required fields and repeated headers.",
  ...guarded(true),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(inspectBodySchema) } },
  responses: { 200: { description: 'One entry per file.', content: json(inspectionSchema) }, 409: errorResponse('An upload is not complete yet (CONFLICT).'), ...common },
});

const startImportRoute = createRoute({
  method: 'post',
  path: importsPath,
  tags: ['imports'],
  summary:
    'Starts an import of finished uploads as a job (analysts, admins, owners); poll GET …/imports/{runId} for progress and outcome. A refused import (a question to answer, too many refused rows) keeps the uploads: start it again with answers.',
  ...guarded(true),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(startImportBodySchema) } },
  responses: { 202: { description: 'Queued.', content: json(startedImportSchema) }, 409: errorResponse('An upload is not complete yet (CONFLICT).'), ...common },
});

const replayImportRoute = createRoute({
  method: 'post',
  path: `${importsPath}/{runId}/replay`,
  tags: ['imports'],
  summary: 'Imports a finished run again from the raw files it kept, asked for the same way (preset, mappings, answers, mode), as a new run. Only for imports started through the API.',
  ...guarded(true),
  request: { params: runParamsSchema },
  responses: { 202: { description: 'Queued.', content: json(startedImportSchema) }, 409: errorResponse('The run kept no files to replay, or was not started through the API (CONFLICT).'), ...common },
});

const listImportsRoute = createRoute({
  method: 'get',
  path: importsPath,
  tags: ['imports'],
  summary: "The organisation's imports, newest first (every member): who, when, mode, preset, files, counts. Pass nextCursor as cursor for older ones.",
  ...guarded(false),
  request: { params: orgIdParamsSchema, query: importHistoryQuerySchema },
  responses: { 200: { description: 'One page of imports.', content: json(importHistorySchema) }, ...common },
});

const getImportRoute = createRoute({
  method: 'get',
  path: `${importsPath}/{runId}`,
  tags: ['imports'],
  summary: 'One import (every member): status, progress while it runs, counts per entity, refused rows by reason, and the problem of a refused or failed import.',
  ...guarded(false),
  request: { params: runParamsSchema },
  responses: { 200: { description: 'The import.', content: json(importRunSchema) }, ...common },
});

const rejectionsRoute = createRoute({
  method: 'get',
  path: `${importsPath}/{runId}/rejections.csv`,
  tags: ['imports'],
  summary:
    "Every refused cell of an import as CSV (file, line, column, value, reason), values as they were in the files: personal data, audited as such (analysts, admins, owners). Cells that a spreadsheet would run as formulas start with '.",
  ...guarded(false),
  request: { params: runParamsSchema },
  responses: { 200: { description: 'The report, as an attachment.', content: { 'text/csv': { schema: z.string() } } }, ...common },
});

const listMappingsRoute = createRoute({
  method: 'get',
  path: mappingsPath,
  tags: ['imports'],
  summary: "The organisation's saved column mappings (analysts, admins, owners): found again when files with the same headers are inspected.",
  ...guarded(false),
  request: { params: orgIdParamsSchema },
  responses: { 200: { description: 'Saved mappings.', content: json(z.array(storedMappingSchema)) }, ...common },
});

const deleteMappingRoute = createRoute({
  method: 'delete',
  path: `${mappingsPath}/{mappingId}`,
  tags: ['imports'],
  summary: 'Forgets a saved column mapping.',
  ...guarded(true),
  request: { params: mappingParamsSchema },
  responses: { 204: { description: 'Forgotten.' }, ...common },
});

function runJson<T extends ImportRunRecord>(run: T) {
  return { ...run, files: run.files.map((file) => ({ ...file })), startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null };
}

/** A report streamed line by line as the service decrypts it, so a large one never sits in memory. */
function textStream(lines: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = lines[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Inspection, imports as jobs, their history and reports, and saved column mappings. */
export function registerImportRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { imports } = deps;

  app.openapi(inspectRoute, async (c) => {
    const inspection = await imports.inspect(c.req.valid('param').orgId, actorOf(c), c.req.valid('json').uploadIds);
    return c.json(inspectionSchema.parse(inspection), 200);
  });

  app.openapi(startImportRoute, async (c) => {
    const { currency, ...body } = c.req.valid('json');
    const started = await imports.startImport(c.req.valid('param').orgId, actorOf(c), { ...body, currency: (currency ?? 'GBP').toUpperCase() });
    return c.json(started, 202);
  });

  app.openapi(replayImportRoute, async (c) => {
    const { orgId, runId } = c.req.valid('param');
    return c.json(await imports.replayImport(orgId, actorOf(c), runId), 202);
  });

  app.openapi(listImportsRoute, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const page = await imports.listRuns(c.req.valid('param').orgId, actorOf(c), { cursor, limit });
    return c.json({ runs: page.runs.map(runJson), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getImportRoute, async (c) => {
    const { orgId, runId } = c.req.valid('param');
    const run = await imports.readRun(orgId, actorOf(c), runId);
    return c.json({ ...runJson(run), unrecognisedFiles: [...run.unrecognisedFiles], questions: run.questions.map((question) => ({ ...question, examples: [...question.examples] })) }, 200);
  });

  app.openapi(rejectionsRoute, async (c) => {
    const { orgId, runId } = c.req.valid('param');
    const lines = await imports.rejectionReport(orgId, actorOf(c), runId, c.get('requestMeta'));
    return c.body(textStream(lines), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="import-${runId}-refused-rows.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  app.openapi(listMappingsRoute, async (c) => {
    const mappings = await imports.listMappings(c.req.valid('param').orgId, actorOf(c));
    return c.json(
      mappings.map((mapping) => ({ ...mapping, columns: mapping.columns.map((column) => ({ ...column })), createdAt: mapping.createdAt.toISOString(), updatedAt: mapping.updatedAt.toISOString() })),
      200,
    );
  });

  app.openapi(deleteMappingRoute, async (c) => {
    const { orgId, mappingId } = c.req.valid('param');
    await imports.deleteMapping(orgId, actorOf(c), mappingId);
    return c.body(null, 204);
  });
}
