import type { DataProtection } from '@kindling/crypto';
import type { Database, Kysely } from '@kindling/db';
import { createEncryptedObjectStore, createLocalFolderStore, type ObjectStore } from '@kindling/object-store';
import { createImportMappingStore, createImportService, type ImportService, type StarterNames } from '@kindling/reference-store';
import { createImportJobs, type ImportJobs } from '@kindling/worker';

export interface ImportTestServices {
  readonly imports: ImportService;
  readonly jobs: ImportJobs;
  readonly objectStore: (orgId: string) => ObjectStore;
}

/** Small, so a few kilobytes already take several chunks. */
export const testUploadChunkBytes = 4096;

export const testZipLimits = { maxEntries: 100, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 200 } as const;

/**
 * The real import service and jobs, as `kindling start` wires them, over a test database and a
 * local folder as the object store's backend.
 */
export function importTestServices(options: {
  readonly db: Kysely<Database>;
  readonly fields: DataProtection;
  readonly objectRoot: string;
  readonly names: StarterNames;
  readonly chunkBytes?: number;
  readonly maxUploadBytes?: number;
}): ImportTestServices {
  const backend = createLocalFolderStore({ root: options.objectRoot });
  const objectStore = (orgId: string): ObjectStore => createEncryptedObjectStore({ backend, dataProtection: options.fields, orgId });
  const jobs = createImportJobs({ fields: options.fields, objectStore, maxRejectedShare: 0.5, zipLimits: testZipLimits });
  const imports = createImportService({
    db: options.db,
    fields: options.fields,
    objectStore,
    mappings: createImportMappingStore(options.db),
    queue: jobs.queue,
    names: options.names,
    maxUploadBytes: options.maxUploadBytes ?? 1024 * 1024,
    chunkBytes: options.chunkBytes ?? testUploadChunkBytes,
    zipLimits: testZipLimits,
  });
  return { imports, jobs, objectStore };
}
