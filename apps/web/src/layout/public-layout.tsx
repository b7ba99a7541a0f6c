import { Outlet } from 'react-router';
import { KindlingLogo } from './kindling-logo';
import classes from './public-layout.module.css';
import { MAIN_ID } from './skip-link';

/** Layout for screens used before signing in: no navigation, content centred. */
export function PublicLayout() {
  return (
    <div className={classes.layout}>
      <header className={classes.header}>
        <KindlingLogo />
      </header>
      <main id={MAIN_ID} tabIndex={-1} className={classes.main}>
        <Outlet />
      </main>
    </div>
  );
}
