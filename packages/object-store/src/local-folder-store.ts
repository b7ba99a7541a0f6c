import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@kindling/errors';
import { validateObjectKey, validateObjectKeyPrefix } from './object-key.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';

export interface LocalFolderStoreOptions {
  /** The folder that holds the objects; created 0700 if missing. */
  readonly root: string;
}

// Temp files start with a character no valid key segment can start with, so listings and
// key look-ups can never see them.
const tempPrefix = '~tmp-';

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'Object not found.', { details: { reason: 'object_not_found' } });
}

/**
 * An object store in a local folder. A put streams into a temporary file in the target's own
 * folder (same file system, so the final `rename` is atomic) and renames it into place only
 * after the whole source was written and flushed; files are 0600 and folders 0700.
 */
export function createLocalFolderStore(options: LocalFolderStoreOptions): ObjectStore {
  const root = path.resolve(options.root);

  function filePath(key: string): string {
    validateObjectKey(key);
    return path.join(root, ...key.split('/'));
  }

  async function put(key: string, body: Readable | Uint8Array): Promise<void> {
    const target = filePath(key);
    const folder = path.dirname(target);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temp = path.join(folder, `${tempPrefix}${randomBytes(12).toString('hex')}`);
    const source = body instanceof Readable ? body : Readable.from([body]);
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
      await pipeline(source, createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true }));
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  function get(key: string): Readable {
    const output = new PassThrough();
    let file: string;
    try {
      file = filePath(key);
    } catch (error) {
      process.nextTick(() => output.destroy(error as Error));
      return output;
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
    const input = createReadStream(file);
    input.on('error', (error) => {
      output.destroy(isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'EISDIR') ? notFound() : error);
    });
    return input.pipe(output);
  }

  async function exists(key: string): Promise<boolean> {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
      return (await stat(filePath(key))).isFile();
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ENOTDIR')) return false;
      throw error;
    }
  }

  async function remove(key: string): Promise<void> {
    const file = filePath(key);
    if (await exists(key)) await rm(file, { force: true });
  }

  async function list(prefix: string): Promise<ObjectInfo[]> {
    validateObjectKeyPrefix(prefix);
    // Walk only the deepest folder the prefix fully names; the rest is filtered by key.
    const lastSlash = prefix.lastIndexOf('/');
    const base = lastSlash < 0 ? '' : prefix.slice(0, lastSlash);
    const results: ObjectInfo[] = [];
    async function walk(relative: string): Promise<void> {
      let entries;
      try {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
        entries = await readdir(path.join(root, ...(relative === '' ? [] : relative.split('/'))), { withFileTypes: true });
      } catch (error) {
        if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ENOTDIR')) return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.name.startsWith(tempPrefix)) continue;
        const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the configured root joined with a validated key (or a random temp name)
          const info = await stat(path.join(root, ...key.split('/')));
          results.push({ key, size: info.size, modified: info.mtime });
        }
      }
    }
    await walk(base);
    return results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  return { put, get, exists, delete: remove, list };
}
