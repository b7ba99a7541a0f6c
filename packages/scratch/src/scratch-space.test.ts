import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanStaleScratch, createScratchSpace, withScratchSpace } from './index.js';

const canary = 'Canary Scratch-7Q3 Jane Example, 42 Lime Grove';
let root: string;

beforeEach(async () => {
  root = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-scratch-test-')), 'tmp');
});
afterEach(async () => {
  await fs.rm(path.dirname(root), { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('scratch space', () => {
  it('keeps work files encrypted on disk (0600, no plaintext) and gives the plaintext back to its process', async () => {
    const space = await createScratchSpace(root);
    const file = await space.write(Buffer.from(canary.repeat(2000)));
    const stored = await fs.readFile(file.path);
    expect(stored.includes(Buffer.from('Canary Scratch-7Q3'))).toBe(false);
    expect(stored.length).toBeGreaterThan(canary.length * 2000);
    expect((await fs.stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(space.folder)).mode & 0o777).toBe(0o700);
    expect(await text(file.read())).toBe(canary.repeat(2000));
    await space.dispose();
    expect(existsSync(space.folder)).toBe(false);
  });

  it('cannot be read by another scratch space (another process has another ephemeral key)', async () => {
    const [first, second] = [await createScratchSpace(root), await createScratchSpace(root)];
    const file = await first.write(Buffer.from(canary));
    const copy = await second.write(Buffer.from('x'));
    await fs.copyFile(file.path, copy.path);
    await expect(text(copy.read())).rejects.toMatchObject({ code: 'INTERNAL' });
    await first.dispose();
    await second.dispose();
  });

  it('removes the space when the work fails', async () => {
    let folder = '';
    const failure = new Error('work failed');
    await expect(
      withScratchSpace(root, async (space) => {
        folder = space.folder;
        await space.write(Buffer.from(canary));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });
});

describe('cleanStaleScratch', () => {
  const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  /** A separate Node process that writes a scratch file, reports its folder, and waits to be killed. */
  function startWorker(): Promise<{ folder: string; kill: () => Promise<void> }> {
    if (!existsSync(builtEntry)) throw new Error('packages/scratch is not built: run `npx tsc -b` before this test');
    const script = `
      const { createScratchSpace } = await import(${JSON.stringify(builtEntry)});
      const space = await createScratchSpace(${JSON.stringify(root)});
      await space.write(Buffer.from(${JSON.stringify(canary)}));
      process.stdout.write(space.folder + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => {
        reject(new Error(`worker exited early (${String(code)})`));
      });
      child.stdout.once('data', (chunk: Buffer) => {
        resolve({
          folder: chunk.toString('utf8').trim(),
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      });
    });
  }

  it("removes what a killed process left, but not a live process's files", async () => {
    const crashed = await startWorker();
    const live = await startWorker();
    const own = await createScratchSpace(root);
    await own.write(Buffer.from(canary));
    await crashed.kill();
    await fs.writeFile(path.join(root, 'stray-file'), 'left by hand');

    // What the crash left is unreadable (its key died with it), and still there until the clean-up.
    const leftovers = await filesUnder(crashed.folder);
    expect(leftovers).toHaveLength(1);
    for (const file of leftovers) expect((await fs.readFile(file)).includes(Buffer.from('Canary Scratch-7Q3'))).toBe(false);

    const removed = await cleanStaleScratch(root);
    expect(removed).toEqual([path.basename(crashed.folder), 'stray-file'].sort());
    expect(existsSync(crashed.folder)).toBe(false);
    expect(existsSync(live.folder)).toBe(true);
    expect(existsSync(own.folder)).toBe(true);

    await live.kill();
    await own.dispose();
    expect(await cleanStaleScratch(root)).toEqual([path.basename(live.folder)]);
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('treats a folder named with this process id as stale unless this process created it (pid reuse in containers)', async () => {
    const leftover = path.join(root, `run-${String(process.pid)}-0123456789abcdef`);
    await fs.mkdir(leftover, { recursive: true });
    expect(await cleanStaleScratch(root)).toEqual([path.basename(leftover)]);
  });

  it('does nothing when the root does not exist yet', async () => {
    expect(await cleanStaleScratch(path.join(root, 'missing'))).toEqual([]);
  });
});
