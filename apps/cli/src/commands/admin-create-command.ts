import { z } from 'zod';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { withAppDatabase } from '../runtime/app-database.js';
import { createPlatformServices } from '../runtime/platform-services.js';

export interface AdminCreateOptions {
  readonly org: string;
  readonly email: string;
}

/**
 * `kindling admin create --org NAME --email EMAIL`: a new organisation with its owner, who
 * enrols (password, then a second factor) through the one-time link printed here.
 */
const optionsSchema = z.object({
  org: z.string().trim().min(1, '--org must name the organisation').max(200, '--org must be at most 200 characters'),
  email: z.string().trim().pipe(z.email('--email must be an email address')),
});

export async function adminCreateCommand(options: AdminCreateOptions, config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  const { org, email } = parsed.data;
  const created = await withAppDatabase(config, logger, async (db, effective) => {
    const { identity } = await createPlatformServices(effective, db, logger);
    return identity.invitations.bootstrapOrganisation({ name: org, ownerEmail: email });
  });
  print(`Created organisation "${org}" (${created.organisationId}).`);
  print(`One-time enrolment link for its owner (valid until ${created.expiresAt.toISOString()}):`);
  print(created.link);
}
