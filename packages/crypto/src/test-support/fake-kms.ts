import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type DecryptCommandOutput,
  type EncryptCommandOutput,
  type GenerateDataKeyCommandOutput,
} from '@aws-sdk/client-kms';
import type { KmsClientLike } from '../aws-kms/index.js';

/** An error shaped like the SDK's service exceptions (their `name` is what callers branch on). */
function kmsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** KMS binds the encryption context as AAD, order-independently: sort the pairs. */
function contextAad(context: Record<string, string> | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

export interface RecordedCall {
  readonly operation: 'GenerateDataKey' | 'Encrypt' | 'Decrypt';
  readonly keyId: string | undefined;
  readonly encryptionContext: Record<string, string> | undefined;
}

/**
 * An in-process stand-in for AWS KMS (a third-party service we cannot run in tests): real
 * AES-256-GCM under per-key secrets, encryption context as AAD, and KMS's error names. It fakes
 * AWS, not our code: the provider under test sends the SDK's real command objects to it.
 */
export class FakeKms implements KmsClientLike {
  readonly calls: RecordedCall[] = [];
  #keys = new Map<string, Buffer>();
  #unavailable = false;

  constructor(keyIds: readonly string[]) {
    for (const id of keyIds) this.#keys.set(id, randomBytes(32));
  }

  /** From now on every call fails as if KMS were throttling or unreachable. */
  breakDown(): void {
    this.#unavailable = true;
  }

  #encrypt(keyId: string | undefined, plaintext: Uint8Array, context: Record<string, string> | undefined): Buffer {
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (keyId === undefined || key === undefined) throw kmsError('NotFoundException', 'key not found');
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(contextAad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId, 'utf8');
    return Buffer.concat([Buffer.from([id.length]), id, nonce, body, cipher.getAuthTag()]);
  }

  #decrypt(requestedKeyId: string | undefined, blob: Uint8Array | undefined, context: Record<string, string> | undefined): { keyId: string; plaintext: Buffer } {
    const bytes = Buffer.from(blob ?? []);
    const idLength = bytes[0] ?? 0;
    const keyId = bytes.subarray(1, 1 + idLength).toString('utf8');
    const key = this.#keys.get(keyId);
    if (key === undefined || bytes.length < 1 + idLength + 12 + 16) throw kmsError('InvalidCiphertextException', 'invalid ciphertext');
    if (requestedKeyId !== undefined && requestedKeyId !== keyId) throw kmsError('IncorrectKeyException', 'ciphertext was made under another key');
    const nonce = bytes.subarray(1 + idLength, 1 + idLength + 12);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    decipher.setAAD(contextAad(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    try {
      return { keyId, plaintext: Buffer.concat([decipher.update(bytes.subarray(1 + idLength + 12, bytes.length - 16)), decipher.final()]) };
    } catch {
      throw kmsError('InvalidCiphertextException', 'invalid ciphertext');
    }
  }

  send(command: GenerateDataKeyCommand): Promise<GenerateDataKeyCommandOutput>;
  send(command: EncryptCommand): Promise<EncryptCommandOutput>;
  send(command: DecryptCommand): Promise<DecryptCommandOutput>;
  send(command: GenerateDataKeyCommand | EncryptCommand | DecryptCommand): Promise<GenerateDataKeyCommandOutput | EncryptCommandOutput | DecryptCommandOutput> {
    return Promise.resolve().then(() => {
      if (this.#unavailable) throw kmsError('ThrottlingException', 'rate exceeded');
      const $metadata = {};
      if (command instanceof GenerateDataKeyCommand) {
        const { KeyId, KeySpec, EncryptionContext } = command.input;
        this.calls.push({ operation: 'GenerateDataKey', keyId: KeyId, encryptionContext: EncryptionContext });
        if (KeySpec !== 'AES_256') throw kmsError('ValidationException', 'unsupported key spec');
        const plaintext = randomBytes(32);
        return { $metadata, KeyId, Plaintext: plaintext, CiphertextBlob: this.#encrypt(KeyId, plaintext, EncryptionContext) };
      }
      if (command instanceof EncryptCommand) {
        const { KeyId, Plaintext, EncryptionContext } = command.input;
        this.calls.push({ operation: 'Encrypt', keyId: KeyId, encryptionContext: EncryptionContext });
        return { $metadata, KeyId, CiphertextBlob: this.#encrypt(KeyId, Plaintext ?? new Uint8Array(), EncryptionContext) };
      }
      const { KeyId, CiphertextBlob, EncryptionContext } = command.input;
      this.calls.push({ operation: 'Decrypt', keyId: KeyId, encryptionContext: EncryptionContext });
      const { keyId, plaintext } = this.#decrypt(KeyId, CiphertextBlob, EncryptionContext);
      return { $metadata, KeyId: keyId, Plaintext: plaintext };
    });
  }
}
