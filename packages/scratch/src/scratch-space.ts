import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDataProtection, createInMemoryKeyStore, type ObjectContext } from '@kindling/crypto';

/** A work file of one scratch space: encrypted on disk, readable only by the process that wrote it. */
export interface ScratchFile {
  /** Where the ciphertext lies; the name is random and says nothing about the content. */
  readonly path: string;
  /** The plaintext, decrypted as it streams; untrusted until the stream ended without an error. */
  read(): Readable;
  remove(): Promise<void>;
}

/**
 * A folder of temporary work files for one process (e.g. a job sorting or spilling rows that do
 * not fit in memory). Every file is encrypted under a key that exists only in this process's
 * memory, so what a crash leaves behind is unreadable even before `cleanStaleScratch` removes it.
 */
export interface ScratchSpace {
  readonly folder: string;
  /** Streams `source` into a new encrypted scratch file. */
  write(source: Readable | Uint8Array): Promise<ScratchFile>;
  /** Removes the folder and every file in it; the space cannot be used afterwards. */
  dispose(): Promise<void>;
}

/** Run folders are `run-<pid>-<random>`: the pid lets a later start tell a crashed run from a live one. */
const runFolderPattern = /^run-(\d+)-[0-9a-f]{16}$/;

/** This process's live run folders: in a container every run may be pid 1, so our own pid alone proves nothing. */
const ownFolders = new Set<string>();

function isLive(name: string, pid: number): boolean {
  if (pid === process.pid) return ownFolders.has(name);
  try {
    // Signal 0 checks existence only. EPERM means it exists under another user.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates this process's scratch space under `root` (e.g. `$KINDLING_HOME/tmp`), 0700. The
 * ephemeral key is generated here and never written anywhere.
 */
export async function createScratchSpace(root: string): Promise<ScratchSpace> {
  const folder = path.join(path.resolve(root), `run-${String(process.pid)}-${randomBytes(8).toString('hex')}`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the configured scratch root and a random name
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  ownFolders.add(path.basename(folder));
  // An in-memory key lineage under a throw-away scope id: the crypto package's authenticated
  // streaming envelope (no new cryptography here), with a key that dies with the process.
  const protection = createDataProtection({ keyStore: createInMemoryKeyStore() });
  const scope = randomUUID();
  let disposed = false;

  const context = (file: string): ObjectContext => ({ orgId: scope, purpose: 'object', objectKey: path.basename(file) });

  return {
    folder,
    async write(source) {
      if (disposed) throw new Error('scratch space already disposed');
      const file = path.join(folder, `${randomBytes(12).toString('hex')}.enc`);
      const input = source instanceof Readable ? source : Readable.from([source]);
      try {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a random name inside our own scratch folder
        await pipeline(input, protection.createEncryptStream(context(file)), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await fs.rm(file, { force: true });
        throw error;
      }
      return {
        path: file,
        read() {
          const output = new PassThrough();
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- a random name inside our own scratch folder
          pipeline(createReadStream(file), protection.createDecryptStream(context(file)), output).catch(() => {
            // pipeline has destroyed `output` with the error; the reader sees it there.
          });
          return output;
        },
        remove: () => fs.rm(file, { force: true }),
      };
    },
    async dispose() {
      disposed = true;
      ownFolders.delete(path.basename(folder));
      await fs.rm(folder, { recursive: true, force: true });
    },
  };
}

/** Runs `work` with a scratch space that is removed afterwards, whether `work` succeeded or not. */
export async function withScratchSpace<T>(root: string, work: (space: ScratchSpace) => Promise<T>): Promise<T> {
  const space = await createScratchSpace(root);
  try {
    return await work(space);
  } finally {
    await space.dispose();
  }
}

/**
 * Removes what crashed runs left under `root`: every run folder whose process is gone, and
 * anything else that is not a run folder. Live processes' folders are kept, so a job process
 * may call it while others run. Called by `kindling start` and at the start of each job process.
 * Returns the names removed.
 */
export async function cleanStaleScratch(root: string): Promise<string[]> {
  const resolved = path.resolve(root);
  let entries: string[];
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the configured scratch root
    entries = await fs.readdir(resolved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of entries) {
    const match = runFolderPattern.exec(name);
    if (match !== null && isLive(name, Number(match[1]))) continue;
    await fs.rm(path.join(resolved, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed.sort();
}
