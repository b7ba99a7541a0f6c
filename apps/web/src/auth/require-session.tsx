import { useEffect, useRef } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { PublicLayout } from '../layout/public-layout';
import { nextStepPath } from './next-step';
import { withReturnTo } from './return-to';
import type { SignInLocationState } from './sign-in-notice';
import { SessionLoading, SessionUnavailable } from './session-pending';
import { useSession } from './use-session';

/**
 * Asks the server again whenever the person moves to another screen or comes back to the tab, so
 * a session revoked elsewhere or timed out is noticed at the next step rather than at the next save.
 */
function useRevalidation(revalidate: () => void) {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    revalidate();
  }, [pathname, revalidate]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') revalidate();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [revalidate]);
}

/** Every app screen needs a fully signed-in session (password and second factor). */
export function RequireSession() {
  const { state, refresh, revalidate } = useSession();
  const location = useLocation();
  useRevalidation(revalidate);
  const here = `${location.pathname}${location.search}${location.hash}`;

  switch (state.status) {
    case 'loading':
      return (
        <PublicLayout>
          <SessionLoading />
        </PublicLayout>
      );
    case 'unavailable':
      return (
        <PublicLayout>
          <SessionUnavailable
            error={state.error}
            onRetry={() => {
              void refresh().catch(() => undefined);
            }}
          />
        </PublicLayout>
      );
    case 'signed-out': {
      const notice: SignInLocationState = { reason: state.reason };
      const destination = state.reason === 'signed-out' ? '/sign-in' : withReturnTo('/sign-in', here);
      return <Navigate to={destination} replace state={notice} />;
    }
    case 'active': {
      const { stage, next } = state.session;
      if (stage !== 'mfa_complete') return <Navigate to={nextStepPath(next ?? 'verify_mfa', here)} replace />;
      return <Outlet />;
    }
  }
}
