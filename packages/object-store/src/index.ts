export type { ObjectInfo, ObjectStore } from './object-store.js';
export { maxObjectKeyLength, validateObjectKey } from './object-key.js';
export { createLocalFolderStore, type LocalFolderStoreOptions } from './local-folder-store.js';
export { createEncryptedObjectStore, type EncryptedObjectStoreOptions } from './encrypted-object-store.js';
export { createS3Store, type S3StoreOptions } from './s3-store.js';
