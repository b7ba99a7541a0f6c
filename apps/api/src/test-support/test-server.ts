import type { Logger } from '@kindling/logger';
import { startNodeServer, type FetchApp, type RunningNodeServer } from '../node-server.js';

/** The real Node server on an ephemeral port of the loopback interface. */
export function startTestServer(app: FetchApp, logger: Logger, webRoot?: string): Promise<RunningNodeServer> {
  return startNodeServer({ app, host: '127.0.0.1', port: 0, logger, ...(webRoot === undefined ? {} : { webRoot }) });
}
