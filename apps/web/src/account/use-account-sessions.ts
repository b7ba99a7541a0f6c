import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { fetchAccountSessions, revokeSession, type AccountSession } from './sessions-api';

export type SessionsLoad =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError }
  | { status: 'ready'; sessions: AccountSession[] };

export interface AccountSessions {
  load: SessionsLoad;
  reload: () => void;
  /** Signs the given sessions out one by one; resolves to how many were signed out, rejects on the first failure. */
  revoke: (ids: readonly string[]) => Promise<number>;
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('invalid-response', String(error));
}

// The current session first, then the most recently active.
function ordered(sessions: AccountSession[]): AccountSession[] {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

export function useAccountSessions(): AccountSessions {
  const [load, setLoad] = useState<SessionsLoad>({ status: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchAccountSessions(controller.signal).then(
      (sessions) => {
        if (!controller.signal.aborted) setLoad({ status: 'ready', sessions: ordered(sessions) });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ status: 'failed', error: toApiError(error) });
      },
    );
    return () => {
      controller.abort();
    };
  }, [round]);

  const reload = useCallback(() => {
    setLoad({ status: 'loading' });
    setRound((previous) => previous + 1);
  }, []);

  const revoke = useCallback(async (ids: readonly string[]) => {
    let revoked = 0;
    try {
      for (const id of ids) {
        await revokeSession(id);
        revoked += 1;
        setLoad((previous) =>
          previous.status === 'ready' ? { status: 'ready', sessions: previous.sessions.filter((session) => session.id !== id) } : previous,
        );
      }
    } catch (error) {
      // Whatever happened, the list on screen may now be wrong: read it again.
      setRound((previous) => previous + 1);
      throw toApiError(error);
    }
    return revoked;
  }, []);

  return { load, reload, revoke };
}
