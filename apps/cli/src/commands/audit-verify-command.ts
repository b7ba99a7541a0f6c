import fs from 'node:fs/promises';
import type { Config } from '@kindling/config';
import { sql, verifyAuditChain } from '@kindling/db';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { openOwnerDatabase } from '../runtime/database-setup.js';
import { acquireInstanceLock } from '../runtime/instance-lock.js';

/**
 * `kindling audit verify`: walks the audit log's hash chain as the database owner (the only role
 * that sees every organisation's events) and prints the number of events and the chain head, or
 * fails (exit 1) naming the first bad event. Read-only. With the embedded database it takes the
 * instance lock like `db migrate`, so it runs while Kindling is stopped; against DATABASE_URL it
 * can run at any time. Record the printed head hash somewhere else: a later run that does not
 * reach the same hash at that event means the log was rewritten wholesale.
 */
export async function auditVerifyCommand(config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  await fs.mkdir(config.home, { recursive: true, mode: 0o711 });
  const lock = config.database.mode === 'embedded' ? await acquireInstanceLock(config.home) : undefined;
  try {
    const owner = await openOwnerDatabase(config, logger);
    try {
      const { rows } = await sql<{ present: boolean }>`SELECT to_regclass('public.audit_event') IS NOT NULL AS present`.execute(owner.db);
      if (rows[0]?.present !== true) {
        throw new AppError('CONFLICT', `The database has no audit log yet (${owner.description}): run \`kindling db migrate\` first`);
      }
      const result = await verifyAuditChain(owner.db);
      if (!result.intact) {
        throw new AppError(
          'CONFLICT',
          `audit log NOT intact: ${result.fault.message} [${result.fault.problem}]; the ${String(result.events)} event(s) before it verified`,
        );
      }
      print(`audit log intact: ${String(result.events)} events`);
      if (result.headSeq !== null) print(`chain head: event ${String(result.headSeq)}, sha256 ${result.headHash.toString('hex')}`);
    } finally {
      await owner.close();
    }
  } finally {
    await lock?.release();
  }
}
