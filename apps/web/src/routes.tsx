import { createBrowserRouter, type RouteObject } from 'react-router';
import { AccountSecurityPage } from './account/account-security-page';
import { MfaRecoverPage } from './auth/mfa-recover-page';
import { MfaSetupPage } from './auth/mfa-setup-page';
import { MfaVerifyPage } from './auth/mfa-verify-page';
import { RequireMfaStage } from './auth/require-mfa-stage';
import { RequireSession } from './auth/require-session';
import { SignInPage } from './auth/sign-in-page';
import { EnrolPage } from './enrolment/enrol-page';
import { CampaignsPage } from './campaigns/campaigns-page';
import { AppShell } from './layout/app-shell';
import { PublicLayout } from './layout/public-layout';
import { RootLayout } from './layout/root-layout';
import { ImportRunPage, ImportsPage } from './imports/imports-page';
import { ComingSoon } from './pages/coming-soon';
import { COMING_SOON_SCREENS } from './pages/coming-soon-screens';
import { NotFoundPage } from './pages/not-found-page';
import { RouteErrorPage } from './pages/route-error-page';
import { ApiTokensPage } from './settings/api-tokens-page';
import { AuditLogPage } from './settings/audit-log-page';
import { SettingsPage } from './settings/settings-page';
import { UsersPage } from './settings/users-page';
import { StatusPage } from './status/status-page';

const comingSoonRoutes: RouteObject[] = COMING_SOON_SCREENS.map((screen) =>
  screen.path === '/'
    ? { index: true, element: <ComingSoon screen={screen} /> }
    : { path: screen.path, element: <ComingSoon screen={screen} /> },
);

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        // The sign-in journey: no navigation, nothing that needs a finished sign-in.
        element: <PublicLayout />,
        children: [
          { path: '/sign-in', element: <SignInPage /> },
          { path: '/enrol', element: <EnrolPage /> },
          { element: <RequireMfaStage step="enrol_totp" />, children: [{ path: '/mfa/setup', element: <MfaSetupPage /> }] },
          {
            element: <RequireMfaStage step="verify_mfa" />,
            children: [
              { path: '/mfa/verify', element: <MfaVerifyPage /> },
              { path: '/mfa/recover', element: <MfaRecoverPage /> },
            ],
          },
        ],
      },
      {
        // Every other screen needs a session that has passed both password and second factor.
        element: <RequireSession />,
        children: [
          {
            path: '/',
            element: <AppShell />,
            children: [
              ...comingSoonRoutes,
              { path: '/campaigns', element: <CampaignsPage /> },
              { path: '/imports', element: <ImportsPage /> },
              { path: '/imports/runs/:runId', element: <ImportRunPage /> },
              { path: '/settings', element: <SettingsPage /> },
              { path: '/settings/users', element: <UsersPage /> },
              { path: '/settings/api-tokens', element: <ApiTokensPage /> },
              { path: '/settings/audit-log', element: <AuditLogPage /> },
              { path: '/status', element: <StatusPage /> },
              { path: '/account/security', element: <AccountSecurityPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
