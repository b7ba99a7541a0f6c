import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { fetchServerStatus, probe, type ProbeResult, type ServerStatus } from '../api/status-api';

export interface StatusSnapshot {
  status: ServerStatus;
  healthz: ProbeResult;
  readyz: ProbeResult;
  checkedAt: Date;
}

export interface StatusPoll {
  /** Latest successful check; kept while a later check fails so the page does not go blank. */
  snapshot: StatusSnapshot | null;
  error: ApiError | null;
  pending: boolean;
  refresh: () => void;
}

async function loadSnapshot(signal: AbortSignal): Promise<StatusSnapshot> {
  const [status, healthz, readyz] = await Promise.all([
    fetchServerStatus(signal),
    probe('/healthz', signal),
    probe('/readyz', signal),
  ]);
  return { status, healthz, readyz, checkedAt: new Date() };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('invalid-response', error instanceof Error ? error.message : String(error));
}

/** Polls the status endpoints, waiting `intervalMs` after each check finishes so requests never overlap. */
export function useStatusPoll(intervalMs: number): StatusPoll {
  const [round, setRound] = useState(0);
  const [state, setState] = useState<Omit<StatusPoll, 'refresh'>>({ snapshot: null, error: null, pending: true });

  const refresh = useCallback(() => {
    setState((previous) => ({ ...previous, pending: true }));
    setRound((previous) => previous + 1);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    loadSnapshot(controller.signal)
      .then(
        (snapshot) => {
          if (!controller.signal.aborted) setState({ snapshot, error: null, pending: false });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState((previous) => ({ snapshot: previous.snapshot, error: toApiError(error), pending: false }));
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) timer = setTimeout(refresh, intervalMs);
      });
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [round, intervalMs, refresh]);

  return { ...state, refresh };
}
