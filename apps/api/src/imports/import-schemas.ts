import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const pathId = (name: string) => uuid.openapi({ param: { name, in: 'path' } });
const orgId = pathId('orgId');

export const presetIdSchema = z.enum(['generic', 'npsp', 're-nxt', 'dynamics', 'donorfy', 'civicrm']).openapi('ImportPresetId');
export const formatAnswerSchema = z.enum(['dmy', 'mdy', '.', ',']).openapi('FormatAnswer');
const fileAnswersSchema = z.union([formatAnswerSchema, z.array(formatAnswerSchema).min(1).max(2)]);
const fileNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(500, { error: 'is at most 500 characters' })
  // Printable characters only (no control character can be typed into a file name), and no folder.
  .regex(/^[^/\\\p{Cc}]+$/u, { error: 'must be a file name without a folder' });

export const uploadParamsSchema = z.object({ orgId, uploadId: pathId('uploadId') });
export const runParamsSchema = z.object({ orgId, runId: pathId('runId') });
export const mappingParamsSchema = z.object({ orgId, mappingId: pathId('mappingId') });

export const createUploadBodySchema = z
  .object({ fileName: fileNameSchema, size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })
  .openapi('CreateUploadRequest');

export const createdUploadSchema = z
  .object({
    uploadId: uuid,
    /** Bytes per PUT of the content: send chunks of exactly this size, the last one shorter. */
    chunkSize: z.number().int(),
    received: z.number().int(),
    size: z.number().int(),
  })
  .openapi('CreatedUpload');

export const uploadSchema = z
  .object({ uploadId: uuid, fileName: z.string(), size: z.number().int(), received: z.number().int(), complete: z.boolean() })
  .openapi('Upload');

export const chunkQuerySchema = z.object({
  /** Bytes received so far: the position of this chunk in the file. */
  offset: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, { error: 'must be the number of bytes received so far' })
    .optional()
    .openapi({ param: { name: 'offset', in: 'query' }, example: '0' }),
});

export const receivedSchema = z.object({ received: z.number().int() }).openapi('UploadReceived');

const columnTargetSchema = z
  .union([z.object({ field: z.string().min(1).max(100) }).strict(), z.object({ attribute: z.string().min(1).max(100), kind: z.enum(['numeric', 'categorical']) }).strict(), z.null()])
  .openapi('ColumnTarget');

export const savedMappingSchema = z
  .object({
    entity: z.string().min(1).max(50),
    columns: z.array(z.object({ header: z.string().max(500), target: columnTargetSchema })).max(1000),
  })
  .openapi('ColumnMapping');

export const inspectBodySchema = z.object({ uploadIds: z.array(uuid).max(100) }).openapi('InspectUploadsRequest');

export const inspectedFileSchema = z
  .object({
    uploadId: uuid,
    fileName: z.string(),
    entity: z.string().nullable(),
    presetMatches: z.array(presetIdSchema),
    headers: z.array(z.string()),
    mapping: savedMappingSchema.nullable(),
    missingRequired: z.array(z.string()),
    duplicateHeaders: z.array(z.string()),
    problem: z.string().nullable(),
  })
  .openapi('InspectedFile');

export const inspectionSchema = z.object({ files: z.array(inspectedFileSchema) }).openapi('UploadInspection');

export const startImportBodySchema = z
  .object({
    uploadIds: z.array(uuid).max(100),
    preset: z.union([presetIdSchema, z.literal('custom')]),
    mappings: z.array(z.object({ fileName: z.string().min(1).max(1000), mapping: savedMappingSchema })).max(100).optional(),
    mode: z.enum(['complete', 'delta']),
    /** By file name (a zip entry as "x.zip/entry.csv"): the day-month order of its dates, its decimal separator, or both. */
    answers: z.record(z.string().max(1000), fileAnswersSchema).optional(),
    saveMappings: z.boolean().optional(),
    /** The organisation's currency, for amounts without one; GBP when not given. */
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, { error: 'must be an ISO 4217 code such as GBP' })
      .optional(),
  })
  .openapi('StartImportRequest');

export const startedImportSchema = z.object({ runId: uuid }).openapi('StartedImport');

const entityCountsSchema = z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), deleted: z.number().int() }).openapi('EntityChanges');

export const importRunSummarySchema = z
  .object({
    runId: uuid,
    status: z.enum(['queued', 'running', 'applied', 'refused', 'failed']),
    mode: z.enum(['complete', 'delta']),
    preset: z.string(),
    /** The person's e-mail address or the API token's name; null for the operator's command line. */
    who: z.string().nullable(),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
    files: z.array(z.object({ name: z.string(), size: z.number().int(), entity: z.string().nullable() })),
    read: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    entities: z.record(z.string(), entityCountsSchema),
  })
  .openapi('ImportRunSummary');

export const importRunSchema = importRunSummarySchema
  .extend({
    progress: z.object({ file: z.string(), entity: z.string(), rows: z.number().int() }).nullable(),
    skipped: z.number().int(),
    rejectedByReason: z.record(z.string(), z.number().int()),
    unrecognisedFiles: z.array(z.string()),
    problem: z.string().nullable(),
    /** Columns that read two ways: answer them (`answers`) and start the same import again. */
    questions: z.array(z.object({ file: z.string(), column: z.string(), kind: z.enum(['date-order', 'decimal-separator']), examples: z.array(z.string()) })),
  })
  .openapi('ImportRun');

export const importHistoryQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^[0-9]{1,20}\.[0-9a-f-]{36}$/, { error: 'must be the nextCursor of a previous page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const importHistorySchema = z.object({ runs: z.array(importRunSummarySchema), nextCursor: z.string().nullable() }).openapi('ImportHistoryPage');

export const storedMappingSchema = savedMappingSchema.extend({ id: uuid, name: z.string(), createdAt: timestamp, updatedAt: timestamp }).openapi('SavedColumnMapping');

export type StartImportBody = z.infer<typeof startImportBodySchema>;
