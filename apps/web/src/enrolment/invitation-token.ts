/**
 * The invitation token from the address (`/enrol#token=…`). The fragment is never sent to a
 * server; the token then only ever travels in request bodies.
 */
export function readInvitationToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (hash.length === 0) return null;
  const token = new URLSearchParams(hash).get('token')?.trim() ?? '';
  return token.length > 0 ? token : null;
}

/**
 * Removes the token from the address bar, so it is not left in the browser history, bookmarks or
 * on a shared screen. The router's own history state is kept: only the visible address changes.
 */
export function clearInvitationToken(): void {
  if (window.location.hash.length === 0) return;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
}
