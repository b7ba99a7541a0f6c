import { useCallback, useEffect, useState } from 'react';

export type Resource<T> = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; data: T };

export interface ResourceHandle<T> {
  resource: Resource<T>;
  /** Reads again, showing the loading state (the "Try again" of a failed load). */
  reload: () => void;
  /** Reads again while the screen keeps showing what it has: after a change the server decides the outcome of. */
  refresh: () => void;
}

type Fetch<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Loads `fetch` when the screen opens, again on `reload`/`refresh`, and whenever `fetch` changes
 * (so it must be stable: useCallback). What an older `fetch` loaded is never shown as the answer
 * of a newer one, and an answer that arrives after the screen moved on is dropped.
 */
export function useResource<T>(fetch: Fetch<T>): ResourceHandle<T> {
  const [state, setState] = useState<{ source: Fetch<T> | null; resource: Resource<T> }>({ source: null, resource: { status: 'loading' } });
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetch(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ source: fetch, resource: { status: 'ready', data } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ source: fetch, resource: { status: 'failed', error } });
      },
    );
    return () => {
      controller.abort();
    };
  }, [fetch, round]);

  const reload = useCallback(() => {
    setState({ source: null, resource: { status: 'loading' } });
    setRound((previous) => previous + 1);
  }, []);

  const refresh = useCallback(() => {
    setRound((previous) => previous + 1);
  }, []);

  return { resource: state.source === fetch ? state.resource : { status: 'loading' }, reload, refresh };
}
