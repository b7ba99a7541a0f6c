import { z } from 'zod';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import { defaultKekCacheTtlMs } from '@kindling/crypto/postgres';
import type { Logger } from '@kindling/logger';
import { createKeyRewrapJobs } from '@kindling/worker';
import { withAppDatabase } from '../runtime/app-database.js';
import { rotateKeys } from '../runtime/key-rotation.js';
import { withOwnerServices } from '../runtime/owner-services.js';
import { createPlatformServices } from '../runtime/platform-services.js';

export interface KeysRotateOptions {
  readonly org?: string | undefined;
}

// A little past the key cache's lifetime, so every running process writes the new version by then.
const rewrapDelayMs = defaultKekCacheTtlMs + 10_000;

const optionsSchema = z.object({ org: z.uuid('--org must be an organisation id (a UUID)').optional() });

/**
 * `kindling keys rotate [--org ORG_ID]`: a new key-encryption key version for one organisation,
 * or for every organisation and the platform scope, and a queued re-wrap job for each that the
 * job dispatcher runs at the next opportunity (`kindling start`). With --org it works whether or
 * not Kindling is running; without, it runs as the owner (embedded database: Kindling stopped).
 */
export async function keysRotateCommand(options: KeysRotateOptions, config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  const { org } = parsed.data;
  // One organisation needs only the application role, so it works while Kindling runs; all of
  // them need the owner, the one role that can list every organisation.
  const rotated =
    org === undefined
      ? await withOwnerServices(config, logger, (services) => rotateKeys({ db: services.db, keyStore: services.keyStore, rewrapJobs: createKeyRewrapJobs(services), rewrapDelayMs }))
      : await withAppDatabase(config, logger, async (db, effective) => {
          const platform = await createPlatformServices(effective, db, logger);
          return rotateKeys({ db, keyStore: platform.keyStore, rewrapJobs: createKeyRewrapJobs(platform), rewrapDelayMs }, org);
        });
  for (const scope of rotated) {
    const name = scope.orgId === null ? 'platform scope' : `organisation ${scope.orgId}`;
    if (scope.version === undefined) print(`${name}: keys destroyed, skipped`);
    else print(`${name}: now key version ${String(scope.version)}; re-wrap ${scope.jobId === null ? 'already queued' : `queued as job ${scope.jobId}`}`);
  }
  print('New data is encrypted under the new versions (by a running Kindling within a minute).');
  print(`The re-wrap jobs move existing data from ${String(rewrapDelayMs / 1000)} s from now, whenever Kindling's job dispatcher runs (\`kindling start\`).`);
}
