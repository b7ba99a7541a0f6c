import type { InvitationMessage } from './mailer.js';

/** An e-mail ready to send: a plain-text body for every client, and a simple HTML alternative. */
export interface ComposedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const roleArticles: Readonly<Record<InvitationMessage['role'], string>> = {
  owner: 'an owner',
  admin: 'an administrator',
  analyst: 'an analyst',
  viewer: 'a viewer',
};

/** Organisation names are typed by people: no control characters (a line break would end a header). */
function singleLine(value: string): string {
  return value.replace(/\p{Cc}+/gu, ' ').trim();
}

/** The organisation name and the link end up in HTML; neither may add markup. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${String(character.codePointAt(0))};`);
}

/** `expiresAt` in words that do not depend on the reader's time zone guessing: UTC, spelled out. */
function expiryText(expiresAt: Date): string {
  const formatted = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(expiresAt);
  return `${formatted} UTC`;
}

/**
 * The invitation (enrolment) e-mail. Says who invites to what, that the link works once and
 * until when, and what to do when the mail was not expected. Contains no tracking and no
 * remote content; the only link is the enrolment link.
 */
export function composeInvitationEmail(message: InvitationMessage): ComposedEmail {
  const organisation = singleLine(message.organisationName);
  const role = roleArticles[message.role];
  const expires = expiryText(message.expiresAt);
  const subject = `You are invited to ${organisation} on Kindling`;
  const text = [
    'Hello,',
    '',
    `You have been invited to join ${organisation} on Kindling as ${role}.`,
    '',
    `Open this link to set up your account. It works once, until ${expires}:`,
    '',
    message.link,
    '',
    'If you did not expect this invitation, you can ignore this e-mail: nothing happens unless the link is opened.',
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><body>',
    '<p>Hello,</p>',
    `<p>You have been invited to join <strong>${escapeHtml(organisation)}</strong> on Kindling as ${role}.</p>`,
    `<p>Open this link to set up your account. It works once, until ${escapeHtml(expires)}:</p>`,
    `<p><a href="${escapeHtml(message.link)}">Set up my Kindling account</a></p>`,
    `<p>If the link does not open, copy this address into your browser:<br>${escapeHtml(message.link)}</p>`,
    '<p>If you did not expect this invitation, you can ignore this e-mail: nothing happens unless the link is opened.</p>',
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
