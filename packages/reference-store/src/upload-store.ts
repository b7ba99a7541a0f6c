import { sql, type TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { ObjectStore } from '@kindling/object-store';

/** Where an upload stands: `received` bytes of `size` are stored; complete when they are equal. */
export interface UploadStatus {
  readonly uploadId: string;
  readonly fileName: string;
  readonly size: number;
  readonly received: number;
  readonly complete: boolean;
}

/** A finished upload, ready to be read as one file. */
export interface UploadedFile {
  readonly uploadId: string;
  readonly fileName: string;
  readonly size: number;
  readonly parts: number;
}

export interface UploadActor {
  readonly userId: string | null;
  readonly tokenId: string | null;
}

/** Object keys name the upload and a part number, never the file: keys appear in listings and logs. */
function partKey(uploadId: string, part: number): string {
  return `uploads/${uploadId}/${String(part).padStart(6, '0')}`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function noSuchUpload(): AppError {
  return new AppError('NOT_FOUND', 'No such upload.');
}

function statusOf(row: { id: string; file_name: string; size: string | number; received: string | number }): UploadStatus {
  const size = Number(row.size);
  const received = Number(row.received);
  return { uploadId: row.id, fileName: row.file_name, size, received, complete: received === size };
}

export async function createUpload(trx: TenantTransaction, orgId: string, input: { readonly fileName: string; readonly size: number }, actor: UploadActor): Promise<UploadStatus> {
  const row = await trx
    .insertInto('import_upload')
    .values({ org_id: orgId, file_name: input.fileName, size: input.size, created_by_user_id: actor.userId, created_by_token_id: actor.tokenId })
    .returning(['id', 'file_name', 'size', 'received'])
    .executeTakeFirstOrThrow();
  return statusOf(row);
}

export async function readUpload(trx: TenantTransaction, orgId: string, uploadId: string, options: { readonly lock?: boolean } = {}) {
  if (!uuidPattern.test(uploadId)) throw noSuchUpload();
  let query = trx.selectFrom('import_upload').select(['id', 'file_name', 'size', 'received', 'parts', 'updated_at']).where('org_id', '=', orgId).where('id', '=', uploadId);
  if (options.lock === true) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) throw noSuchUpload();
  return row;
}

export async function uploadStatus(trx: TenantTransaction, orgId: string, uploadId: string): Promise<UploadStatus> {
  return statusOf(await readUpload(trx, orgId, uploadId));
}

/**
 * Stores one chunk at `offset`, which must be exactly the bytes received so far: a client whose
 * connection broke mid-chunk learns from the 409 where to go on, and a chunk is never stored
 * twice. The row stays locked while the chunk is written, so two clients cannot interleave.
 */
export async function appendChunk(
  trx: TenantTransaction,
  store: ObjectStore,
  orgId: string,
  chunk: { readonly uploadId: string; readonly offset: number; readonly bytes: Uint8Array; readonly maxChunkBytes: number },
): Promise<{ received: number }> {
  const row = await readUpload(trx, orgId, chunk.uploadId, { lock: true });
  const received = Number(row.received);
  const size = Number(row.size);
  if (chunk.offset !== received) {
    throw new AppError('CONFLICT', `The upload holds ${String(received)} bytes: send the next chunk at offset ${String(received)}.`, { details: { received } });
  }
  if (chunk.bytes.length > chunk.maxChunkBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A chunk is at most ${String(chunk.maxChunkBytes)} bytes.`, { details: { limitBytes: chunk.maxChunkBytes } });
  }
  if (received + chunk.bytes.length > size) {
    throw new AppError('VALIDATION_FAILED', `The chunk goes past the ${String(size)} bytes the upload was declared with.`, { details: { received, size } });
  }
  if (chunk.bytes.length === 0) return { received };
  await store.put(partKey(row.id, row.parts), chunk.bytes);
  await trx
    .updateTable('import_upload')
    .set({ received: received + chunk.bytes.length, parts: row.parts + 1, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', row.id)
    .execute();
  return { received: received + chunk.bytes.length };
}

/** Removes the upload's row and its stored chunks. */
export async function deleteUpload(trx: TenantTransaction, store: ObjectStore, orgId: string, uploadId: string): Promise<void> {
  const row = await readUpload(trx, orgId, uploadId, { lock: true });
  await trx.deleteFrom('import_upload').where('org_id', '=', orgId).where('id', '=', row.id).execute();
  for (const object of await store.list(`uploads/${row.id}/`)) await store.delete(object.key);
}

/** Finished uploads, in the order asked for; an unknown or unfinished one is refused by name. */
export async function finishedUploads(trx: TenantTransaction, orgId: string, uploadIds: readonly string[]): Promise<UploadedFile[]> {
  const files: UploadedFile[] = [];
  for (const uploadId of uploadIds) {
    const row = await readUpload(trx, orgId, uploadId);
    if (Number(row.received) !== Number(row.size)) {
      throw new AppError('CONFLICT', `${row.file_name} has not finished uploading (${row.received} of ${row.size} bytes).`, { details: { uploadId } });
    }
    files.push({ uploadId: row.id, fileName: row.file_name, size: Number(row.size), parts: row.parts });
  }
  return files;
}

/** The bytes of a finished upload, chunk after chunk, decrypted as they stream. */
export async function* uploadBytes(store: ObjectStore, file: UploadedFile): AsyncGenerator<Uint8Array> {
  for (let part = 0; part < file.parts; part += 1) {
    for await (const chunk of store.get(partKey(file.uploadId, part))) yield chunk as Uint8Array;
  }
}

/** How long an upload is kept after its last chunk: a day to finish it, a week to import it (again, with answers). */
export const uploadLifetimeMs = { unfinished: 24 * 3_600_000, finished: 7 * 24 * 3_600_000 } as const;

/**
 * Removes the upload if it has outlived its lifetime; otherwise says when to look again (an
 * upload still being resumed moves its own deadline on). Null when it is gone already.
 */
export async function pruneUpload(trx: TenantTransaction, store: ObjectStore, orgId: string, uploadId: string, now: Date): Promise<{ pruned: boolean; recheckAt: Date | null }> {
  const row = await trx.selectFrom('import_upload').select(['id', 'size', 'received', 'updated_at']).where('org_id', '=', orgId).where('id', '=', uploadId).forUpdate().executeTakeFirst();
  if (row === undefined) return { pruned: false, recheckAt: null };
  const lifetime = Number(row.received) === Number(row.size) ? uploadLifetimeMs.finished : uploadLifetimeMs.unfinished;
  const expiresAt = new Date(row.updated_at.getTime() + lifetime);
  if (expiresAt > now) return { pruned: false, recheckAt: expiresAt };
  await deleteUpload(trx, store, orgId, uploadId);
  return { pruned: true, recheckAt: null };
}

/**
 * The largest chunk of an upload: API Gateway passes a binary body to Lambda base64-encoded, and a
 * Lambda request may carry 6 MB, so 4 MiB (5.6 MB encoded) is the largest power of two that fits.
 */
export const uploadChunkBytes = 4 * 1024 * 1024;
