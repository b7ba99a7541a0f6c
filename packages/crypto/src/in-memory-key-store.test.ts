import { randomUUID } from 'node:crypto';
import { createInMemoryKeyStore } from './index.js';
import { createLocalRootKeyProvider } from './local-root-key.js';
import { describeKeyStoreContract } from './test-support/key-store-contract.js';

const newOrg = (): Promise<string> => Promise.resolve(randomUUID());

describeKeyStoreContract('in-memory key store', () => ({ store: createInMemoryKeyStore(), newOrg }));

const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: Buffer.alloc(32, 7).toString('base64') });
describeKeyStoreContract('in-memory key store with wrapped KEKs', () => ({ store: createInMemoryKeyStore({ rootKeyProvider }), newOrg }));
