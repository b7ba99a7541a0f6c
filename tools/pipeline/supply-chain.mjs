#!/usr/bin/env node
// Supply-chain gate. Checks the project in the current directory (the repo root under
// `npm test`; a scratch fixture under the self-tests):
//   1. lockfile-lint: every `resolved` URL is https on registry.npmjs.org, hashes are sha512;
//   2. our own lockfile check: lockfile-lint passes entries that have no `integrity` at all,
//      and this machine's npm writes lockfiles without `resolved` URLs, so every installed
//      (non-workspace, non-bundled) package must carry a sha512 integrity hash itself;
//   3. npm audit of production dependencies: a high/critical finding fails. When the advisory
//      service cannot be reached it says so LOUDLY: the check did not run, it did not pass.
//      KINDLING_REQUIRE_AUDIT=1 turns that case into a failure (for runners with full network);
//   4. a CycloneDX SBOM of production dependencies at artifacts/sbom.cdx.json, parsed back and
//      checked to list components.
// Exit 0 when every check passed (or audit was unreachable and not required), 1 otherwise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTRY = 'https://registry.npmjs.org/';
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;
const AUDIT_TIMEOUT_MS = 120_000;
const UNREACHABLE =
  /\b(?:405|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|timed? ?out|audit endpoint returned an error)\b/i;

const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const projectRoot = process.cwd();
const lockfilePath = path.join(projectRoot, 'package-lock.json');

/** @type {string[]} */
const failures = [];

function log(/** @type {string} */ line) {
  process.stdout.write(`${line}\n`);
}

/** @param {string} bin */
function localBin(bin) {
  return path.join(toolRoot, 'node_modules', '.bin', bin);
}

function checkLockfileLint() {
  const result = spawnSync(
    localBin('lockfile-lint'),
    [
      '--path',
      lockfilePath,
      '--type',
      'npm',
      '--validate-https',
      '--allowed-hosts',
      'npm',
      '--validate-integrity',
      '--format',
      'plain',
    ],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status === 0) {
    log('lockfile-lint: ok (https only, registry.npmjs.org only, sha512 hashes)');
  } else {
    log(output);
    failures.push('lockfile-lint reported problems in package-lock.json (see above)');
  }
}

/**
 * Problems with one lockfile: foreign or insecure `resolved`, missing or weak `integrity`.
 * @param {unknown} lock parsed package-lock.json
 * @returns {string[]}
 */
export function lockfileProblems(lock) {
  const packages =
    lock !== null && typeof lock === 'object' && 'packages' in lock ? /** @type {{ packages: unknown }} */ (lock).packages : undefined;
  if (packages === null || typeof packages !== 'object') {
    return ['package-lock.json has no "packages" map (lockfileVersion 2 or 3 is required)'];
  }
  /** @type {string[]} */
  const problems = [];
  for (const [key, raw] of Object.entries(packages)) {
    // "" is the root project; keys outside node_modules/ are workspace folders.
    if (key === '' || !key.includes('node_modules/')) continue;
    const entry = /** @type {{ link?: boolean, inBundle?: boolean, resolved?: unknown, integrity?: unknown }} */ (raw);
    // A link is a workspace symlink (its `resolved` is the folder). A bundled dependency ships
    // inside its parent's tarball, which the parent's own integrity hash covers.
    if (entry.link === true || entry.inBundle === true) continue;
    if (entry.resolved !== undefined && (typeof entry.resolved !== 'string' || !entry.resolved.startsWith(REGISTRY))) {
      problems.push(`${key}: resolved from ${String(entry.resolved)}, not ${REGISTRY}`);
    }
    if (typeof entry.integrity !== 'string') {
      problems.push(`${key}: no integrity hash (npm could not verify what it downloads)`);
    } else if (!entry.integrity.split(/\s+/).every((hash) => SHA512.test(hash))) {
      problems.push(`${key}: integrity is not a sha512 hash (${entry.integrity.slice(0, 16)}…)`);
    }
  }
  return problems;
}

