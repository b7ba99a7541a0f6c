import { getJson, requestJson, send, sendJson, type JsonResponse } from '../api/api-client';
import { array, field, isNumber, isString, isStringArray, isStringOrNull, object, oneOf } from '../api/json-shape';

export const PRESETS = ['generic', 'npsp', 're-nxt', 'dynamics', 'donorfy', 'civicrm', 'custom'] as const;
export type PresetId = (typeof PRESETS)[number];
export type ImportMode = 'complete' | 'delta';
/** The answer to an ambiguous column: day-month order of its dates, or its decimal separator. */
export type FormatAnswer = 'dmy' | 'mdy' | '.' | ',';
export type RunStatus = 'queued' | 'running' | 'applied' | 'refused' | 'failed';
/** A file's answers, by file name: a date order, a decimal separator, or both. */
export type FileAnswers = Record<string, FormatAnswer[]>;

/** A column whose values read two ways, which a refused run asks about. */
export interface FormatQuestion {
  file: string;
  column: string;
  kind: 'date-order' | 'decimal-separator';
  examples: string[];
}

export interface UploadState {
  uploadId: string;
  /** Bytes per PUT; only a new upload says (a resumed one uses what was remembered). */
  chunkSize: number | null;
  received: number;
  size: number;
}

export type ColumnTarget = { field: string } | { attribute: string; kind: 'numeric' | 'categorical' } | null;

export interface SavedMapping {
  entity: string;
  columns: { header: string; target: ColumnTarget }[];
}

export interface InspectedFile {
  uploadId: string;
  fileName: string;
  /** What the file holds, as far as its name (a preset) or its headers tell; null when neither does. */
  entity: string | null;
  /** The presets that know this file by its name. */
  presetMatches: PresetId[];
  headers: string[];
  /** The saved mapping for files with these headers, else the suggestion from the headers. */
  mapping: SavedMapping | null;
  missingRequired: string[];
  duplicateHeaders: string[];
  /** Why the file cannot be read (not text, a damaged zip …), naming it; null when it can. */
  problem: string | null;
}

