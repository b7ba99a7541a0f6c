export { createPostgresKeyStore, defaultKekCacheTtlMs, type PostgresKeyStoreOptions } from './postgres-key-store.js';
