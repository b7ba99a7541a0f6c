import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createDataProtection, createInMemoryKeyStore } from '@kindling/crypto';
import { createDatabase } from '@kindling/db';
import { createIdentityServices, createLogMailer, type IdentityServices } from '@kindling/identity';
import { createLogger, type Logger } from '@kindling/logger';
import { createCampaignTagService } from '@kindling/reference-store';
import type { ApiDependencies, Readiness, StatusSource } from '../dependencies.js';
import type { StatusReport } from '../schemas/status-report.js';
import { importTestServices } from './import-test-services.js';

/** A pino destination that keeps every line, parsed, so tests can read what was logged. */
export interface LogCapture {
  readonly lines: Record<string, unknown>[];
  write(message: string): void;
}

export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    write(message) {
      lines.push(JSON.parse(message) as Record<string, unknown>);
    },
  };
}

/** Readiness that fails the way a database client does when PostgreSQL is down. */
export class SwitchableReadiness implements Readiness {
  ready = true;

  check(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  }
}

export const sampleStatusReport: StatusReport = {
  version: '0.1.0-test',
  uptimeSeconds: 42.5,
  time: '2030-01-02T03:04:05.000Z',
  database: {
    reachable: true,
    serverVersion: '17.2',
    latencyMs: 1.3,
    migrations: { applied: 7, latest: '0007_jobs' },
  },
  jobs: {
    dispatcher: { running: true, lastHeartbeatAt: '2030-01-02T03:04:00.000Z' },
    queued: 3,
    running: 1,
    failedLast24h: 0,
  },
};

export class FixedStatusSource implements StatusSource {
  constructor(private readonly value: StatusReport = sampleStatusReport) {}

  report(): Promise<StatusReport> {
    return Promise.resolve(this.value);
  }
}

export interface TestDependencies {
  readonly deps: ApiDependencies;
  readonly logs: LogCapture;
  readonly logger: Logger;
  readonly readiness: SwitchableReadiness;
}

export const testBodyLimitBytes = 1024;

export const testPublicUrl = 'http://localhost:8080';

/** A per-run secret, as an installation generates its own: no fixed secret in the code. */
export const testSessionSecret = randomBytes(32).toString('base64url');

/** A database that is never reached (nothing listens on port 9): a request that asked it would fail loudly. */
const offlineDatabase = () => createDatabase({ url: 'postgres://kindling@127.0.0.1:9/offline', maxConnections: 1, applicationName: 'kindling-api-test-offline' });

/**
 * The real identity services over the offline database: for tests of the HTTP machinery, whose
 * requests carry no session cookie and so never ask the database anything.
 */
export function offlineIdentityServices(logger: Logger): IdentityServices {
  return createIdentityServices({
    db: offlineDatabase(),
    fields: createDataProtection({ keyStore: createInMemoryKeyStore() }),
    mailer: createLogMailer(logger),
    publicUrl: testPublicUrl,
  });
}

/** The real import service over the offline database (its object folder is never written). */
function offlineImportService(identity: IdentityServices): ApiDependencies['imports'] {
  return importTestServices({
    db: offlineDatabase(),
    fields: createDataProtection({ keyStore: createInMemoryKeyStore() }),
    objectRoot: path.join(os.tmpdir(), 'kindling-api-test-offline-objects'),
    names: identity.directory,
  }).imports;
}

export function testDependencies(overrides: Partial<ApiDependencies> = {}): TestDependencies {
  const logs = captureLogs();
  const logger = createLogger({ level: 'debug', name: 'api-test', destination: logs });
  const readiness = new SwitchableReadiness();
  const identity = overrides.identity ?? offlineIdentityServices(logger);
  const deps: ApiDependencies = {
    logger,
    version: '0.1.0-test',
    bodyLimitBytes: testBodyLimitBytes,
    readiness,
    status: new FixedStatusSource(),
    identity,
    clientAddress: { trustedProxyHops: 0 },
    sessionSecret: testSessionSecret,
    publicUrl: testPublicUrl,
    campaignTags: overrides.campaignTags ?? createCampaignTagService({ db: offlineDatabase() }),
    imports: overrides.imports ?? offlineImportService(identity),
    ...overrides,
  };
  return { deps, logs, logger, readiness };
}
