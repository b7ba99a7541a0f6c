import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built launcher: these tests exercise the real `kindling` program, as `npm start` runs it. */
export const cliLauncher = fileURLToPath(new URL('../../bin/kindling.js', import.meta.url));
const builtEntry = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export function assertCliBuilt(): void {
  if (!existsSync(builtEntry)) throw new Error('apps/cli is not built: run `npm run build` before these tests');
}

export interface CliProcess {
  readonly child: ChildProcess;
  output(): string;
  errors(): string;
  /** Resolves with the URL from the start banner once the server is up. */
  ready(timeoutMs?: number): Promise<string>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<ChildProcess>();

/**
 * Stops every `kindling` process a test started that is still running, so a failed assertion
 * never leaves a server (and its PostgreSQL) behind. Call it from afterEach.
 */
export async function stopLeftoverCliProcesses(): Promise<void> {
  const running = [...started].filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => {
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  started.clear();
}

export function runCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [cliLauncher, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    exited: () => exit,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = /Web app and API\s+(http:\/\/\S+)/.exec(stdout);
        if (match?.[1] !== undefined) return match[1];
        if (child.exitCode !== null) throw new Error(`kindling exited with ${String(child.exitCode)}: ${stderr}${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`kindling did not start within ${String(timeoutMs)} ms: ${stderr}${stdout}`);
    },
  };
}
