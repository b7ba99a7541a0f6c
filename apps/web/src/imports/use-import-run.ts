import { useEffect, useState } from 'react';
import { fetchImportRun, type ImportRun } from './imports-api';
import { isUnderway } from './run-summary';
import { isTransient } from './chunked-upload';

/** How often a running import is asked about: often enough to feel live, rarely enough to cost nothing. */
const POLL_MS = 1_000;

export type RunResource = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; run: ImportRun };

/**
 * One import run, asked for again every second while it is queued or running. A brief network
 * failure while polling keeps the last answer on screen and asks again; other failures show.
 */
export function useImportRun(orgId: string, runId: string, round = 0): RunResource {
  const [state, setState] = useState<{ key: string; resource: RunResource }>({ key: '', resource: { status: 'loading' } });
  const key = `${orgId}/${runId}/${String(round)}`;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      fetchImportRun(orgId, runId, controller.signal).then(
        (run) => {
          if (controller.signal.aborted) return;
          setState({ key, resource: { status: 'ready', run } });
          if (isUnderway(run.status)) timer = setTimeout(ask, POLL_MS);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          if (isTransient(error)) {
            timer = setTimeout(ask, POLL_MS * 3);
            return;
          }
          setState({ key, resource: { status: 'failed', error } });
        },
      );
    };
    ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [orgId, runId, key]);

  return state.key === key ? state.resource : { status: 'loading' };
}
