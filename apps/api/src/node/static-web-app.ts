import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import type { ApiEnv } from '../app-env.js';
import { accessLog } from '../http/access-log.js';
import { installErrorMapping } from '../http/error-mapping.js';
import { requestId } from '../http/request-id.js';
import { securityHeaders } from '../http/security-headers.js';

export const hashedAssetCacheControl = 'public, max-age=31536000, immutable';
export const revalidateCacheControl = 'no-cache';

/** Hashed build output lives under /assets; its names change with its content. */
function isHashedAsset(path: string): boolean {
  return path.startsWith('/assets/');
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('.'));
}

function cacheControl(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const value = c.res.ok ? (isHashedAsset(c.req.path) ? hashedAssetCacheControl : revalidateCacheControl) : 'no-store';
    c.header('Cache-Control', value);
  };
}

/**
 * Serves the built web app (Node only): files from `webRoot`, hashed assets cached for a year,
 * everything else revalidated, and `index.html` for any other path so client-side routes load.
 * A missing file under /assets is a 404, never index.html. Same request id, access log, security
 * headers and error body as the API.
 */
export function createStaticWebApp(webRoot: string, logger: Logger): Hono<ApiEnv> {
  const root = resolve(webRoot);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- operator-configured path, not request input
  if (!existsSync(resolve(root, 'index.html'))) {
    throw new AppError('CONFIG_INVALID', `The web root ${root} has no index.html: build the web app or fix the web root path`);
  }
  const files = serveStatic<ApiEnv>({ root });
  const indexHtml = serveStatic<ApiEnv>({ root, path: 'index.html' });

  const web = new Hono<ApiEnv>();
  web.use('*', requestId(logger));
  web.use('*', accessLog());
  web.use('*', securityHeaders());
  web.use('*', cacheControl());
  installErrorMapping(web, logger);

  web.get('/assets/*', files, (c) => c.notFound());
  web.get('*', (c, next) => (hasDotSegment(c.req.path) ? next() : files(c, next)), indexHtml);
  return web;
}
