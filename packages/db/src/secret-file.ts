import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads a generated credential, creating it (32 random bytes, base64url, mode 0600) on first use.
 * Generated per installation, so no secret ever has a default value.
 */
export async function readOrCreateSecretFile(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString('base64url');
    try {
      await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch (writeError) {
      // Another process created it between our read and write: use theirs.
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') return (await fs.readFile(file, 'utf8')).trim();
      throw writeError;
    }
  }
}
