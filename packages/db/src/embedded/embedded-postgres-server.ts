import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@kindling/errors';
import { loadPostgresBinaries } from './postgres-binaries.js';

const execFileAsync = promisify(execFile);

/** The superuser that owns the embedded cluster and runs migrations; the app never uses it. */
const ownerRole = 'kindling_owner';
/** PostgreSQL refuses to run as root, so as root we run it as this system user (created if absent). */
const systemUser = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Folder holding `data/` and the owner password; created on first start. */
  readonly directory: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  readonly ownerUrl: string;
  readonly port: number;
  readonly dataDirectory: string;
  readonly pid: number;
  stop(): Promise<void>;
}

interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = await loadPostgresBinaries();
  const dataDirectory = path.join(options.directory, 'data');
  await fs.mkdir(options.directory, { recursive: true, mode: 0o700 });
  const runAs = await resolveRunAs();
  await assertReachableBy(runAs, options.directory);
  const password = await readOrCreateOwnerPassword(options.directory);
  if (!existsSync(path.join(dataDirectory, 'PG_VERSION'))) {
    await initialiseCluster(binaries.initdb, dataDirectory, password, runAs, options.directory);
  }
  await stopOrphanedPostmaster(dataDirectory);
  const port = options.port === 0 ? await findFreePort() : options.port;
  const child = await startPostmaster(binaries.postgres, dataDirectory, port, runAs, options.onLog);
  const ownerUrl = `postgres://${ownerRole}:${encodeURIComponent(password)}@127.0.0.1:${String(port)}/postgres`;
  return {
    ownerUrl,
    port,
    dataDirectory,
    pid: child.pid ?? -1,
    stop: () => stopPostmaster(child),
  };
}

async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = await lookupUser(systemUser).catch(async () => {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', systemUser]);
    return lookupUser(systemUser);
  });
  return ids;
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to traverse every
 * folder above its data folder. Checked up front: initdb's own error would not say which folder.
 */
async function assertReachableBy(runAs: RunAs, directory: string): Promise<void> {
  if (runAs.uid === undefined) return;
  for (let dir = path.dirname(path.resolve(directory)); ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir);
    const traversable = (stat.mode & 0o001) !== 0 || (stat.uid === runAs.uid && (stat.mode & 0o100) !== 0);
    if (!traversable) {
      throw new AppError(
        'UNAVAILABLE',
        `PostgreSQL runs as the system user "${systemUser}" when Kindling runs as root, and cannot enter ${dir}. ` +
          `Allow it (chmod o+x ${dir}) or set KINDLING_HOME to a folder outside it.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function lookupUser(name: string): Promise<Required<RunAs>> {
  const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function chownTree(target: string, runAs: RunAs): Promise<void> {
  if (runAs.uid === undefined || runAs.gid === undefined) return;
  await fs.chown(target, runAs.uid, runAs.gid);
}

/**
 * The owner password is generated on first start and kept next to the cluster, readable only by
 * the Kindling user (0600). It is never a default and never printed.
 */
async function readOrCreateOwnerPassword(directory: string): Promise<string> {
  const file = path.join(directory, 'owner-password');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const password = randomBytes(32).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return password;
  }
}

async function initialiseCluster(
  initdb: string,
  dataDirectory: string,
  password: string,
  runAs: RunAs,
  directory: string,
): Promise<void> {
  await fs.mkdir(dataDirectory, { recursive: true, mode: 0o700 });
  await chownTree(directory, runAs);
  await chownTree(dataDirectory, runAs);
  // initdb reads the password from a file; keep it in a private temp dir only for the call.
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-initdb-'));
  const pwfile = path.join(tempDir, 'pw');
  try {
    await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    await chownTree(tempDir, runAs);
    await chownTree(pwfile, runAs);
    await runToCompletion(initdb, [
      `--pgdata=${dataDirectory}`,
      '--auth=scram-sha-256',
      `--username=${ownerRole}`,
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--no-locale',
      '--data-checksums',
    ], runAs);
  } catch (error) {
    // A half-initialised cluster would make every later start fail; remove it so the next try is clean.
    await fs.rm(dataDirectory, { recursive: true, force: true });
    throw new AppError('UNAVAILABLE', `Could not initialise the embedded PostgreSQL cluster in ${dataDirectory}`, { cause: error });
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

function runToCompletion(command: string, args: readonly string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} exited with code ${String(code)}: ${output.slice(-2000)}`));
    });
  });
}

/**
 * If a previous Kindling process was killed hard (SIGKILL, power loss) its PostgreSQL may still
 * hold the data folder. Our own instance lock already proved no Kindling process owns this home,
 * so a live postmaster here is an orphan of ours: stop it instead of failing with a lock error.
 */
async function stopOrphanedPostmaster(dataDirectory: string): Promise<void> {
  const pidFile = path.join(dataDirectory, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await delay(100);
  if (isAlive(pid)) {
    throw new AppError('CONFLICT', `A PostgreSQL server (pid ${String(pid)}) still holds ${dataDirectory} and did not stop`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startPostmaster(
  postgres: string,
  dataDirectory: string,
  port: number,
  runAs: RunAs,
  onLog: ((line: string) => void) | undefined,
): Promise<ChildProcess> {
  // Listen on loopback only and without a Unix socket: nothing but this machine's processes
  // that hold the owner or app credentials can reach the database.
  const args = ['-D', dataDirectory, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C in the terminal reaches Kindling, which then stops
    // PostgreSQL last, after the API and jobs have closed their connections.
    const child = spawn(postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let recent = '';
    let ready = false;
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      recent = (recent + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim() !== '') onLog?.(line);
      if (!ready && text.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!ready) {
        const portHint = recent.includes('Address already in use')
          ? ` Port ${String(port)} is in use: set EMBEDDED_PG_PORT to a free port, or 0 to pick one.`
          : '';
        reject(new AppError('UNAVAILABLE', `Embedded PostgreSQL exited during start (code ${String(code)}).${portHint}\n${recent.slice(-1500)}`));
      }
    });
  });
}

async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
  child.kill('SIGINT');
  // Past 30 s, "immediate" shutdown: crash-safe (WAL replay on next start), but never an orphan.
  const escalation = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(escalation);
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the free port'));
      });
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
