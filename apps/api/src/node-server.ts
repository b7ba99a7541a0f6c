import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings, type Http2Bindings } from '@hono/node-server';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import type { ApiBindings } from './app-env.js';
import { isApiPath } from './http/api-paths.js';
import { createStaticWebApp } from './node/static-web-app.js';

/** Anything with a Web-standard fetch, such as the app `createApp` returns. */
export interface FetchApp {
  /** `bindings` carries what only the runtime knows, such as the peer address of the socket. */
  fetch(request: Request, bindings?: ApiBindings): Response | Promise<Response>;
}

export interface NodeServerOptions {
  readonly app: FetchApp;
  readonly host: string;
  /** 0 picks a free port; read the result from `url`. */
  readonly port: number;
  /** Folder of the built web app; when set, non-API GET requests are served from it. */
  readonly webRoot?: string;
  readonly logger: Logger;
  /** How long `close()` lets in-flight requests run before cutting connections; 10000 by default. */
  readonly shutdownTimeoutMs?: number;
}

export interface RunningNodeServer {
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish (bounded), then resolves. */
  close(): Promise<void>;
}

const defaultShutdownTimeoutMs = 10_000;
const idleSweepIntervalMs = 50;

function listenError(error: NodeJS.ErrnoException, host: string, port: number): AppError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new AppError('CONFIG_INVALID', `Port ${String(port)} is already in use on ${host}: stop the other process or set PORT`, { cause: error });
    case 'EACCES':
      return new AppError('CONFIG_INVALID', `Not permitted to listen on port ${String(port)} of ${host}: choose a port above 1023 or set PORT`, { cause: error });
    case 'EADDRNOTAVAIL':
      return new AppError('CONFIG_INVALID', `Address ${host} is not available on this machine: listen on a local address`, { cause: error });
    default:
      return new AppError('INTERNAL', `Could not listen on ${host}:${String(port)}: ${error.message}`, { cause: error });
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Keep-alive connections that finish their last response are closed as they become idle.
    const sweep = setInterval(() => {
      server.closeIdleConnections();
    }, idleSweepIntervalMs);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
    }, timeoutMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error === undefined) resolve();
      else reject(error);
    });
    server.closeIdleConnections();
  });
}

/**
 * Serves the app over HTTP/1.1 under Node. Resolves once listening; a port in use or another
 * listen failure rejects with an AppError that says what to do.
 */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningNodeServer> {
  const { app, host, port, logger } = options;
  const web = options.webRoot === undefined ? undefined : createStaticWebApp(options.webRoot, logger);

  const fetch = (request: Request, env: HttpBindings | Http2Bindings): Response | Promise<Response> => {
    if (web !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
      if (!isApiPath(new URL(request.url).pathname)) return web.fetch(request);
    }
    // The core sees only the peer address, not Node's request object: it stays runtime-neutral.
    return app.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress });
  };

  const server = serve({ fetch, hostname: host, port });
  if (!(server instanceof Server)) throw new AppError('INTERNAL', 'Expected an HTTP/1.1 server from @hono/node-server');

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
  });
  server.on('error', (error) => {
    logger.error({ err: error }, 'HTTP server error');
  });

  const address = server.address() as AddressInfo;
  // Plain HTTP by design: TLS is terminated in front of the process (load balancer or proxy).
  // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- describes the listening socket
  const url = `http://${urlHost(host)}:${String(address.port)}`;
  logger.info({ url, webRoot: options.webRoot ?? null }, 'HTTP server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= closeGracefully(server, options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs).then(() => {
        logger.info({ url }, 'HTTP server closed');
      });
      return closing;
    },
  };
}
