export { createPostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js';
