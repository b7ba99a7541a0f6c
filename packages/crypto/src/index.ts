export { createDataProtection, defaultStreamSegmentSize, type DataProtection, type DataProtectionOptions, type OrganisationKeys } from './data-protection.js';
export type { EncryptionContext, FieldContext, ObjectContext } from './encryption-context.js';
export { platformScopeId, type GeneratedKey, type Kek, type KeyStore, type RootKeyProvider } from './key-store.js';
export { createInMemoryKeyStore, type InMemoryKeyStoreOptions } from './in-memory-key-store.js';
export { createLocalRootKeyProvider, localRootKeyPath, type LocalRootKeyOptions } from './local-root-key.js';
export { normaliseEmail, normaliseExternalId } from './normalise.js';
export { readEnvelopeHeader, messageOverhead, type EnvelopeInfo } from './envelope-header.js';
export { cryptoFailureReasons, isCryptoFailure, type CryptoFailureReason } from './crypto-failure.js';
