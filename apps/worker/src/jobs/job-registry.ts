import type { JobDefinition } from './job-definition.js';
import { pruneIdentityRecordsJob } from './prune-identity-records.js';
import { pruneJobHistory } from './prune-job-history.js';

export interface JobRegistry {
  find(id: string, version: number): JobDefinition | undefined;
  list(): readonly JobDefinition[];
}

export function createJobRegistry(definitions: readonly JobDefinition[]): JobRegistry {
  const byKey = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    const key = `${definition.id}@${String(definition.version)}`;
    if (byKey.has(key)) throw new Error(`job ${key} is defined twice`);
    byKey.set(key, definition);
  }
  return {
    find: (id, version) => byKey.get(`${id}@${String(version)}`),
    list: () => [...byKey.values()],
  };
}

/** Every job Kindling can run. Later features add their definitions here. */
export const builtInJobs: JobRegistry = createJobRegistry([pruneJobHistory, pruneIdentityRecordsJob]);
