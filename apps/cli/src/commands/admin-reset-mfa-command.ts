import { z } from 'zod';
import type { Config } from '@kindling/config';
import { AppError } from '@kindling/errors';
import type { Logger } from '@kindling/logger';
import { withAppDatabase } from '../runtime/app-database.js';
import { createPlatformServices } from '../runtime/platform-services.js';

export interface AdminResetMfaOptions {
  readonly email: string;
}

const optionsSchema = z.object({ email: z.string().trim().pipe(z.email('--email must be an email address')) });

/**
 * `kindling admin reset-mfa --email EMAIL`: the operator's way back in for someone who lost both
 * their authenticator and their recovery codes — including the last owner of an organisation, or
 * a person in several organisations, whom no organisation's admin may reset. Removes their
 * authenticator app, recovery codes and passkeys and ends their sessions; their password stays,
 * and they enrol a new authenticator at their next sign-in. Audited as `auth.mfa.reset` with no
 * person as actor (the operator acts through the server's own database access).
 */
export async function adminResetMfaCommand(options: AdminResetMfaOptions, config: Config, logger: Logger, print: (line: string) => void): Promise<void> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((issue) => issue.message).join('; '));
  await withAppDatabase(config, logger, async (db, effective) => {
    const { identity } = await createPlatformServices(effective, db, logger);
    const account = await identity.directory.findByEmailBlindIndex(await identity.directory.emailBlindIndex(parsed.data.email));
    if (account === undefined) throw new AppError('NOT_FOUND', 'No account has that e-mail address.');
    await identity.mfa.resetMfa(account.id, { orgId: null, userId: null }, { clientAddress: null, userAgent: 'kindling admin reset-mfa' });
  });
  print(`Two-step verification of ${parsed.data.email} was reset: their sessions have ended, and they set up a new authenticator at their next sign-in.`);
}
