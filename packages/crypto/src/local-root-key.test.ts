import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataProtection, createInMemoryKeyStore, createLocalRootKeyProvider, isCryptoFailure, localRootKeyPath } from './index.js';
import { failureOf } from './test-support/expect-failure.js';

let home: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-root-key-'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('local root key provider', () => {
  it('creates <home>/secrets/root.key with mode 0600 (folder 0700) on first use, and reuses it', async () => {
    const first = await createLocalRootKeyProvider({ home });
    const file = localRootKeyPath(home);
    expect(file).toBe(path.join(home, 'secrets', 'root.key'));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const content = await fs.readFile(file, 'utf8');
    expect(Buffer.from(content.trim(), 'base64')).toHaveLength(32);

    const orgId = randomUUID();
    const { key, wrapped } = await first.generateKey(orgId);
    const second = await createLocalRootKeyProvider({ home });
    expect(second.id).toBe(first.id);
    expect(await fs.readFile(file, 'utf8')).toBe(content);
    expect((await second.unwrap(orgId, wrapped)).equals(key)).toBe(true);
    // No temporary files left behind.
    expect(await fs.readdir(path.dirname(file))).toEqual(['root.key']);
  });

  it('agrees on one key when several processes start at once', async () => {
    const providers = await Promise.all(Array.from({ length: 8 }, () => createLocalRootKeyProvider({ home })));
    expect(new Set(providers.map((p) => p.id)).size).toBe(1);
    expect(await fs.readdir(path.join(home, 'secrets'))).toEqual(['root.key']);
  });

  it('refuses a key file that other users can read', async () => {
    await createLocalRootKeyProvider({ home });
    await fs.chmod(localRootKeyPath(home), 0o644);
    await expect(createLocalRootKeyProvider({ home })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/mode 600/) as unknown });
  });

  it('refuses a key file that is not 32 bytes of base64', async () => {
    await fs.mkdir(path.join(home, 'secrets'), { mode: 0o700 });
    await fs.writeFile(localRootKeyPath(home), 'c2hvcnQ=\n', { mode: 0o600 });
    await expect(createLocalRootKeyProvider({ home })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('takes a key given as base64 or base64url, and refuses anything else', async () => {
    const raw = randomBytes(32);
    const a = await createLocalRootKeyProvider({ keyBase64: raw.toString('base64') });
    const b = await createLocalRootKeyProvider({ keyBase64: raw.toString('base64url') });
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(a.id).not.toContain(raw.toString('hex').slice(0, 16));
    for (const bad of ['', 'not base64!', randomBytes(16).toString('base64'), `${raw.toString('base64')}!!`, Buffer.alloc(32).toString('base64')]) {
      await expect(createLocalRootKeyProvider({ keyBase64: bad })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });

  it('binds each wrapped KEK to its organisation and detects tampering', async () => {
    const provider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
    const [orgA, orgB] = [randomUUID(), randomUUID()];
    const kek = randomBytes(32);
    const wrapped = await provider.wrap(orgA, kek);
    expect((await provider.unwrap(orgA, wrapped)).equals(kek)).toBe(true);
    expect(isCryptoFailure(await failureOf(provider.unwrap(orgB, wrapped)), 'integrity')).toBe(true);
    for (let i = 0; i < wrapped.length; i += 1) {
      const altered = Buffer.from(wrapped);
      altered[i] = (altered[i] ?? 0) ^ 0x10;
      expect(isCryptoFailure(await failureOf(provider.unwrap(orgA, altered))), `byte ${String(i)}`).toBe(true);
    }
    const other = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
    expect(isCryptoFailure(await failureOf(other.unwrap(orgA, wrapped)), 'integrity')).toBe(true);
  });

  it('serves as the root of a working hierarchy', async () => {
    const rootKeyProvider = await createLocalRootKeyProvider({ home });
    const protection = createDataProtection({ keyStore: createInMemoryKeyStore({ rootKeyProvider }) });
    const context = { orgId: randomUUID(), purpose: 'object', objectKey: 'a' } as const;
    const ciphertext = await protection.encryptBuffer(Buffer.from('hello'), context);
    expect((await protection.decryptBuffer(ciphertext, context)).toString()).toBe('hello');
  });
});
