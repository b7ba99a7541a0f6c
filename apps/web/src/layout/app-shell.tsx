import { Burger, NavLink } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Fragment } from 'react';
import { Link, Outlet, matchPath, useLocation } from 'react-router';
import { useSession } from '../auth/use-session';
import classes from './app-shell.module.css';
import { KindlingLogo } from './kindling-logo';
import { navItemsFor } from './navigation';
import { MAIN_ID } from './skip-link';
import { UserMenu } from './user-menu';

const NAV_ID = 'primary-navigation';

/*
 * Hand-built rather than Mantine's <AppShell>: AppShell always renders a
 * runtime <style> element for its layout variables, which the strict CSP
 * (style-src 'self') blocks. The layout lives in app-shell.module.css instead.
 */
export function AppShell() {
  const [navOpen, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  const { state } = useSession();
  const session = state.status === 'active' ? state.session : null;
  const role = session?.organisations.find((organisation) => organisation.id === session.currentOrganisationId)?.role ?? null;

  return (
    <div className={classes.shell}>
      <header className={classes.header}>
        <Burger
          className={classes.burger}
          opened={navOpen}
          onClick={nav.toggle}
          size="sm"
          aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
          aria-expanded={navOpen}
          aria-controls={NAV_ID}
        />
        <KindlingLogo />
        <div className={classes.headerEnd}>
          {session ? <UserMenu session={session} /> : null}
        </div>
      </header>

      <div className={classes.body}>
        <div className={classes.navColumn} data-open={navOpen || undefined}>
          <nav id={NAV_ID} aria-label="Main" className={classes.nav}>
          <ul className={classes.navList}>
            {navItemsFor(role).map(({ path, label, icon: Icon }) => {
              // A section stays highlighted on its sub-screens (/settings/users); Overview only on itself.
              const active = matchPath({ path, end: path === '/' }, pathname) !== null;
              return (
                <li key={path}>
                  <NavLink
                    component={Link}
                    to={path}
                    label={label}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    leftSection={<Icon size={20} stroke={1.75} aria-hidden />}
                    onClick={nav.close}
                    className={classes.navLink}
                  />
                </li>
              );
            })}
          </ul>
          </nav>
        </div>

        <main id={MAIN_ID} tabIndex={-1} className={classes.main}>
          {/* Keyed by organisation: after a switch, the screen starts afresh with the new organisation's data. */}
          <Fragment key={session?.currentOrganisationId ?? 'none'}>
            <Outlet />
          </Fragment>
        </main>
      </div>
    </div>
  );
}
