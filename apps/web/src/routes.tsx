import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppShell } from './layout/app-shell';
import { PublicLayout } from './layout/public-layout';
import { RootLayout } from './layout/root-layout';
import { ComingSoon } from './pages/coming-soon';
import { COMING_SOON_SCREENS } from './pages/coming-soon-screens';
import { NotFoundPage } from './pages/not-found-page';
import { RouteErrorPage } from './pages/route-error-page';
import { SignInPage } from './pages/sign-in-page';
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
        element: <PublicLayout />,
        children: [{ path: '/sign-in', element: <SignInPage /> }],
      },
      {
        path: '/',
        element: <AppShell />,
        children: [...comingSoonRoutes, { path: '/status', element: <StatusPage /> }, { path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
