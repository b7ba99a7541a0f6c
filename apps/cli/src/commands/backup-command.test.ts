import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli, stopLeftoverCliProcesses } from '../test-support/cli-process.js';

let home: string;

beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-backup-cli-'));
  await fs.chmod(home, 0o711);
});
afterEach(stopLeftoverCliProcesses);
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function run(args: readonly string[]): Promise<{ code: number | null; output: string; errors: string }> {
  const cli = runCli(args, { KINDLING_HOME: home });
  const { code } = await cli.exited();
  return { code, output: cli.output(), errors: cli.errors() };
}

describe('kindling start and kindling backup', () => {
  it('start removes scratch files a crashed run left; backup create, list and restore work on the stopped home', { timeout: 120_000 }, async () => {
    // What a job killed mid-spill leaves: a run folder whose process is gone.
    const stale = path.join(home, 'tmp', `run-${String(2 ** 22 + 1)}-0123456789abcdef`);
    await fs.mkdir(stale, { recursive: true });
    await fs.writeFile(path.join(stale, 'spill.enc'), 'ciphertext of a dead run');
    // The demo organisation without synthetic data: this test counts its rows.
    const server = runCli(['start'], { KINDLING_HOME: home, PORT: '0', DEMO_CONTACTS: '0' });
    await server.ready();
    expect(existsSync(stale)).toBe(false);
    server.child.kill('SIGTERM');
    expect((await server.exited()).code).toBe(0);

    const created = await run(['backup', 'create']);
    expect(created.errors).toBe('');
    const match = /backup (\d{8}-\d{6}-[0-9a-f]{8}) of organisation ([0-9a-f-]{36}): organisation 1, membership 0, invitation 1, api_token 0, contact 0[^(]* \(schema 0\d{3}-[a-z-]+\)/.exec(created.output);
    expect(match, created.output).not.toBeNull();
    const [, backupId = '', orgId = ''] = match ?? [];

    const listed = await run(['backup', 'list', '--org', orgId]);
    expect(listed.output).toContain(`organisation ${orgId}: 1 backup(s)`);
    expect(listed.output).toContain(`  ${backupId}  `);

    const restored = await run(['backup', 'restore', backupId]);
    expect(restored.errors).toBe('');
    expect(restored.output).toContain(`restored backup ${backupId} into organisation ${orgId}`);

    const missing = await run(['backup', 'restore', '20200101-000000-00000000']);
    expect(missing.code).toBe(1);
    expect(missing.errors).toContain('No organisation has a backup 20200101-000000-00000000');
  });
});
