import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataProtection, ObjectContext } from '@kindling/crypto';
import { validateObjectKey, validateObjectKeyPrefix } from './object-key.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';

export interface EncryptedObjectStoreOptions {
  /** Where the ciphertext goes: a local folder or S3 store. It never sees plaintext. */
  readonly backend: ObjectStore;
  readonly dataProtection: DataProtection;
  /** The organisation whose objects this store holds (a UUID). */
  readonly orgId: string;
}

/**
 * One organisation's view of an object store with every object encrypted by the crypto
 * package's streaming encryption. Keys given to this store are relative: they are stored as
 * `org/<orgId>/<key>` in the backend, and each object is bound to `{ orgId, purpose: 'object',
 * objectKey: <key> }`, so an object file moved to another key or organisation fails to decrypt.
 * Decryption failures surface as the crypto package's `AppError`s (see `isCryptoFailure`); the
 * stream from `get` is untrusted until it ended without an error (truncation shows at the end).
 * Listed sizes are ciphertext sizes.
 */
export function createEncryptedObjectStore(options: EncryptedObjectStoreOptions): ObjectStore {
  const { backend, dataProtection, orgId } = options;
  const namespace = `org/${orgId}/`;

  function context(key: string): ObjectContext {
    validateObjectKey(key);
    return { orgId, purpose: 'object', objectKey: key };
  }

  function backendKey(key: string): string {
    validateObjectKey(key);
    return `${namespace}${key}`;
  }

  async function put(key: string, body: Readable | Uint8Array): Promise<void> {
    const encrypt = dataProtection.createEncryptStream(context(key));
    const source = body instanceof Readable ? body : Readable.from([body]);
    const ciphertext = new PassThrough();
    // Wait for both sides to settle (not Promise.all): a failed source destroys the ciphertext
    // stream, which fails the backend's put, and only once that put settled has it removed its
    // temporary object.
    const results = await Promise.allSettled([pipeline(source, encrypt, ciphertext), backend.put(backendKey(key), ciphertext)]);
    for (const result of results) {
      if (result.status === 'rejected') throw result.reason;
    }
  }

  function get(key: string): Readable {
    const output = new PassThrough();
    let decrypt;
    let stored: Readable;
    try {
      decrypt = dataProtection.createDecryptStream(context(key));
      stored = backend.get(backendKey(key));
    } catch (error) {
      process.nextTick(() => output.destroy(error as Error));
      return output;
    }
    pipeline(stored, decrypt, output).catch(() => {
      // pipeline has already destroyed `output` with the error; the reader sees it there.
    });
    return output;
  }

  async function list(prefix: string): Promise<ObjectInfo[]> {
    validateObjectKeyPrefix(prefix);
    const infos = await backend.list(`${namespace}${prefix}`);
    return infos.map((info) => ({ ...info, key: info.key.slice(namespace.length) }));
  }

  return {
    put,
    get,
    exists: (key) => backend.exists(backendKey(key)),
    delete: (key) => backend.delete(backendKey(key)),
    list,
  };
}
