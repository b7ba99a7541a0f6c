import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createApp } from '@kindling/api';
import { startNodeServer, type RunningNodeServer } from '@kindling/api/node';
import type { Config } from '@kindling/config';
import { localRootKeyPath } from '@kindling/crypto';
import { createDatabase, pingDatabase, type Database, type Kysely } from '@kindling/db';
import type { Logger } from '@kindling/logger';
import { createCampaignTagService } from '@kindling/reference-store';
import { webDistPath } from '@kindling/web/dist-path';
import { createDispatcher, createLocalProcessRunner, pruneIdentityRecordsJob, pruneJobHistory, type Dispatcher } from '@kindling/worker';
import { cliEntryPath } from '../runtime/cli-entry.js';
import { setUpDatabase, type DatabaseSetup } from '../runtime/database-setup.js';
import { acquireInstanceLock, type InstanceLock } from '../runtime/instance-lock.js';
import { kindlingVersion } from '../runtime/package-version.js';
import { bootstrapDemoOrganisation } from '../runtime/demo-organisation.js';
import { createConfiguredImportService } from '../runtime/import-services.js';
import { createPlatformServices } from '../runtime/platform-services.js';
import { removeStaleScratch } from '../runtime/scratch-root.js';
import { createStatusSource } from '../runtime/status-source.js';

interface Running {
  lock?: InstanceLock;
  database?: DatabaseSetup;
  appDb?: Kysely<Database>;
  dispatcher?: Dispatcher;
  server?: RunningNodeServer;
}

/**
 * `kindling start`: the whole platform in one process tree — PostgreSQL (embedded unless
 * DATABASE_URL is set), migrations, the API serving the web app, and the job dispatcher.
 * Every part started is stopped in reverse order on SIGINT/SIGTERM or on a failed start.
 */
export async function startCommand(requested: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  const config = await withConcretePort(requested);
  const running: Running = {};
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopAll(running, logger));

  try {
    // 0o711: others may traverse (PostgreSQL runs as its own user under root) but not list.
    await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
    running.lock = await acquireInstanceLock(config.home);
    await removeStaleScratch(config, logger);
    running.database = await setUpDatabase(config, logger);
    running.appDb = createDatabase({ url: running.database.appUrl, maxConnections: 10, applicationName: 'kindling-api' });
    const appDb = running.appDb;
    await running.lock.update({ postgresPort: running.database.embeddedPort });
    const platform = await createPlatformServices(config, appDb, logger);
    const demoLink = await bootstrapDemoOrganisation(config, appDb, platform);

    running.dispatcher = createDispatcher({
      db: appDb,
      logger,
      concurrency: config.jobs.concurrency,
      pollIntervalMs: config.jobs.pollIntervalMs,
      runner: createLocalProcessRunner({
        command: [process.execPath, cliEntryPath, 'job', 'run'],
        env: jobProcessEnv(config, running.database.appUrl),
        onOutput: (line) => process.stdout.write(`${line}\n`),
      }),
      periodicJobs: [
        { definition: pruneJobHistory, payload: { retentionDays: 30 }, everyHours: 24 },
        {
          definition: pruneIdentityRecordsJob,
          payload: { sessionIdleMinutes: config.sessions.idleMinutes, invitationRetentionDays: 30 },
          everyHours: 6,
        },
      ],
    });
    await running.dispatcher.start();

    const app = createApp({
      logger,
      version: kindlingVersion,
      bodyLimitBytes: config.http.bodyLimitBytes,
      readiness: { check: () => pingDatabase(appDb) },
      status: createStatusSource(appDb, kindlingVersion),
      identity: platform.identity,
      clientAddress: { trustedProxyHops: config.http.trustedProxyHops },
      sessionSecret: platform.sessionSecret,
      publicUrl: config.http.publicUrl,
      imports: createConfiguredImportService(config, appDb, platform),
      campaignTags: createCampaignTagService({ db: appDb }),
    });
    const webBuilt = existsSync(path.join(webDistPath, 'index.html'));
    if (!webBuilt) logger.warn({ webDistPath }, 'the web app is not built (run `npm run build`); serving the API only');
    running.server = await startNodeServer({
      app,
      host: config.http.host,
      port: config.http.port,
      logger,
      ...(webBuilt ? { webRoot: webDistPath } : {}),
    });
    await running.lock.update({ url: running.server.url, postgresPort: running.database.embeddedPort, publicUrl: config.http.publicUrl });

    print(banner(config, running.database, running.server.url, webBuilt));
    if (demoLink !== undefined) print(demoLink);
  } catch (error) {
    await stop();
    throw error;
  }

  await new Promise<void>((resolve) => {
    let firstSignalAt = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping !== undefined) {
        // `npm start` forwards the terminal's Ctrl-C, so one keypress can arrive twice: only a
        // deliberate second press, a moment later, forces the exit.
        if (Date.now() - firstSignalAt < 1500) return;
        print('Stop requested again: forcing exit.');
        process.exit(1);
      }
      firstSignalAt = Date.now();
      print(`\n${signal} received: stopping Kindling (press Ctrl-C again to force)…`);
      void stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  print('Kindling stopped.');
}

