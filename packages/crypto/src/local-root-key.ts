import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@kindling/errors';
import { decryptionFailure } from './crypto-failure.js';
import { keyLength, nonceLength, open, seal, tagLength } from './aes-gcm.js';
import { canonicalOrgId } from './encryption-context.js';
import type { RootKeyProvider } from './key-store.js';

/** Either the Kindling home (the key lives in `<home>/secrets/root.key`) or the key itself. */
export type LocalRootKeyOptions =
  | { readonly home: string }
  /** 32 bytes as base64 or base64url, e.g. from an environment variable the caller read. */
  | { readonly keyBase64: string };

/** Where the local root key of a Kindling home lives. */
export function localRootKeyPath(home: string): string {
  return path.join(home, 'secrets', 'root.key');
}

const wrapFormat = 1;
const wrapLabel = 'kindling/root/kek-wrap/v1';

function decodeKey(text: string, source: string): Buffer {
  const value = text.trim();
  const key = Buffer.from(value, 'base64');
  // Buffer.from(…, 'base64') skips characters it does not understand, so a typo could still
  // decode to 32 bytes of something else; the round trip makes the decoding exact.
  const exact = key.toString('base64') === value || key.toString('base64url') === value;
  if (!exact || key.length !== keyLength) {
    throw new AppError('CONFIG_INVALID', `The root key from ${source} must be ${String(keyLength)} random bytes in base64`);
  }
  if (key.every((byte) => byte === 0)) throw new AppError('CONFIG_INVALID', `The root key from ${source} is all zeros`);
  return key;
}

/**
 * Reads the key file, creating it on first use. Created atomically: written in full to a
 * private temporary file and then hard-linked into place, which fails if the file already exists,
 * so two processes starting at once agree on one key and neither can read a half-written file.
 */
async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  const directory = path.dirname(file);
  // The directory holds secrets only: owner-only, like ~/.ssh. mkdir's mode applies to folders it
  // creates; an existing folder keeps its mode (the operator's choice).
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path is the operator's KINDLING_HOME, never request data
  await fs.mkdir(directory, { recursive: true, mode: 0o700 });
  try {
    return await readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temporary = path.join(directory, `.root.key.${randomBytes(8).toString('hex')}.tmp`);
  // 0600 at creation (not chmod afterwards), so the key is never readable by others even briefly;
  // umask can only remove bits from it. 'wx' refuses to follow a planted file or symlink.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path derived from the operator's KINDLING_HOME
  const handle = await fs.open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(keyLength).toString('base64')}\n`);
    // On disk before it becomes visible: a crash must not leave an empty root.key behind, which
    // would mean a new key on the next start and every KEK unreadable.
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- both paths derived from the operator's KINDLING_HOME
    await fs.link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
  return readKeyFile(file);
}

async function readKeyFile(file: string): Promise<Buffer> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path derived from the operator's KINDLING_HOME
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AppError('CONFIG_INVALID', `The root key ${file} is not a regular file`);
    // Like ssh with private keys: a root key others can read is refused, not used, because every
    // organisation's data is only as safe as this file.
    if ((stat.mode & 0o077) !== 0) {
      throw new AppError('CONFIG_INVALID', `The root key ${file} is readable or writable by other users; make it mode 600`);
    }
    return decodeKey(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}

/**
 * A root key held by this installation: a 256-bit key from `<home>/secrets/root.key` (created
 * on first use, mode 0600) or handed over as base64. It wraps KEKs with AES-256-GCM under an
 * HKDF subkey, with the organisation id as AAD. Anyone with the key file and a database copy can
 * read everything: in the cloud, use the KMS provider, whose key never leaves KMS.
 */
export async function createLocalRootKeyProvider(options: LocalRootKeyOptions): Promise<RootKeyProvider> {
  const rootKey = 'home' in options ? await readOrCreateKeyFile(localRootKeyPath(options.home)) : decodeKey(options.keyBase64, 'the given value');
  const wrappingKey = Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), wrapLabel, keyLength));
  // The id is a keyed fingerprint, not a hash of the key: it tells root keys apart in the
  // key table and reveals nothing that would help guess the key.
  const id = `local:${createHmac('sha256', rootKey).update('kindling/root/key-id/v1').digest('hex').slice(0, 16)}`;
  rootKey.fill(0);

  function aad(orgId: string): Buffer {
    // Binds a wrapped KEK to its organisation: a key row copied to another organisation fails.
    return Buffer.from(`${wrapLabel}\u0000${canonicalOrgId(orgId)}`, 'utf8');
  }

  async function wrap(orgId: string, keyMaterial: Uint8Array): Promise<Buffer> {
    const nonce = randomBytes(nonceLength);
    const { ciphertext, tag } = seal(wrappingKey, nonce, keyMaterial, aad(orgId));
    return Promise.resolve(Buffer.concat([Buffer.from([wrapFormat]), nonce, ciphertext, tag]));
  }

  return {
    id,
    async generateKey(orgId) {
      const key = randomBytes(keyLength);
      return { key, wrapped: await wrap(orgId, key) };
    },
    wrap,
    async unwrap(orgId, wrapped) {
      if (wrapped.length < 1 + nonceLength + tagLength || wrapped[0] !== wrapFormat) throw decryptionFailure('malformed');
      const tagStart = wrapped.length - tagLength;
      return Promise.resolve(open(wrappingKey, wrapped.subarray(1, 1 + nonceLength), wrapped.subarray(1 + nonceLength, tagStart), wrapped.subarray(tagStart), aad(orgId)));
    },
  };
}
