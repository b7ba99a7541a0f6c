import type { OrganisationActor } from '@kindling/identity';

export interface UploadState {
  readonly uploadId: string;
  readonly fileName: string;
  readonly size: number;
  readonly received: number;
  readonly complete: boolean;
}

export interface InspectedUploadFile {
  readonly uploadId: string;
  readonly fileName: string;
  readonly entity: string | null;
  readonly presetMatches: readonly string[];
  readonly headers: readonly string[];
  readonly mapping: unknown;
  readonly missingRequired: readonly string[];
  readonly duplicateHeaders: readonly string[];
  readonly problem: string | null;
}

type EntityChanges = Readonly<Record<string, { readonly inserted: number; readonly updated: number; readonly unchanged: number; readonly deleted: number }>>;

export interface ImportRunRecord {
  readonly runId: string;
  readonly status: 'queued' | 'running' | 'applied' | 'refused' | 'failed';
  readonly mode: 'complete' | 'delta';
  readonly preset: string;
  readonly who: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly files: readonly { readonly name: string; readonly size: number; readonly entity: string | null }[];
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly entities: EntityChanges;
}

export interface ImportRunDetails extends ImportRunRecord {
  readonly progress: { readonly file: string; readonly entity: string; readonly rows: number } | null;
  readonly skipped: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly unrecognisedFiles: readonly string[];
  readonly problem: string | null;
  readonly questions: readonly { readonly file: string; readonly column: string; readonly kind: 'date-order' | 'decimal-separator'; readonly examples: readonly string[] }[];
}

export type ColumnTarget = { readonly field: string } | { readonly attribute: string; readonly kind: 'numeric' | 'categorical' } | null;

export interface SavedMappingRecord {
  readonly id: string;
  readonly name: string;
  readonly entity: string;
  readonly columns: readonly { readonly header: string; readonly target: ColumnTarget }[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

type FormatAnswer = 'dmy' | 'mdy' | '.' | ',';

export interface StartImportInput {
  readonly uploadIds: readonly string[];
  readonly preset: string;
  readonly mappings?: readonly { readonly fileName: string; readonly mapping: unknown }[] | undefined;
  readonly mode: 'complete' | 'delta';
  readonly answers?: Readonly<Record<string, FormatAnswer | readonly FormatAnswer[]>> | undefined;
  readonly saveMappings?: boolean | undefined;
  readonly currency: string;
}

/**
 * Imports as the API needs them (`createImportService` of @kindling/reference-store): every call
 * checks the actor's role in the organisation and answers NOT_FOUND for another's ids.
 */
export interface ImportsApi {
  /** The largest chunk one PUT of upload content may carry. */
  readonly chunkBytes: number;
  createUpload(orgId: string, actor: OrganisationActor, input: { readonly fileName: string; readonly size: number }): Promise<UploadState>;
  appendChunk(orgId: string, actor: OrganisationActor, chunk: { readonly uploadId: string; readonly offset: number; readonly bytes: Uint8Array }): Promise<{ received: number }>;
  uploadStatus(orgId: string, actor: OrganisationActor, uploadId: string): Promise<UploadState>;
  deleteUpload(orgId: string, actor: OrganisationActor, uploadId: string): Promise<void>;
  inspect(orgId: string, actor: OrganisationActor, uploadIds: readonly string[]): Promise<{ readonly files: readonly InspectedUploadFile[] }>;
  startImport(orgId: string, actor: OrganisationActor, request: StartImportInput): Promise<{ runId: string }>;
  replayImport(orgId: string, actor: OrganisationActor, runId: string): Promise<{ runId: string }>;
  listRuns(orgId: string, actor: OrganisationActor, page: { readonly cursor?: string | undefined; readonly limit?: number | undefined }): Promise<{ readonly runs: readonly ImportRunRecord[]; readonly nextCursor: string | null }>;
  readRun(orgId: string, actor: OrganisationActor, runId: string): Promise<ImportRunDetails>;
  rejectionReport(orgId: string, actor: OrganisationActor, runId: string, meta: { readonly clientAddress: string | null; readonly userAgent: string | null }): Promise<AsyncIterable<string>>;
  listMappings(orgId: string, actor: OrganisationActor): Promise<readonly SavedMappingRecord[]>;
  deleteMapping(orgId: string, actor: OrganisationActor, mappingId: string): Promise<void>;
}
