import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, onSessionLoss, setCsrfToken } from '../api/api-client';
import { fetchSession, signOut as requestSignOut, type Session } from './auth-api';

/** Why nobody is signed in: shown on the sign-in screen so the person knows what happened. */
export type SignedOutReason = 'none' | 'expired' | 'signed-out';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: SignedOutReason }
  | { status: 'unavailable'; error: ApiError }
  | { status: 'active'; session: Session };

export interface SessionContextValue {
  state: SessionState;
  /** Reads the session again and waits for it; rejects when the server cannot be asked. */
  refresh: () => Promise<SessionState>;
  /** Reads the session again in the background: the screen keeps showing what it shows until the answer. */
  revalidate: () => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('invalid-response', error instanceof Error ? error.message : String(error));
}

/** Why a 401 from the session read-out means nobody is signed in now, given what was known before. */
function signedOutReason(previous: SessionState): SignedOutReason {
  // A session that existed a moment ago has ended (timed out, revoked elsewhere).
  if (previous.status === 'active') return 'expired';
  // Keep what an earlier answer already established (e.g. a 401 from another request).
  return previous.status === 'signed-out' ? previous.reason : 'none';
}

/**
 * Holds what the server says about the current session. The cookie is HttpOnly, so
 * GET /api/v1/auth/session is the only way to know; a 401 from any other request means the
 * session ended while in use (revoked, timed out), which sends the person back to sign-in.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setStateValue] = useState<SessionState>({ status: 'loading' });
  const current = useRef(state);
  // Only the newest read may set the state: an older one could answer last with stale news.
  const latestRead = useRef(0);

  const setState = useCallback((next: SessionState) => {
    current.current = next;
    setCsrfToken(next.status === 'active' ? next.session.csrfToken : null);
    setStateValue(next);
  }, []);

  const read = useCallback(
    async (background: boolean): Promise<SessionState> => {
      const id = ++latestRead.current;
      let next: SessionState;
      try {
        next = { status: 'active', session: await fetchSession() };
      } catch (error) {
        const apiError = toApiError(error);
        if (apiError.status === 401) {
          next = { status: 'signed-out', reason: signedOutReason(current.current) };
        } else if (background && current.current.status !== 'loading') {
          return current.current; // A failed background check is no reason to interrupt anyone.
        } else if (current.current.status === 'loading' || current.current.status === 'unavailable') {
          next = { status: 'unavailable', error: apiError };
        } else {
          throw apiError;
        }
      }
      if (id === latestRead.current) setState(next);
      return next;
    },
    [setState],
  );

  useEffect(() => {
    void read(false).catch(() => undefined);
  }, [read]);

  useEffect(
    () =>
      onSessionLoss(() => {
        if (current.current.status === 'active') setState({ status: 'signed-out', reason: 'expired' });
      }),
    [setState],
  );

  const signOut = useCallback(async () => {
    try {
      await requestSignOut();
    } catch (error) {
      // Already signed out on the server: the outcome the person asked for.
      if (toApiError(error).status !== 401) throw error;
    }
    latestRead.current += 1;
    setState({ status: 'signed-out', reason: 'signed-out' });
  }, [setState]);

  const refresh = useCallback(() => read(false), [read]);
  const revalidate = useCallback(() => {
    void read(true).catch(() => undefined);
  }, [read]);

  const value = useMemo<SessionContextValue>(
    () => ({ state, refresh, revalidate, signOut }),
    [state, refresh, revalidate, signOut],
  );

  return <SessionContext value={value}>{children}</SessionContext>;
}
