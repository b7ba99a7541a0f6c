// Proves the real gates: each test plants one violation in a scratch copy of the fixture
// project, runs the real `run-gates.mjs --only <stage>` there (which uses the real
// eslint.config.js, tsconfig.base.json, .secretlintrc.json and supply-chain.mjs, reached
// through symlinks), and checks the gate fails on it and passes once it is gone.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const runner = path.join(repoRoot, 'tools', 'pipeline', 'run-gates.mjs');
const FIXTURE = path.join('tools', 'pipeline', 'fixtures', 'minimal');
const SLOW = { timeout: 90_000 };

let scratch = '';
let project = '';

interface GateRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs real gates in the fixture copy, in a clean environment (no vitest variables leak in). */
function gates(stages: string, extraEnv: Record<string, string> = {}): GateRun {
  const env: Record<string, string> = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  const run = spawnSync(process.execPath, [runner, '--only', stages], {
    cwd: project,
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    timeout: 80_000,
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Writes a file into the fixture copy for the duration of `body`. */
function withFile(relative: string, content: string, body: () => void): void {
  const file = path.join(project, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  try {
    body();
  } finally {
    rmSync(file, { force: true });
  }
}

/** Edits the fixture's lockfile for the duration of `body`. */
function withLockfile(edit: (lock: { packages: Record<string, Record<string, unknown>> }) => void, body: () => void): void {
  const file = path.join(project, 'package-lock.json');
  const original = readFileSync(file, 'utf8');
  const lock = JSON.parse(original) as { packages: Record<string, Record<string, unknown>> };
  edit(lock);
  writeFileSync(file, JSON.stringify(lock, null, 2));
  try {
    body();
  } finally {
    writeFileSync(file, original);
  }
}

function expectFailed(run: GateRun, stage: string): void {
  expect(run.output).toContain(`GATE FAILED: ${stage}`);
  expect(run.output).toMatch(/^gates: 0 passed, 1 failed/m);
  expect(run.code).toBe(1);
}

function expectPassed(run: GateRun): void {
  expect(run.output).not.toContain('GATE FAILED');
  expect(run.output).toMatch(/^gates: \d+ passed, 0 failed/m);
  expect(run.code).toBe(0);
}

beforeAll(() => {
  // Same depth as in the repo, so the fixture's relative paths to the real configs hold.
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kindling-gates-'));
  project = path.join(scratch, FIXTURE);
  cpSync(path.join(repoRoot, FIXTURE), project, { recursive: true });
  for (const shared of ['node_modules', 'tsconfig.base.json', 'eslint.config.js']) {
    symlinkSync(path.join(repoRoot, shared), path.join(scratch, shared));
  }
  for (const shared of ['.secretlintrc.json', '.secretlintignore']) {
    symlinkSync(path.join(repoRoot, shared), path.join(project, shared));
  }
  // The security gate scans what git lists (tracked or new, not ignored): nothing is added.
  const git = spawnSync('git', ['init', '--quiet', '.'], { cwd: project, encoding: 'utf8' });
  expect(git.status, git.stderr).toBe(0);
});

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('pipeline gates on the fixture project', () => {
  it('passes every gate when the project is clean', SLOW, () => {
    const run = gates('types,lint,security,supply-chain,unit+integration');
    expectPassed(run);
    expect(run.output).toMatch(/^gates: 5 passed, 0 failed, 2 skipped$/m);
  });

  it('types: a type error fails tsc', SLOW, () => {
    withFile('src/planted.ts', "export const amountCents: number = 'twelve';\n", () => {
      const run = gates('types');
      expectFailed(run, 'types');
      expect(run.output).toContain('error TS2322');
    });
  });

  it('types: a missing tsconfig.checks.json fails instead of skipping the check', SLOW, () => {
    const checks = path.join(project, 'tsconfig.checks.json');
    const saved = readFileSync(checks, 'utf8');
    rmSync(checks);
    try {
      const run = gates('types');
      expectFailed(run, 'types');
      expect(run.output).toContain('tsconfig.checks.json not found');
    } finally {
      writeFileSync(checks, saved);
    }
  });

  it('lint: an unused variable fails', SLOW, () => {
    withFile('src/planted.ts', 'export function f(): number {\n  const unused = 1;\n  return 2;\n}\n', () => {
      const run = gates('lint');
      expectFailed(run, 'lint');
      expect(run.output).toContain('@typescript-eslint/no-unused-vars');
    });
  });

  it('lint: a single warning fails (--max-warnings 0)', SLOW, () => {
    // security/detect-unsafe-regex is a warning, not an error, in the security preset.
    withFile('src/planted.ts', 'export const repeated = /(a+)+$/;\n', () => {
      const run = gates('lint');
      expectFailed(run, 'lint');
      expect(run.output).toContain('security/detect-unsafe-regex');
      expect(run.output).toMatch(/0 errors, 1 warning/);
    });
  });

  it('lint: kindling/no-raw-sql fires on interpolated SQL', SLOW, () => {
    const code = [
      'export function donorByName(name: string): string {',
      "  return `SELECT id FROM donor WHERE name = '${name}'`;",
      '}',
      '',
    ].join('\n');
    withFile('src/planted.ts', code, () => {
      const run = gates('lint');
      expectFailed(run, 'lint');
      expect(run.output).toContain('kindling/no-raw-sql');
      expect(run.output).toContain("use Kysely's builder or the sql`` tag");
    });
  });

  it('security: a committed AWS secret access key fails secretlint', SLOW, () => {
    // Made at test time, so the repo itself holds nothing a scanner would flag.
    const fakeKey = randomBytes(30).toString('base64');
    withFile('deploy/aws.env', `AWS_SECRET_ACCESS_KEY=${fakeKey}\n`, () => {
      const run = gates('security');
      expectFailed(run, 'security');
      expect(run.output).toContain('AWSSecretAccessKey');
      expect(run.output).not.toContain(fakeKey);
    });
  });

  it('security: a committed private key fails secretlint', SLOW, () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    withFile('deploy/id_rsa', pem, () => {
      const run = gates('security');
      expectFailed(run, 'security');
      expect(run.output).toContain('[PrivateKey]');
    });
  });

  it('unit+integration: a failing test fails vitest', SLOW, () => {
    const test = [
      "import { expect, it } from 'vitest';",
      "import { totalsByDonor } from './gift-total.js';",
      '',
      "it('is wrong on purpose', () => {",
      "  expect(totalsByDonor([{ donorId: 'a', amountCents: 1 }]).get('a')).toBe(2);",
      '});',
      '',
    ].join('\n');
    withFile('src/planted.test.ts', test, () => {
      const run = gates('unit+integration');
      expectFailed(run, 'unit+integration');
      expect(run.output).toContain('is wrong on purpose');
    });
  });

  it('supply-chain: a clean lockfile passes, writes the SBOM and never passes audit silently', SLOW, () => {
    const run = gates('supply-chain');
    expectPassed(run);
    // Here the advisory service answers 405; with network it would report real results.
    expect(run.output).toMatch(
      /SUPPLY CHAIN WARNING: npm audit could not reach the advisory service — the vulnerability check DID NOT RUN|npm audit: ok/,
    );
    const sbom = JSON.parse(readFileSync(path.join(project, 'artifacts', 'sbom.cdx.json'), 'utf8')) as {
      bomFormat: string;
      components: { name: string }[];
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.components.map((c) => c.name)).toContain('zod');
  });

  it('supply-chain: a package from a foreign registry host fails', SLOW, () => {
    withLockfile(
      (lock) => {
        const zod = lock.packages['node_modules/zod'];
        if (zod === undefined) throw new Error('fixture lockfile lost its zod entry');
        zod['resolved'] = 'https://registry.example.invalid/zod/-/zod-4.6.7.tgz';
      },
      () => {
        const run = gates('supply-chain');
        expectFailed(run, 'supply-chain');
        expect(run.output).toContain('detected invalid host');
        expect(run.output).toContain('resolved from https://registry.example.invalid/');
      },
    );
  });

  it('supply-chain: a package without an integrity hash fails', SLOW, () => {
    withLockfile(
      (lock) => {
        const zod = lock.packages['node_modules/zod'];
        if (zod === undefined) throw new Error('fixture lockfile lost its zod entry');
        delete zod['integrity'];
      },
      () => {
        const run = gates('supply-chain');
        expectFailed(run, 'supply-chain');
        expect(run.output).toContain('node_modules/zod: no integrity hash');
      },
    );
  });

  it('supply-chain: a high advisory from npm audit fails', SLOW, () => {
    // The advisory service is out of reach here, so a stand-in `npm` answers `npm audit` with
    // a real-format report; every other npm command goes to the real npm.
    const realNpm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
    const binDir = path.join(scratch, 'fake-bin');
    mkdirSync(binDir, { recursive: true });
    const report = {
      auditReportVersion: 2,
      vulnerabilities: { zod: { name: 'zod', severity: 'high', isDirect: true, via: [], effects: [], range: '*' } },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 } },
    };
    writeFileSync(path.join(binDir, 'audit.json'), JSON.stringify(report));
    const fakeNpm = path.join(binDir, 'npm');
    writeFileSync(
      fakeNpm,
      `#!/bin/sh\nif [ "$1" = audit ]; then cat '${path.join(binDir, 'audit.json')}'; exit 1; fi\nexec '${realNpm}' "$@"\n`,
    );
    chmodSync(fakeNpm, 0o755);
    const run = gates('supply-chain', { PATH: `${binDir}${path.delimiter}${process.env['PATH'] ?? ''}` });
    expectFailed(run, 'supply-chain');
    expect(run.output).toContain('zod (high)');
  });
});

describe('pipeline runner', () => {
  it('e2e: fails early and says how to get Chromium when it is missing', SLOW, () => {
    const run = gates('e2e', { CHROMIUM_PATH: path.join(scratch, 'no-chromium-here') });
    expectFailed(run, 'e2e');
    expect(run.output).toContain('Chromium not found');
    expect(run.output).toContain('apt-get install chromium, or set CHROMIUM_PATH');
  });

  it('rejects an unknown stage name', () => {
    const run = gates('tpyes');
    expect(run.code).toBe(2);
    expect(run.output).toContain('unknown stage tpyes');
  });
});
