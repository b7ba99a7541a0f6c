import { isIP } from 'node:net';
import { createTransport, type SMTPTransportOptions } from 'nodemailer';
import { AppError } from '@kindling/errors';
import { composeInvitationEmail } from './invitation-email.js';
import type { Mailer } from './mailer.js';

/** The one logger method the SMTP mailer needs (pino's `info` fits). */
export interface InfoLogger {
  info(fields: object, message: string): void;
}

export interface SmtpMailerOptions {
  /** SMTP_URL: `smtps://` (TLS from the start) or `smtp://` (STARTTLS when offered), credentials in the URL. */
  readonly smtpUrl: string;
  /** MAIL_FROM: the sender address. */
  readonly from: string;
  readonly logger: InfoLogger;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}

/** SMTP_URL as nodemailer transport options, with the limits a request handler can live with. */
export function smtpTransportOptions(smtpUrl: string): SMTPTransportOptions {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = decodeURIComponent(url.username);
  return {
    host,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    secure,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    // A password must never cross the network in clear: with credentials, smtp:// to anything
    // but this machine has to upgrade to TLS or fail (a local relay often offers no STARTTLS).
    requireTLS: !secure && user !== '' && !isLoopback(host),
    // The invitation request waits for the mail server; a dead one must not hold it for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    // Messages never carry attachments; refuse any path or URL content outright.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * Only the SMTP error code and reply code survive into the cause: the server's message often
 * quotes the recipient ("550 <name@example.org>: no such user"), and causes reach the logs.
 */
function deliveryFailure(error: unknown): AppError {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  const reply = error instanceof Error && 'responseCode' in error && typeof error.responseCode === 'number' ? `, reply ${String(error.responseCode)}` : '';
  return new AppError('UNAVAILABLE', 'The e-mail could not be sent.', { cause: new Error(`SMTP delivery failed (${code}${reply})`) });
}

/**
 * Sends invitations through the configured SMTP server (SMTP_URL, from MAIL_FROM). The link is a
 * credential and the address personal data: neither is logged, only that a mail went out.
 * A failed delivery throws UNAVAILABLE; the caller decides what that means for the invitation.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = createTransport(smtpTransportOptions(options.smtpUrl));
  return {
    deliversMail: true,
    async sendInvitation(message) {
      const email = composeInvitationEmail(message);
      try {
        await transport.sendMail({ from: options.from, to: message.to, subject: email.subject, text: email.text, html: email.html });
      } catch (error) {
        throw deliveryFailure(error);
      }
      options.logger.info({ invitationId: message.invitationId, organisationId: message.organisationId }, 'invitation e-mail sent');
    },
  };
}
