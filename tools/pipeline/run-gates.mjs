#!/usr/bin/env node
// The delivery pipeline: `npm test` locally and in CI. Each stage is a gate; the first that
// fails stops the run with a non-zero exit. Stages run in the current directory (the repo root
// under npm), with the tools pinned in this repo's node_modules.
//
//   node tools/pipeline/run-gates.mjs [--only stage[,stage]] [--skip stage[,stage]] [--list]
//
// Stages: types, lint, security, supply-chain, build, unit+integration, e2e.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolRoot = path.resolve(here, '..', '..');
const projectRoot = process.cwd();

/** @param {string} name */
const bin = (name) => path.join(toolRoot, 'node_modules', '.bin', name);

/**
 * @typedef {{ command: string, args: string[], env?: Record<string, string> }} Step
 * @typedef {{ name: string, what: string, steps: () => Step[] }} Stage
 */

class GateError extends Error {}

/** @type {Stage[]} */
const STAGES = [
  {
    name: 'types',
    what: 'tsc -b (packages, apps), tsconfig.checks.json (tests, tools), e2e/tsconfig.json',
    steps: () => {
      if (!existsSync(path.join(projectRoot, 'tsconfig.checks.json'))) {
        throw new GateError(
          'tsconfig.checks.json not found: tests, tools and e2e would go unchecked. It must exist at the repo root.',
        );
      }
      const steps = [
        { command: bin('tsc'), args: ['-b'] },
        { command: bin('tsc'), args: ['-p', 'tsconfig.checks.json', '--noEmit'] },
      ];
      // The browser tests need DOM types, so they have their own (noEmit) project.
      if (existsSync(path.join(projectRoot, 'e2e', 'tsconfig.json'))) {
        steps.push({ command: bin('tsc'), args: ['-p', 'e2e/tsconfig.json', '--noEmit'] });
      }
      return steps;
    },
  },
  {
    name: 'lint',
    what: 'eslint with type-aware, security and kindling/no-raw-sql rules; warnings fail',
    steps: () => [{ command: bin('eslint'), args: ['.', '--max-warnings', '0'] }],
  },
  {
    name: 'security',
    what: 'secretlint over every tracked or new file',
    steps: () => [{ command: bin('secretlint'), args: ['--no-glob', '--format', 'stylish', ...secretlintFiles()] }],
  },
  {
    name: 'supply-chain',
    what: 'lockfile sources and hashes, npm audit, CycloneDX SBOM',
    steps: () => [{ command: process.execPath, args: [path.join(here, 'supply-chain.mjs')] }],
  },
  {
    name: 'build',
    what: 'npm run build',
    steps: () => [{ command: 'npm', args: ['run', 'build'] }],
  },
  {
    name: 'unit+integration',
    what: 'vitest run (real PostgreSQL, real HTTP)',
    steps: () => [{ command: bin('vitest'), args: ['run'] }],
  },
  {
    name: 'e2e',
    what: 'playwright against the built app in Chromium',
    steps: () => {
      const chromium = findChromium();
      return [
        {
          command: bin('playwright'),
          args: ['test', '-c', 'e2e/playwright.config.ts'],
          env: { CHROMIUM_PATH: chromium },
        },
      ];
    },
  },
];

