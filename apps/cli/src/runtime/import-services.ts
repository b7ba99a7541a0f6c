import type { Config } from '@kindling/config';
import type { ZipLimits } from '@kindling/crm-import';
import type { Database, Kysely } from '@kindling/db';
import { createImportMappingStore, createImportService, uploadChunkBytes, type ImportService } from '@kindling/reference-store';
import { createImportJobs, type ImportJobs } from '@kindling/worker';
import type { PlatformServices } from './platform-services.js';

/** The zip limits every import path applies: entries, expanded size (IMPORT_MAX_BYTES) and ratio. */
export function importZipLimits(config: Pick<Config, 'imports'>): ZipLimits {
  return { maxEntries: 1000, maxTotalBytes: config.imports.maxBytes, maxRatio: 200 };
}

/** The import jobs, built with the platform's services (the job process registers them). */
export function createConfiguredImportJobs(config: Pick<Config, 'imports'>, platform: Pick<PlatformServices, 'fields' | 'objectStore'>): ImportJobs {
  return createImportJobs({ fields: platform.fields, objectStore: platform.objectStore, maxRejectedShare: config.imports.maxRejectedShare, zipLimits: importZipLimits(config) });
}

/** Imports through the API: uploads, inspection, imports queued as `import.run` jobs, history and reports. */
export function createConfiguredImportService(config: Pick<Config, 'imports'>, db: Kysely<Database>, platform: Pick<PlatformServices, 'fields' | 'objectStore' | 'identity'>): ImportService {
  return createImportService({
    db,
    fields: platform.fields,
    objectStore: platform.objectStore,
    mappings: createImportMappingStore(db),
    queue: createConfiguredImportJobs(config, platform).queue,
    names: platform.identity.directory,
    maxUploadBytes: config.imports.maxBytes,
    chunkBytes: uploadChunkBytes,
    zipLimits: importZipLimits(config),
  });
}
