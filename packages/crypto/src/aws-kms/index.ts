export { createKmsRootKeyProvider, type KmsClientLike, type KmsRootKeyOptions } from './kms-root-key-provider.js';
