import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is the developer's own setting, only checked for existence.
if (!existsSync(chromiumPath)) {
  throw new Error(`Chromium not found at ${chromiumPath}: install it with \`apt-get install chromium\` or set CHROMIUM_PATH`);
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const port = 8091;
// eslint-disable-next-line @microsoft/sdl/no-insecure-url -- loopback only; TLS is terminated in front of the server in production.
const baseURL = `http://127.0.0.1:${String(port)}`;

// Playwright loads this file in the runner and again in every worker. Only the
// runner starts the server, so only the runner creates (and later removes) a
// fresh KINDLING_HOME; workers inherit its path through the environment.
if (process.env.TEST_WORKER_INDEX === undefined) {
  const home = mkdtempSync(join(tmpdir(), 'kindling-e2e-'));
  // mkdtemp makes the folder 0700; when tests run as root, the embedded PostgreSQL runs as the
  // "postgres" user and must be able to enter it.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the folder mkdtempSync just created.
  chmodSync(home, 0o711);
  process.env.KINDLING_E2E_HOME = home;
  // 'exit' fires after Playwright has stopped the server, so the embedded database no longer uses the folder.
  process.on('exit', () => {
    rmSync(home, { recursive: true, force: true });
  });
}
const kindlingHome = process.env.KINDLING_E2E_HOME ?? '';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  // The server and its embedded PostgreSQL share the machine's two cores with the browser.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: 'node apps/cli/dist/bin.js start',
    cwd: repoRoot,
    env: { PORT: String(port), KINDLING_HOME: kindlingHome, LOG_LEVEL: 'warn' },
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Let the server stop its embedded PostgreSQL cleanly instead of being SIGKILLed.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
