import type { Config } from '@kindling/config';
import { createLogMailer, createSmtpMailer, type InfoLogger, type Mailer, type WarnLogger } from '@kindling/identity';

/** The mail server of SMTP_URL when set; otherwise invitation links go to the log for an admin to pass on. */
export function createConfiguredMailer(config: Pick<Config, 'mail'>, logger: InfoLogger & WarnLogger): Mailer {
  if (config.mail === undefined) return createLogMailer(logger);
  return createSmtpMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
}
