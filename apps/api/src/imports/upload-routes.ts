import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@kindling/errors';
import type { ApiEnv } from '../app-env.js';
import type { ApiDependencies } from '../dependencies.js';
import { orgIdParamsSchema } from '../identity/identity-schemas.js';
import { authErrorResponses, commonErrorResponses, errorResponse, validationErrorResponses } from '../openapi/error-schema.js';
import { sessionRequired } from '../openapi/route-security.js';
import { actorOf } from '../organisations/organisation-actor.js';
import { chunkQuerySchema, createUploadBodySchema, createdUploadSchema, receivedSchema, uploadParamsSchema, uploadSchema } from './import-schemas.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const uploadsPath = '/api/v1/organisations/{orgId}/uploads';
const notFound = { 404: errorResponse('No such organisation (or not a member of it), or no such upload (NOT_FOUND).') };
const guarded = (stateChanging: boolean) => sessionRequired({ stateChanging, tokens: true });

/** The content route, whose body limit is the chunk size rather than the API's default (see bodyLimit). */
export const uploadContentPathPattern = /^\/api\/v1\/organisations\/[^/]+\/uploads\/[^/]+\/content$/u;

const createUploadRoute = createRoute({
  method: 'post',
  path: uploadsPath,
  tags: ['imports'],
  summary:
    'Starts a resumable upload of one file (analysts, admins, owners): send its content in chunks of chunkSize bytes with PUT …/content?offset=N. Files larger than IMPORT_MAX_BYTES are refused here.',
  ...guarded(true),
  request: { params: orgIdParamsSchema, body: { required: true, content: json(createUploadBodySchema) } },
  responses: {
    201: { description: 'The upload, nothing received yet.', content: json(createdUploadSchema) },
    ...notFound,
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
    413: errorResponse('The file is larger than IMPORT_MAX_BYTES; `details.limitBytes` says the limit (PAYLOAD_TOO_LARGE).'),
  },
});

const putContentRoute = createRoute({
  method: 'put',
  path: `${uploadsPath}/{uploadId}/content`,
  tags: ['imports'],
  summary:
    'Stores one chunk (application/octet-stream, at most chunkSize bytes) at `offset`, which must be the bytes received so far. After a broken connection, GET the upload (or read the 409) and go on from `received`.',
  ...guarded(true),
  request: {
    params: uploadParamsSchema,
    query: chunkQuerySchema,
    body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  },
  responses: {
    200: { description: 'Bytes received so far, this chunk included.', content: json(receivedSchema) },
    ...notFound,
    409: errorResponse('`offset` is not the bytes received so far; `details.received` says where to go on (CONFLICT).'),
    ...authErrorResponses,
    ...validationErrorResponses,
    ...commonErrorResponses,
    413: errorResponse('The chunk is larger than chunkSize (PAYLOAD_TOO_LARGE).'),
  },
});

const getUploadRoute = createRoute({
  method: 'get',
  path: `${uploadsPath}/{uploadId}`,
  tags: ['imports'],
  summary: 'Where an upload stands: bytes received of its size, and whether it is complete.',
  ...guarded(false),
  request: { params: uploadParamsSchema },
  responses: { 200: { description: 'The upload.', content: json(uploadSchema) }, ...notFound, ...authErrorResponses, ...validationErrorResponses, ...commonErrorResponses },
});

const deleteUploadRoute = createRoute({
  method: 'delete',
  path: `${uploadsPath}/{uploadId}`,
  tags: ['imports'],
  summary: 'Removes an upload and its stored chunks (unfinished uploads are removed anyway after a day, finished ones after a week).',
  ...guarded(true),
  request: { params: uploadParamsSchema },
  responses: { 204: { description: 'Removed.' }, ...notFound, ...authErrorResponses, ...validationErrorResponses, ...commonErrorResponses },
});

function requireOctetStream(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/octet-stream') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the chunk as application/octet-stream.');
}

/** Resumable uploads of CRM export files, chunk by chunk into the organisation's encrypted object store. */
export function registerUploadRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { imports } = deps;

  app.openapi(createUploadRoute, async (c) => {
    const upload = await imports.createUpload(c.req.valid('param').orgId, actorOf(c), c.req.valid('json'));
    return c.json({ uploadId: upload.uploadId, chunkSize: imports.chunkBytes, received: upload.received, size: upload.size }, 201);
  });

  app.openapi(putContentRoute, async (c) => {
    const { orgId, uploadId } = c.req.valid('param');
    const actor = actorOf(c);
    const { offset } = c.req.valid('query');
    // Who may write, and whether the upload exists, is known before the body is read.
    const upload = await imports.uploadStatus(orgId, actor, uploadId);
    if (offset === undefined) throw new AppError('VALIDATION_FAILED', 'Say where the chunk goes with ?offset=N (the bytes received so far).', { details: { received: upload.received } });
    requireOctetStream(c.req.header('content-type'));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json(await imports.appendChunk(orgId, actor, { uploadId, offset: Number(offset), bytes }), 200);
  });

  app.openapi(getUploadRoute, async (c) => {
    const { orgId, uploadId } = c.req.valid('param');
    return c.json(await imports.uploadStatus(orgId, actorOf(c), uploadId), 200);
  });

  app.openapi(deleteUploadRoute, async (c) => {
    const { orgId, uploadId } = c.req.valid('param');
    await imports.deleteUpload(orgId, actorOf(c), uploadId);
    return c.body(null, 204);
  });
}