export interface EntityChanges {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface RunFile {
  name: string;
  size: number;
  entity: string | null;
}

export interface ImportRun {
  runId: string;
  status: RunStatus;
  mode: ImportMode;
  preset: string;
  progress: { file: string; entity: string; rows: number } | null;
  read: number;
  accepted: number;
  rejected: number;
  entities: Record<string, EntityChanges>;
  rejectedByReason: Record<string, number>;
  /** Why nothing changed (refused or failed), in words for staff; null in the history's summaries. */
  problem: string | null;
  /** What must be answered before the same files can be imported; empty in the history's summaries. */
  questions: FormatQuestion[];
  /** The person's e-mail address or the API token's name; null when run from the command line. */
  who: string | null;
  startedAt: string;
  finishedAt: string | null;
  files: RunFile[];
}

export interface StartImportInput {
  uploadIds: string[];
  preset: PresetId;
  mappings?: { fileName: string; mapping: SavedMapping }[];
  mode: ImportMode;
  answers?: FileAnswers;
  saveMappings?: boolean;
}

const isPreset = oneOf(PRESETS);
const isRunStatus = oneOf(['queued', 'running', 'applied', 'refused', 'failed'] as const);
const isMode = oneOf(['complete', 'delta'] as const);
const isAttributeKind = oneOf(['numeric', 'categorical'] as const);

const organisationPath = (orgId: string) => `/api/v1/organisations/${encodeURIComponent(orgId)}`;
const uploadPath = (orgId: string, uploadId: string) => `${organisationPath(orgId)}/uploads/${encodeURIComponent(uploadId)}`;

export function parseUploadState(body: unknown): UploadState {
  const source = object(body, 'upload');
  return {
    uploadId: field(source, 'uploadId', 'upload', isString),
    chunkSize: source.chunkSize === undefined ? null : field(source, 'chunkSize', 'upload', isNumber),
    received: field(source, 'received', 'upload', isNumber),
    size: field(source, 'size', 'upload', isNumber),
  };
}

function parseTarget(value: unknown, at: string): ColumnTarget {
  if (value === null || value === undefined) return null;
  const source = object(value, at);
  if (source.field !== undefined) return { field: field(source, 'field', at, isString) };
  return { attribute: field(source, 'attribute', at, isString), kind: field(source, 'kind', at, isAttributeKind) };
}

function parseMapping(value: unknown, at: string): SavedMapping | null {
  if (value === null || value === undefined) return null;
  const source = object(value, at);
  return {
    entity: field(source, 'entity', at, isString),
    columns: array(source.columns, `${at}.columns`).map((column, index) => {
      const columnAt = `${at}.columns[${String(index)}]`;
      const entry = object(column, columnAt);
      return { header: field(entry, 'header', columnAt, isString), target: parseTarget(entry.target, `${columnAt}.target`) };
    }),
  };
}

/** The presets that know a file; ones this version of the app does not know are left out. */
function parsePresetMatches(value: unknown, at: string): PresetId[] {
  return array(value, at).filter(isPreset);
}

export function parseInspection(body: unknown): InspectedFile[] {
  const root = object(body, 'inspection');
  return array(root.files, 'inspection.files').map((value, index) => {
    const at = `inspection.files[${String(index)}]`;
    const source = object(value, at);
    return {
      uploadId: field(source, 'uploadId', at, isString),
      fileName: field(source, 'fileName', at, isString),
      entity: field(source, 'entity', at, isStringOrNull),
      presetMatches: parsePresetMatches(source.presetMatches, `${at}.presetMatches`),
      headers: field(source, 'headers', at, isStringArray),
      mapping: parseMapping(source.mapping, `${at}.mapping`),
      missingRequired: field(source, 'missingRequired', at, isStringArray),
      duplicateHeaders: field(source, 'duplicateHeaders', at, isStringArray),
      problem: field(source, 'problem', at, isStringOrNull),
    };
  });
}

function parseCounts(value: unknown, at: string): Record<string, number> {
  const source = object(value, at);
  return Object.fromEntries(Object.keys(source).map((key) => [key, field(source, key, at, isNumber)]));
}

function parseEntities(value: unknown, at: string): Record<string, EntityChanges> {
  const source = object(value, at);
  return Object.fromEntries(
    Object.keys(source).map((key) => {
      const entryAt = `${at}.${key}`;
      const entry = object(source[key], entryAt);
      const number = (name: string) => field(entry, name, entryAt, isNumber);
      return [key, { inserted: number('inserted'), updated: number('updated'), unchanged: number('unchanged'), deleted: number('deleted') }];
    }),
  );
}

function parseProgress(value: unknown, at: string): ImportRun['progress'] {
  if (value === undefined || value === null) return null;
  const source = object(value, at);
  return { file: field(source, 'file', at, isString), entity: field(source, 'entity', at, isString), rows: field(source, 'rows', at, isNumber) };
}

function parseQuestions(value: unknown, at: string): FormatQuestion[] {
  if (value === undefined) return [];
  return array(value, at).map((entry, index) => {
    const questionAt = `${at}[${String(index)}]`;
    const source = object(entry, questionAt);
    return {
      file: field(source, 'file', questionAt, isString),
      column: field(source, 'column', questionAt, isString),
      kind: field(source, 'kind', questionAt, oneOf(['date-order', 'decimal-separator'] as const)),
      examples: field(source, 'examples', questionAt, isStringArray),
    };
  });
}

function parseFiles(value: unknown, at: string): RunFile[] {
  return array(value, at).map((entry, index) => {
    const fileAt = `${at}[${String(index)}]`;
    const source = object(entry, fileAt);
    return { name: field(source, 'name', fileAt, isString), size: field(source, 'size', fileAt, isNumber), entity: field(source, 'entity', fileAt, isStringOrNull) };
  });
}

/** A run as the history lists it, or in full (progress, reasons, problem) as GET imports/{runId} gives it. */
export function parseRun(body: unknown, at = 'run'): ImportRun {
  const source = object(body, at);
  return {
    runId: field(source, 'runId', at, isString),
    status: field(source, 'status', at, isRunStatus),
    mode: field(source, 'mode', at, isMode),
    preset: field(source, 'preset', at, isString),
    progress: parseProgress(source.progress, `${at}.progress`),
    read: field(source, 'read', at, isNumber),
    accepted: field(source, 'accepted', at, isNumber),
    rejected: field(source, 'rejected', at, isNumber),
    entities: parseEntities(source.entities, `${at}.entities`),
    rejectedByReason: source.rejectedByReason === undefined ? {} : parseCounts(source.rejectedByReason, `${at}.rejectedByReason`),
    problem: source.problem === undefined ? null : field(source, 'problem', at, isStringOrNull),
    questions: parseQuestions(source.questions, `${at}.questions`),
    who: field(source, 'who', at, isStringOrNull),
    startedAt: field(source, 'startedAt', at, isString),
    finishedAt: field(source, 'finishedAt', at, isStringOrNull),
    files: parseFiles(source.files, `${at}.files`),
  };
}

export interface HistoryPage {
  runs: ImportRun[];
  /** For the next, older page; null on the last. */
  nextCursor: string | null;
}

export function parseHistory(body: unknown): HistoryPage {
  const root = object(body, 'history');
  return {
    runs: array(root.runs, 'history.runs').map((entry, index) => parseRun(entry, `history.runs[${String(index)}]`)),
    nextCursor: field(root, 'nextCursor', 'history', isStringOrNull),
  };
}

export function createUpload(orgId: string, file: { fileName: string; size: number }, signal?: AbortSignal): Promise<UploadState> {
  return sendJson('POST', `${organisationPath(orgId)}/uploads`, file, parseUploadState, { signal });
}

export function fetchUpload(orgId: string, uploadId: string, signal?: AbortSignal): Promise<UploadState & { fileName: string; complete: boolean }> {
  return getJson(
    uploadPath(orgId, uploadId),
    (body) => {
      const source = object(body, 'upload');
      return { ...parseUploadState(body), fileName: field(source, 'fileName', 'upload', isString), complete: source.complete === true };
    },
    signal,
  );
}

/** How many bytes the server holds after a chunk, or — when the offset was wrong (409) — where to go on from. */
export function readReceived(response: JsonResponse): number {
  const source = object(response.body, 'chunk');
  const error = source.error === undefined ? null : object(source.error, 'chunk.error');
  const details = error?.details === undefined || error.details === null ? null : object(error.details, 'chunk.error.details');
  const received = details?.received ?? source.received;
  if (!isNumber(received)) throw new Error('chunk.received has an unexpected value.');
  return received;
}

export async function putChunk(orgId: string, uploadId: string, offset: number, bytes: Blob, signal?: AbortSignal): Promise<{ received: number; conflict: boolean }> {
  const response = await requestJson(`${uploadPath(orgId, uploadId)}/content?offset=${String(offset)}`, { method: 'PUT', bytes, signal, acceptStatuses: [409] });
  return { received: readReceived(response), conflict: response.status === 409 };
}

export function deleteUpload(orgId: string, uploadId: string): Promise<void> {
  return send('DELETE', uploadPath(orgId, uploadId));
}

export function inspectUploads(orgId: string, uploadIds: string[], signal?: AbortSignal): Promise<InspectedFile[]> {
  return sendJson('POST', `${organisationPath(orgId)}/imports/inspect`, { uploadIds }, parseInspection, { signal });
}

export function startImport(orgId: string, input: StartImportInput): Promise<string> {
  return sendJson('POST', `${organisationPath(orgId)}/imports`, input, (body) => {
    const source = object(body, 'import');
    return field(source, 'runId', 'import', isString);
  });
}

export function fetchImportRun(orgId: string, runId: string, signal?: AbortSignal): Promise<ImportRun> {
  return getJson(`${organisationPath(orgId)}/imports/${encodeURIComponent(runId)}`, (body) => parseRun(body), signal);
}

/** A page of the import history, newest first; `cursor` is the previous page's `nextCursor`. */
export function fetchImportHistory(orgId: string, cursor: string | null, signal?: AbortSignal): Promise<HistoryPage> {
  const query = cursor === null ? '' : `?${new URLSearchParams({ cursor }).toString()}`;
  return getJson(`${organisationPath(orgId)}/imports${query}`, parseHistory, signal);
}

/** Column choices the organisation keeps for a layout of file, found again by its headers. */
export interface StoredMapping {
  id: string;
  name: string;
  entity: string;
  headers: string[];
  updatedAt: string | null;
}

export function parseStoredMappings(body: unknown): StoredMapping[] {
  return array(body, 'mappings').map((value, index) => {
    const at = `mappings[${String(index)}]`;
    const source = object(value, at);
    return {
      id: field(source, 'id', at, isString),
      name: field(source, 'name', at, isString),
      entity: field(source, 'entity', at, isString),
      headers: array(source.columns, `${at}.columns`).map((column, columnIndex) => field(object(column, `${at}.columns[${String(columnIndex)}]`), 'header', `${at}.columns[${String(columnIndex)}]`, isString)),
      updatedAt: source.updatedAt === undefined ? null : field(source, 'updatedAt', at, isString),
    };
  });
}

export function fetchStoredMappings(orgId: string, signal?: AbortSignal): Promise<StoredMapping[]> {
  return getJson(`${organisationPath(orgId)}/import-mappings`, parseStoredMappings, signal);
}

export function forgetStoredMapping(orgId: string, mappingId: string): Promise<void> {
  return send('DELETE', `${organisationPath(orgId)}/import-mappings/${encodeURIComponent(mappingId)}`);
}

/** Where the browser downloads a run's refused rows; the address holds ids only. */
export function rejectionsReportUrl(orgId: string, runId: string): string {
  return `${organisationPath(orgId)}/imports/${encodeURIComponent(runId)}/rejections.csv`;
}
