/** Paths owned by the API: the Node server never answers them from the web app (no index.html fallback). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz';
}
