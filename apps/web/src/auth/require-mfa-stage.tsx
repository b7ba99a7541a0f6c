import { Navigate, Outlet, useSearchParams } from 'react-router';
import type { NextStep } from './auth-api';
import { nextStepPath } from './next-step';
import { safeReturnTo, withReturnTo } from './return-to';
import { SessionLoading, SessionUnavailable } from './session-pending';
import { useSession } from './use-session';

/**
 * For the screens between password and second factor: they need a session that has passed the
 * password step and still owes `step`. Anyone else is sent to where they belong.
 */
export function RequireMfaStage({ step }: { step: NextStep }) {
  const { state, refresh } = useSession();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));

  switch (state.status) {
    case 'loading':
      return <SessionLoading />;
    case 'unavailable':
      return (
        <SessionUnavailable
          error={state.error}
          onRetry={() => {
            void refresh().catch(() => undefined);
          }}
        />
      );
    case 'signed-out':
      return <Navigate to={withReturnTo('/sign-in', returnTo)} replace />;
    case 'active': {
      const { stage, next } = state.session;
      if (stage === 'mfa_complete' || next === null) return <Navigate to={returnTo} replace />;
      if (next !== step) return <Navigate to={nextStepPath(next, returnTo)} replace />;
      return <Outlet />;
    }
  }
}