function findChromium() {
  // An explicit CHROMIUM_PATH is used as given: a wrong setting should fail, not fall back.
  const explicit = process.env['CHROMIUM_PATH'];
  const candidate = explicit !== undefined && explicit !== '' ? explicit : '/usr/bin/chromium';
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    throw new GateError(`Chromium not found at ${candidate}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
}

/** Tracked plus untracked-but-not-ignored files, so a secret is caught before it is committed. */
function secretlintFiles() {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (git.status !== 0) {
    throw new GateError(`git ls-files failed, so the file list to scan is unknown: ${git.stderr.trim()}`);
  }
  // A file deleted in the work tree but still in the index has nothing left to scan.
  const files = git.stdout.split('\0').filter((f) => f !== '' && existsSync(path.join(projectRoot, f)));
  if (files.length === 0) throw new GateError('git ls-files listed no files to scan');
  return files;
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const names = STAGES.map((s) => s.name);
  /** @param {string | undefined} value @param {string} flag */
  const list = (value, flag) => {
    if (value === undefined || value === '') throw new GateError(`${flag} needs a stage name (one of: ${names.join(', ')})`);
    const picked = value.split(',').map((s) => s.trim());
    const unknown = picked.filter((s) => !names.includes(s));
    if (unknown.length > 0) throw new GateError(`unknown stage ${unknown.join(', ')} (stages: ${names.join(', ')})`);
    return picked;
  };
  /** @type {Set<string> | undefined} */
  let only;
  const skip = new Set();
  let listOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--only') {
      only ??= new Set();
      for (const s of list(inline ?? argv[++i], '--only')) only.add(s);
    } else if (flag === '--skip') {
      for (const s of list(inline ?? argv[++i], '--skip')) skip.add(s);
    } else if (flag === '--list') {
      listOnly = true;
    } else {
      throw new GateError(`unknown argument ${arg}. Usage: run-gates.mjs [--only stage[,stage]] [--skip stage[,stage]] [--list]`);
    }
  }
  return { only, skip, listOnly };
}

/** @param {string} text */
function banner(text) {
  const line = '='.repeat(Math.max(72, text.length + 8));
  process.stdout.write(`\n${line}\n==  ${text}\n${line}\n`);
}

/** @param {Step} step */
function runStep(step) {
  process.stdout.write(`$ ${[path.basename(step.command), ...step.args.slice(0, 12)].join(' ')}${step.args.length > 12 ? ` … (${String(step.args.length)} args)` : ''}\n`);
  const result = spawnSync(step.command, step.args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  if (result.error !== undefined) throw new GateError(`could not start ${step.command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new GateError(`${path.basename(step.command)} exited ${result.status === null ? `on ${String(result.signal)}` : String(result.status)}`);
  }
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`run-gates: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (options.listOnly) {
    for (const stage of STAGES) process.stdout.write(`${stage.name.padEnd(18)} ${stage.what}\n`);
    return 0;
  }

  /** @type {{ name: string, result: 'passed' | 'FAILED' | 'skipped' | 'not run', seconds?: number }[]} */
  const rows = [];
  let failedStage;
  const selected = STAGES.filter((s) => (options.only === undefined || options.only.has(s.name)) && !options.skip.has(s.name));
  for (const [index, stage] of STAGES.entries()) {
    if (!selected.includes(stage)) {
      rows.push({ name: stage.name, result: 'skipped' });
      continue;
    }
    if (failedStage !== undefined) {
      rows.push({ name: stage.name, result: 'not run' });
      continue;
    }
    banner(`[${String(index + 1)}/${String(STAGES.length)}] ${stage.name}: ${stage.what}`);
    const started = performance.now();
    try {
      for (const step of stage.steps()) runStep(step);
      rows.push({ name: stage.name, result: 'passed', seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      if (!(error instanceof GateError)) throw error;
      rows.push({ name: stage.name, result: 'FAILED', seconds: (performance.now() - started) / 1000 });
      failedStage = stage.name;
      banner(`GATE FAILED: ${stage.name} — ${error.message}`);
      process.stdout.write(`Fix the findings above, then rerun just this stage: npm test -- --only ${stage.name}\n`);
    }
  }

  process.stdout.write('\nstage              result    seconds\n------------------ --------- -------\n');
  for (const row of rows) {
    process.stdout.write(`${row.name.padEnd(18)} ${row.result.padEnd(9)} ${row.seconds === undefined ? '' : row.seconds.toFixed(1).padStart(7)}\n`);
  }
  const total = rows.reduce((sum, row) => sum + (row.seconds ?? 0), 0);
  process.stdout.write(`${'total'.padEnd(28)} ${total.toFixed(1).padStart(7)}\n\n`);
  const passed = rows.filter((r) => r.result === 'passed').length;
  const failed = rows.filter((r) => r.result === 'FAILED').length;
  const skipped = rows.length - passed - failed;
  process.stdout.write(`gates: ${String(passed)} passed, ${String(failed)} failed${skipped > 0 ? `, ${String(skipped)} skipped` : ''}\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
