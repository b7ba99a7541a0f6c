import { ApiError } from '../api/api-client';
import { createUpload, fetchUpload, putChunk } from './imports-api';
import type { UploadResumeStore } from './upload-resume-store';

/** Used when a resumed upload's chunk size was not remembered; the server says it for new ones. */
const FALLBACK_CHUNK_BYTES = 8 * 1024 * 1024;
/** Attempts at one step before giving up; with the doubling wait, about two minutes offline. */
const MAX_ATTEMPTS = 10;
const MAX_WAIT_MS = 15_000;

export interface UploadProgress {
  received: number;
  size: number;
}

export interface UploadOptions {
  orgId: string;
  file: File;
  store: UploadResumeStore;
  signal: AbortSignal;
  onProgress: (progress: UploadProgress) => void;
  /** The connection failed; the next attempt comes in `delayMs` (null: it is going again now). */
  onWaiting?: (delayMs: number | null) => void;
  /** The first wait after a network failure, doubled after each further one. */
  retryDelayMs?: number;
}

/** A failure worth trying again: nothing answered, or a gateway or the server was briefly unavailable. */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.kind === 'unreachable' || error.status === 502 || error.status === 503 || error.status === 504);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** Runs `step` until it succeeds, waiting longer after each transient failure; other failures end at once. */
async function withRetries<T>(step: () => Promise<T>, options: UploadOptions): Promise<T> {
  const firstDelay = options.retryDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await step();
      if (attempt > 1) options.onWaiting?.(null);
      return result;
    } catch (error) {
      if (options.signal.aborted || !isTransient(error) || attempt >= MAX_ATTEMPTS) throw error;
      const delay = Math.min(firstDelay * 2 ** (attempt - 1), MAX_WAIT_MS);
      options.onWaiting?.(delay);
      await pause(delay, options.signal);
    }
  }
}

/** Where a file's upload starts: an upload this tab began earlier for the same file, or a new one. */
async function startingPoint(options: UploadOptions, fingerprint: string): Promise<{ uploadId: string; chunkSize: number; received: number }> {
  const { orgId, file, store, signal } = options;
  const remembered = store.recall(fingerprint, orgId);
  if (remembered) {
    try {
      const state = await withRetries(() => fetchUpload(orgId, remembered.uploadId, signal), options);
      if (state.size === file.size) return { uploadId: remembered.uploadId, chunkSize: remembered.chunkSize, received: state.received };
    } catch (error) {
      // The server no longer has it (expired, imported, cancelled elsewhere): start afresh.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    store.forgetUpload(remembered.uploadId);
  }
  const created = await withRetries(() => createUpload(orgId, { fileName: file.name, size: file.size }, signal), options);
  const chunkSize = created.chunkSize ?? FALLBACK_CHUNK_BYTES;
  store.remember(fingerprint, { orgId, uploadId: created.uploadId, chunkSize });
  return { uploadId: created.uploadId, chunkSize, received: created.received };
}

/**
 * Sends `file` in chunks and returns its upload id once the server holds every byte. A network
 * failure is retried from where the server says it is (a 409 names the offset it expects), and a
 * file chosen again after a reload goes on from the bytes already sent.
 */
export async function uploadInChunks(options: UploadOptions): Promise<string> {
  const { orgId, file, store, signal, onProgress } = options;
  const fingerprint = await store.fingerprint(file);
  const start = await startingPoint(options, fingerprint);
  let received = start.received;
  onProgress({ received, size: file.size });
  while (received < file.size) {
    signal.throwIfAborted();
    const offset = received;
    const chunk = file.slice(offset, Math.min(offset + start.chunkSize, file.size));
    const answer = await withRetries(() => putChunk(orgId, start.uploadId, offset, chunk, signal), options);
    // A server that neither keeps the chunk nor names another offset would make this loop forever.
    if (answer.received === offset) throw new Error(`The server kept none of the bytes sent at offset ${String(offset)}.`);
    received = answer.received;
    onProgress({ received, size: file.size });
  }
  return start.uploadId;
}