/**
 * PORT=0 asks for any free port. It is chosen here, before anything starts, because links in
 * invitations (PUBLIC_URL's default) must name the port the server will really listen on.
 */
async function withConcretePort(config: Config): Promise<Config> {
  if (config.http.port !== 0) return config;
  const port = await findFreePort(config.http.host);
  const publicUrl = config.http.publicUrlExplicit ? config.http.publicUrl : `http://localhost:${String(port)}`;
  return { ...config, http: { ...config.http, port, publicUrl } };
}

function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the free port'));
      });
    });
  });
}

/** A job process gets the app-role database URL and nothing else of this process's secrets. */
function jobProcessEnv(config: Config, appUrl: string): Record<string, string> {
  const env: Record<string, string> = { JOB_DATABASE_URL: appUrl, LOG_LEVEL: config.logLevel, NODE_ENV: config.nodeEnv, KINDLING_HOME: config.home };
  // A job reads and writes encrypted data, so it needs the same root key and object store; with
  // AWS (KMS, S3) it also needs the credential chain's variables, and nothing else.
  const usesAws = config.rootKey.kind === 'aws-kms' || config.objectStore.kind === 's3';
  for (const name of ['PATH', 'TZ', 'LANG', ...dataProtectionVariables, ...(usesAws ? awsCredentialVariables : [])]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

const dataProtectionVariables = ['ROOT_KEY', 'KMS_KEY_ID', 'AWS_REGION', 'OBJECT_STORE_S3_BUCKET', 'OBJECT_STORE_S3_ENDPOINT', 'OBJECT_STORE_S3_KMS_KEY_ID'];
const awsCredentialVariables = [
  'HOME',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

async function stopAll(running: Running, logger: Logger): Promise<void> {
  const steps: [string, (() => Promise<void>) | undefined][] = [
    ['HTTP server', running.server?.close.bind(running.server)],
    ['job dispatcher', running.dispatcher?.stop.bind(running.dispatcher)],
    ['database connections', running.appDb?.destroy.bind(running.appDb)],
    ['PostgreSQL', running.database?.stop.bind(running.database)],
    ['instance lock', running.lock?.release.bind(running.lock)],
  ];
  for (const [name, step] of steps) {
    if (step === undefined) continue;
    try {
      await step();
    } catch (error) {
      // Keep going: a failure to stop one part must not leave the later ones (PostgreSQL) running.
      logger.error({ err: error }, `could not stop the ${name} cleanly`);
    }
  }
}

function banner(config: Config, database: DatabaseSetup, url: string, webBuilt: boolean): string {
  const localUrl = url.replace('://127.0.0.1:', '://localhost:');
  return [
    '',
    `Kindling ${kindlingVersion} is running`,
    `  Web app and API   ${localUrl}${webBuilt ? '' : '  (web app not built: run npm run build)'}`,
    `  Health            ${localUrl}/readyz`,
    `  API reference     ${localUrl}/api/v1/openapi.json`,
    `  Database          ${database.description}`,
    `  Job dispatcher    up to ${String(config.jobs.concurrency)} jobs at a time, one process per job`,
    `  Home              ${config.home}`,
    `  Root key          ${rootKeyDescription(config)}`,
    `  Object store      ${objectStoreDescription(config)} (encrypted per organisation)`,
    database.appliedMigrations.length > 0 ? `  Migrations        applied ${database.appliedMigrations.join(', ')}` : '  Migrations        up to date',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** Which root key is in use, never the key: a ROOT_KEY value is a secret. */
function rootKeyDescription(config: Config): string {
  switch (config.rootKey.kind) {
    case 'local-file':
      return `local key file ${localRootKeyPath(config.home)}`;
    case 'local-value':
      return 'local key from ROOT_KEY';
    case 'aws-kms':
      return `AWS KMS key ${config.rootKey.keyId} (${config.rootKey.region})`;
  }
}

function objectStoreDescription(config: Config): string {
  const store = config.objectStore;
  if (store.kind === 'local-folder') return store.root;
  return store.endpoint === undefined ? `s3://${store.bucket} (${store.region})` : `s3://${store.bucket} at ${store.endpoint}`;
}
