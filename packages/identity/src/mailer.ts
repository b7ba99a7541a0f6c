import type { Role } from '@kindling/access';

/** An invitation to deliver. `to` is personal data: a mailer sends it, never logs it. */
export interface InvitationMessage {
  readonly to: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly invitationId: string;
  readonly role: Role;
  /** `${PUBLIC_URL}/enrol#token=…`: a capability, valid once, until `expiresAt`. */
  readonly link: string;
  readonly expiresAt: Date;
}

/** How invitations reach people: `createSmtpMailer` when SMTP_URL is set, otherwise `createLogMailer`. */
export interface Mailer {
  /** False when links are not actually delivered, so the API hands them to the inviting admin. */
  readonly deliversMail: boolean;
  sendInvitation(message: InvitationMessage): Promise<void>;
}

/** The one logger method the log mailer needs (pino's `warn` fits). */
export interface WarnLogger {
  warn(fields: object, message: string): void;
}

/**
 * With no mail server configured: writes the link to the log at `warn`, as "invitation link",
 * for an administrator to pass on. The link is a capability, not personal data; the address is
 * never logged (only identifiers).
 */
export function createLogMailer(logger: WarnLogger): Mailer {
  return {
    deliversMail: false,
    sendInvitation(message) {
      logger.warn(
        {
          invitationId: message.invitationId,
          organisationId: message.organisationId,
          role: message.role,
          link: message.link,
          expiresAt: message.expiresAt.toISOString(),
        },
        'invitation link',
      );
      return Promise.resolve();
    },
  };
}
