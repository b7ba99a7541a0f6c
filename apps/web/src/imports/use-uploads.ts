import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-client';
import { describeApiError } from '../api/api-error-details';
import { uploadInChunks } from './chunked-upload';
import { deleteUpload, fetchUpload } from './imports-api';
import { UploadResumeStore } from './upload-resume-store';

export type UploadStatus = 'uploading' | 'waiting' | 'done' | 'failed';

/** One file on the upload list. Names live in memory only, never in storage or addresses. */
export interface UploadItem {
  key: string;
  name: string;
  size: number;
  received: number;
  status: UploadStatus;
  uploadId: string | null;
  /** While waiting after a network failure: when the next attempt starts (epoch ms). */
  retryAt: number | null;
  error: string | null;
}

/** An upload this tab began before a reload that still lacks bytes: the file must be chosen again. */
export interface InterruptedUpload {
  uploadId: string;
  name: string;
  size: number;
  received: number;
}

let nextKey = 0;

/**
 * The upload list of the import screen: starts an upload per file, keeps each one's progress,
 * cancels on request and when the screen closes, and after a reload picks up what this tab left:
 * finished uploads come back on the list, unfinished ones are offered for the file to be chosen again.
 */
export function useUploads(orgId: string) {
  const store = useMemo(() => new UploadResumeStore(sessionStorage), []);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [interrupted, setInterrupted] = useState<InterruptedUpload[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  const update = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    // Leaving the screen stops the uploads; this tab remembers them, so choosing the files again goes on.
    const running = controllers.current;
    void Promise.all(
      store.pending(orgId).map(async (entry) => {
        try {
          const state = await fetchUpload(orgId, entry.uploadId, controller.signal);
          return { ...state, name: state.fileName };
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) store.forgetUpload(entry.uploadId);
          return null;
        }
      }),
    ).then((found) => {
      if (controller.signal.aborted) return;
      const known = found.filter((entry) => entry !== null);
      const restored = known.filter((entry) => entry.received >= entry.size);
      setItems((current) => [
        ...restored
          .filter((entry) => !current.some((item) => item.uploadId === entry.uploadId))
          .map((entry): UploadItem => ({ key: `restored-${entry.uploadId}`, name: entry.name, size: entry.size, received: entry.size, status: 'done', uploadId: entry.uploadId, retryAt: null, error: null })),
        ...current,
      ]);
      setInterrupted(known.filter((entry) => entry.received < entry.size).map(({ uploadId, name, size, received }) => ({ uploadId, name, size, received })));
    });
    return () => {
      controller.abort();
      for (const upload of running.values()) upload.abort();
    };
  }, [orgId, store]);

  const start = useCallback(
    (file: File) => {
      const key = `upload-${String(++nextKey)}`;
      const controller = new AbortController();
      controllers.current.set(key, controller);
      setItems((current) => [...current, { key, name: file.name, size: file.size, received: 0, status: 'uploading', uploadId: null, retryAt: null, error: null }]);
      setInterrupted((current) => current.filter((entry) => entry.name !== file.name || entry.size !== file.size));
      uploadInChunks({
        orgId,
        file,
        store,
        signal: controller.signal,
        onProgress: ({ received }) => {
          update(key, { received, status: 'uploading', retryAt: null });
        },
        onWaiting: (delayMs) => {
          update(key, delayMs === null ? { status: 'uploading', retryAt: null } : { status: 'waiting', retryAt: Date.now() + delayMs });
        },
      }).then(
        (uploadId) => {
          update(key, { status: 'done', uploadId, received: file.size, retryAt: null });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          update(key, { status: 'failed', retryAt: null, error: describeApiError(error) });
        },
      ).finally(() => {
        controllers.current.delete(key);
      });
    },
    [orgId, store, update],
  );

  /** Stops an upload (or drops a finished one) and tells the server to discard its bytes. */
  const remove = useCallback(
    (item: UploadItem) => {
      controllers.current.get(item.key)?.abort(new DOMException('Cancelled', 'AbortError'));
      controllers.current.delete(item.key);
      setItems((current) => current.filter((candidate) => candidate.key !== item.key));
      const uploadId = item.uploadId;
      if (uploadId !== null) discard(orgId, store, uploadId);
    },
    [orgId, store],
  );

  const dismissInterrupted = useCallback(
    (entry: InterruptedUpload) => {
      setInterrupted((current) => current.filter((candidate) => candidate.uploadId !== entry.uploadId));
      discard(orgId, store, entry.uploadId);
    },
    [orgId, store],
  );

  /** After the import has taken the files: they are no longer offered again after a reload. */
  const release = useCallback(() => {
    for (const item of items) if (item.uploadId !== null) store.forgetUpload(item.uploadId);
    setItems([]);
  }, [items, store]);

  return { items, interrupted, start, remove, dismissInterrupted, release };
}

function discard(orgId: string, store: UploadResumeStore, uploadId: string): void {
  store.forgetUpload(uploadId);
  // Best effort: an upload nobody finishes is pruned by the server after a day anyway.
  void deleteUpload(orgId, uploadId).catch(() => undefined);
}
