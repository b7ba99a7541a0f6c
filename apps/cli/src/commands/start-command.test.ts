import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@kindling/db/testing';
import { assertCliBuilt, runCli, stopLeftoverCliProcesses } from '../test-support/cli-process.js';

let home: string;

beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-start-'));
  await fs.chmod(home, 0o711);
});
afterEach(stopLeftoverCliProcesses);
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('kindling start with the embedded database', () => {
  it('serves, refuses a second instance on the same home, and stops cleanly on SIGTERM', async () => {
    const server = runCli(['start'], { KINDLING_HOME: home, PORT: '0' });
    const url = await server.ready();
    expect(server.output()).toMatch(/Database\s+embedded PostgreSQL 1[5-9]/);
    expect(server.output()).toMatch(/Enrolment link for the demo organisation owner .*\n\s+http:\/\/localhost:\d+\/enrol#token=kdl_i_[\w-]{43}\n/);
    expect(server.output()).toMatch(/It holds a synthetic charity: 1,000 contacts, [\d,]+ gifts, [\d,]+ regular gifts, [\d,]+ communications \(import [0-9a-f-]{36}: applied\)\./);

    const admin = runCli(['admin', 'create', '--org', 'Friends of the Forest', '--email', 'owner@forest.example'], { KINDLING_HOME: home });
    expect((await admin.exited()).code).toBe(0);
    expect(admin.output()).toContain('Created organisation "Friends of the Forest"');
    expect(admin.output()).toContain(`${url.replace('127.0.0.1', 'localhost')}/enrol#token=kdl_i_`);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // The status report is for signed-in staff; without a session the API says so.
    const status = await fetch(`${url}/api/v1/status`);
    expect(status.status).toBe(401);
    expect(((await status.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');

    const second = runCli(['start'], { KINDLING_HOME: home, PORT: '0' });
    expect((await second.exited()).code).toBe(1);
    expect(second.errors()).toMatch(/already running from .* \(pid \d+/);

    const postmasterPid = Number(readFileSync(path.join(home, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isAlive(postmasterPid)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited()).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('Kindling stopped.');
    expect(isAlive(postmasterPid)).toBe(false);
    expect(existsSync(path.join(home, 'kindling.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that no longer exists, and keeps the data', async () => {
    await fs.writeFile(path.join(home, 'kindling.lock'), JSON.stringify({ pid: 2 ** 22 + 1, startedAt: '2026-01-01T00:00:00Z' }));
    const server = runCli(['start'], { KINDLING_HOME: home, PORT: '0' });
    const url = await server.ready();
    expect(server.output()).toMatch(/Migrations\s+up to date/);
    expect(server.output()).not.toContain('demo organisation');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    server.child.kill('SIGINT');
    expect((await server.exited()).code).toBe(0);
  });
});

describe('kindling start with an external database (DATABASE_URL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('migrates, connects as the app role, runs the periodic job in its own process, and stops', async () => {
    const externalHome = path.join(home, 'external');
    const server = runCli(['start'], {
      KINDLING_HOME: externalHome,
      PORT: '0',
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_URL: db.appUrl,
    });
    const url = await server.ready();
    expect(server.output()).toMatch(/Database\s+external PostgreSQL/);
    expect(server.output()).not.toContain(new URL(db.ownerUrl).password);
    expect(existsSync(path.join(externalHome, 'postgres'))).toBe(false);

    const deadline = Date.now() + 20_000;
    let prune: { status: string; claimed_by: string | null } | undefined;
    while (Date.now() < deadline) {
      prune = await db.ownerDb
        .selectFrom('job')
        .select(['status', 'claimed_by'])
        .where('name', '=', 'maintenance.prune-job-history')
        .executeTakeFirst();
      if (prune?.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(prune?.status).toBe('succeeded');
    // The identity housekeeping job runs in its own process as the application role, across tenants.
    let identityPrune: { status: string } | undefined;
    while (Date.now() < deadline) {
      identityPrune = await db.ownerDb.selectFrom('job').select('status').where('name', '=', 'maintenance.prune-identity-records').executeTakeFirst();
      if (identityPrune?.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(identityPrune?.status).toBe('succeeded');

    const sessions = await db.ownerDb
      .selectFrom('pg_stat_activity' as never)
      .select(['usename' as never, 'application_name' as never])
      .where('datname' as never, '=', db.name as never)
      .where('application_name' as never, '=', 'kindling-api' as never)
      .execute();
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions as { usename: string }[]) expect(session.usename).toBe('kindling_app');

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited()).code).toBe(0);
    const dispatcher = await db.ownerDb.selectFrom('dispatcher').select('stopped_at').executeTakeFirstOrThrow();
    expect(dispatcher.stopped_at).not.toBeNull();
  });

  it('`kindling db migrate` reports the database as up to date', async () => {
    // DATABASE_APP_URL too: without it Kindling resets the cluster-wide kindling_app password,
    // and tests running alongside that connect as the app role would fail to authenticate.
    const migrate = runCli(['db', 'migrate'], { KINDLING_HOME: path.join(home, 'migrate'), DATABASE_URL: db.ownerUrl, DATABASE_APP_URL: db.appUrl });
    expect((await migrate.exited()).code).toBe(0);
    expect(migrate.output()).toMatch(/Database is up to date/);
  });
});

describe('configuration errors stop the process and name the variable', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://root@localhost/x' }, /DATABASE_URL: must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DATABASE_APP_URL: 'postgres://a@b/c' }, /DATABASE_APP_URL: needs DATABASE_URL/],
  ])('%o', async (env, message) => {
    const cli = runCli(['start'], { KINDLING_HOME: path.join(home, 'bad-config'), ...env });
    expect((await cli.exited()).code).toBe(1);
    expect(cli.errors()).toMatch(message);
    expect(existsSync(path.join(home, 'bad-config'))).toBe(false);
  });

  it('a port already in use gets a clear message and stops PostgreSQL again', async () => {
    const first = runCli(['start'], { KINDLING_HOME: path.join(home, 'port-a'), PORT: '0', DEMO_CONTACTS: '0' });
    const url = new URL(await first.ready());
    const second = runCli(['start'], { KINDLING_HOME: path.join(home, 'port-b'), PORT: url.port, DEMO_CONTACTS: '0' });
    expect((await second.exited()).code).toBe(1);
    expect(second.errors()).toMatch(new RegExp(`Port ${url.port} is already in use`));
    expect(existsSync(path.join(home, 'port-b', 'kindling.lock'))).toBe(false);
    first.child.kill('SIGTERM');
    expect((await first.exited()).code).toBe(0);
  });
});

describe('kindling admin create', () => {
  it('starts the embedded database itself when Kindling is not running, and stops it again', async () => {
    const admin = runCli(['admin', 'create', '--org', 'River Trust', '--email', 'chair@river.example'], { KINDLING_HOME: home });
    expect((await admin.exited()).code).toBe(0);
    expect(admin.output()).toMatch(/enrol#token=kdl_i_/);
    expect(existsSync(path.join(home, 'kindling.lock'))).toBe(false);
  });

  it('resets a person’s second factor through `admin reset-mfa`, and names an unknown address', async () => {
    const reset = runCli(['admin', 'reset-mfa', '--email', 'chair@river.example'], { KINDLING_HOME: home });
    expect((await reset.exited()).code).toBe(0);
    expect(reset.output()).toContain('Two-step verification of chair@river.example was reset');
    const unknown = runCli(['admin', 'reset-mfa', '--email', 'nobody@river.example'], { KINDLING_HOME: home });
    expect((await unknown.exited()).code).toBe(1);
    expect(unknown.errors()).toContain('No account has that e-mail address.');
    expect(unknown.errors()).not.toContain('nobody@river.example');
  });

  it('names what is wrong with its arguments', async () => {
    const admin = runCli(['admin', 'create', '--org', ' ', '--email', 'not-an-address'], { KINDLING_HOME: home });
    expect((await admin.exited()).code).toBe(1);
    expect(admin.errors()).toMatch(/--org must name the organisation; --email must be an email address/);
  });
});

describe('kindling job run', () => {
  it('refuses to run outside the dispatcher', async () => {
    const cli = runCli(['job', 'run', '00000000-0000-0000-0000-000000000000'], { KINDLING_HOME: path.join(home, 'job') });
    expect((await cli.exited()).code).toBe(1);
    expect(cli.errors()).toMatch(/JOB_DATABASE_URL is not set/);
  });
});
