const HOME = '/';
const ORIGIN = 'https://kindling.invalid';
// Screens of the sign-in journey itself: returning to one of them after signing in would loop.
const JOURNEY_PATHS = ['/sign-in', '/enrol', '/mfa/'];

/**
 * Where to go after signing in. Only a same-origin relative path is accepted: anything that
 * could leave the site (`https://…`, `//host`, `/\host`, `javascript:`) becomes the Overview, so
 * a crafted link cannot bounce someone who just signed in to another site.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return HOME;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is rejected here
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return HOME;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return HOME;
  }
  if (url.origin !== ORIGIN) return HOME;
  if (JOURNEY_PATHS.some((path) => url.pathname === path || url.pathname.startsWith(path))) return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `path` with `?returnTo=` added, unless the destination is the Overview anyway. */
export function withReturnTo(path: string, returnTo: string): string {
  const safe = safeReturnTo(returnTo);
  return safe === HOME ? path : `${path}?${new URLSearchParams({ returnTo: safe }).toString()}`;
}
