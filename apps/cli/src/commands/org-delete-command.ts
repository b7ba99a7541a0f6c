import { z } from 'zod';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { deleteOrganisation } from '../runtime/organisation-deletion.js';
import { withOwnerServices } from '../runtime/owner-services.js';

export interface OrgDeleteOptions {
  readonly org: string;
  readonly confirm: string;
}

const optionsSchema = z.object({
  org: z.uuid('--org must be an organisation id (a UUID)'),
  confirm: z.string().min(1, "--confirm must be the organisation's exact name"),
});

/**
 * `kindling org delete --org ORG_ID --confirm "NAME"`: destroys the organisation's keys (so every
 * copy of its encrypted data, backups included, becomes unreadable), then its objects and rows.
 * Irreversible; an operator task, so there is no API route for it.
 */
export async function orgDeleteCommand(options: OrgDeleteOptions, config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  const { org, confirm } = parsed.data;
  const deleted = await withOwnerServices(config, logger, (services) => deleteOrganisation(services, { orgId: org, confirmName: confirm }));
  print(`Deleted organisation ${org}: keys destroyed, ${String(deleted.objectsDeleted)} object(s) deleted, ${String(deleted.sessionsRevoked)} session(s) revoked, ${String(deleted.jobsCancelled)} queued job(s) cancelled.`);
  print('Its encrypted data in backups can no longer be read. Its audit events are kept.');
}
