import type { MouseEvent } from 'react';
import classes from './skip-link.module.css';

export const MAIN_ID = 'main';

// Focus is moved by hand: following "#main" would make the router treat the
// hash change as a navigation, and some browsers scroll without moving focus.
function focusMain(event: MouseEvent<HTMLAnchorElement>) {
  const main = document.getElementById(MAIN_ID);
  if (!main) return;
  event.preventDefault();
  main.focus();
}

export function SkipLink() {
  return (
    <a className={classes.skipLink} href={`#${MAIN_ID}`} onClick={focusMain}>
      Skip to main content
    </a>
  );
}
