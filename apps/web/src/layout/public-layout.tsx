import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { KindlingLogo } from './kindling-logo';
import classes from './public-layout.module.css';
import { MAIN_ID } from './skip-link';

/** Layout for screens used before signing in: no navigation, content centred. Renders the route's screen unless given `children`. */
export function PublicLayout({ children }: { children?: ReactNode }) {
  return (
    <div className={classes.layout}>
      <header className={classes.header}>
        <KindlingLogo />
      </header>
      <main id={MAIN_ID} tabIndex={-1} className={classes.main}>
        {children ?? <Outlet />}
      </main>
    </div>
  );
}
