import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import { SessionProvider } from '../auth/session-context';
import { MAIN_ID, SkipLink } from './skip-link';

/**
 * After a client-side navigation, move focus to the new page's heading so
 * screen readers announce it and keyboard users start from the content. The
 * first render is skipped so the skip link stays the first tab stop.
 */
function useFocusOnNavigation() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const main = document.getElementById(MAIN_ID);
    const target = main?.querySelector<HTMLElement>('h1[tabindex="-1"]') ?? main;
    target?.focus();
  }, [pathname]);
}

export function RootLayout() {
  useFocusOnNavigation();
  return (
    <SessionProvider>
      <SkipLink />
      <Outlet />
    </SessionProvider>
  );
}