function checkIntegrity() {
  /** @type {unknown} */
  let lock;
  try {
    lock = JSON.parse(readFileSync(lockfilePath, 'utf8'));
  } catch (error) {
    failures.push(`cannot read package-lock.json: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const problems = lockfileProblems(lock);
  if (problems.length === 0) {
    log('lockfile integrity: ok (every installed package pinned by a sha512 hash)');
    return;
  }
  for (const problem of problems) log(`  ${problem}`);
  failures.push(`${String(problems.length)} lockfile entr${problems.length === 1 ? 'y' : 'ies'} without a trusted source/hash`);
}

/**
 * What an `npm audit --json` run means for the gate.
 * @param {{ stdout: string, stderr: string, status: number | null, timedOut: boolean }} run
 * @returns {{ verdict: 'pass' | 'fail' | 'unreachable', detail: string }}
 */
export function auditVerdict(run) {
  if (run.timedOut) return { verdict: 'unreachable', detail: 'npm audit timed out' };
  /** @type {any} */
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  const counts = report?.metadata?.vulnerabilities;
  if (counts !== undefined && typeof counts === 'object') {
    const high = Number(counts.high ?? 0);
    const critical = Number(counts.critical ?? 0);
    if (high + critical > 0) {
      const names = Object.entries(report.vulnerabilities ?? {})
        .filter(([, v]) => v?.severity === 'high' || v?.severity === 'critical')
        .map(([name, v]) => `${name} (${String(v.severity)})`);
      return {
        verdict: 'fail',
        detail: `${String(critical)} critical, ${String(high)} high: ${names.join(', ')}`,
      };
    }
    return { verdict: 'pass', detail: `no high or critical advisories (${String(counts.total ?? 0)} lower)` };
  }
  const text = `${String(report?.message ?? '')} ${String(report?.error?.summary ?? '')} ${run.stderr}`;
  if (UNREACHABLE.test(text) || report?.statusCode === 405) {
    return { verdict: 'unreachable', detail: text.trim().split('\n')[0] ?? '' };
  }
  return { verdict: 'fail', detail: `npm audit exited ${String(run.status)} without a report: ${text.trim().slice(0, 300)}` };
}

function checkAudit() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: AUDIT_TIMEOUT_MS,
  });
  const timedOut = result.error !== undefined && /ETIMEDOUT/.test(String(result.error));
  const { verdict, detail } = auditVerdict({
    stdout: result.stdout,
    stderr: `${result.stderr}${result.error === undefined ? '' : ` ${String(result.error)}`}`,
    status: result.status,
    timedOut,
  });
  if (verdict === 'pass') {
    log(`npm audit: ok, ${detail}`);
  } else if (verdict === 'fail') {
    log(`npm audit: ${detail}`);
    failures.push('npm audit found high/critical advisories in production dependencies, or failed');
  } else {
    const bar = '!'.repeat(100);
    log(bar);
    log('SUPPLY CHAIN WARNING: npm audit could not reach the advisory service — the vulnerability check DID NOT RUN');
    log(`  (${detail})`);
    log(bar);
    if (process.env['KINDLING_REQUIRE_AUDIT'] === '1') {
      failures.push('npm audit did not run and KINDLING_REQUIRE_AUDIT=1');
    }
  }
}

function writeSbom() {
  const out = path.join(projectRoot, 'artifacts', 'sbom.cdx.json');
  // From the lockfile, which is exactly what `npm ci` installs and ships.
  const result = spawnSync(
    'npm',
    ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--omit', 'dev', '--package-lock-only'],
    { cwd: projectRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    log(result.stderr);
    failures.push(`npm sbom exited ${String(result.status)}`);
    return;
  }
  /** @type {any} */
  let bom;
  try {
    bom = JSON.parse(result.stdout);
  } catch {
    failures.push('npm sbom did not print JSON');
    return;
  }
  /** @type {{ name?: unknown, version?: unknown }[]} */
  const components = Array.isArray(bom?.components) ? bom.components : [];
  const unnamed = components.filter((c) => typeof c?.name !== 'string' || typeof c?.version !== 'string');
  if (bom?.bomFormat !== 'CycloneDX' || components.length === 0 || unnamed.length > 0) {
    failures.push(
      `SBOM is not usable: format ${String(bom?.bomFormat)}, ${String(components.length)} components, ${String(unnamed.length)} without name/version`,
    );
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
  log(`sbom: ${path.relative(projectRoot, out)} (CycloneDX ${String(bom.specVersion)}, ${String(components.length)} components)`);
}

function main() {
  checkLockfileLint();
  checkIntegrity();
  checkAudit();
  writeSbom();
  if (failures.length > 0) {
    log('');
    for (const failure of failures) log(`supply-chain FAILED: ${failure}`);
    process.exitCode = 1;
  } else {
    log('supply-chain: ok');
  }
}

// Run only as a script; importing it (for its pure helpers) has no side effects.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
