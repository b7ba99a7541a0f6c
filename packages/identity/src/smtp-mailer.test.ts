import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { InvitationMessage } from './mailer.js';
import { createSmtpMailer, smtpTransportOptions } from './smtp-mailer.js';
import { createIdentityTestHarness, enrolOwner, tokenOfLink, type IdentityTestHarness } from './testing/index.js';

interface ReceivedMail {
  readonly mailFrom: string | undefined;
  readonly rcptTo: string[];
  readonly raw: string;
}

interface TestSmtpServer {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** While true, every recipient is refused with a 550 that quotes the address, as real servers do. */
  rejectRecipients: boolean;
  close(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on loopback, requiring a login. */
async function startSmtpServer(): Promise<TestSmtpServer> {
  const password = randomBytes(12).toString('hex');
  const received: ReceivedMail[] = [];
  const state = { rejectRecipients: false };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'kindling' && auth.password === password) callback(null, { user: 'kindling' });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (state.rejectRecipients) callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
      });
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address;
        received.push({ mailFrom, rcptTo: session.envelope.rcptTo.map((to) => to.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const url = new URL(`smtp://127.0.0.1:${String((server.server.address() as AddressInfo).port)}`);
  url.username = 'kindling';
  url.password = password;
  return {
    url: url.toString(),
    received,
    get rejectRecipients() {
      return state.rejectRecipients;
    },
    set rejectRecipients(value: boolean) {
      state.rejectRecipients = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A header of a raw message, unfolded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n', 1)[0]?.replace(/\r\n[ \t]+/g, ' ') ?? '';
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

/** The decoded body of the message's part of `contentType` (7bit, quoted-printable or base64). */
function bodyPart(raw: string, contentType: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(header(raw, 'Content-Type') ?? '')?.[1];
  if (boundary === undefined) throw new Error('not a multipart message');
  const part = raw.split(`--${boundary}`).find((candidate) => new RegExp(`Content-Type: ${contentType}`, 'i').test(candidate));
  if (part === undefined) throw new Error(`no ${contentType} part`);
  const separator = part.indexOf('\r\n\r\n');
  const partHeaders = part.slice(0, separator);
  const body = part.slice(separator + 4);
  if (/Content-Transfer-Encoding: base64/i.test(partHeaders)) return Buffer.from(body, 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(partHeaders)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

interface LogLine {
  readonly fields: object;
  readonly message: string;
}

function recordingLogger(lines: LogLine[]): { info(fields: object, message: string): void } {
  return { info: (fields, message) => lines.push({ fields, message }) };
}

const link = `http://localhost:8080/enrol#token=kdl_i_${'A'.repeat(43)}`;

function invitation(overrides: Partial<InvitationMessage> = {}): InvitationMessage {
  return {
    to: 'new.colleague@example.org',
    organisationId: '6f1c2a0e-8d4b-4f7a-9c1e-2b3d4e5f6a7b',
    organisationName: 'Friends of the Park',
    invitationId: '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e',
    role: 'analyst',
    link,
    expiresAt: new Date('2026-12-06T09:30:00Z'),
    ...overrides,
  };
}

describe('SMTP mailer', () => {
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(() => {
    smtp.rejectRecipients = false;
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('delivers the invitation (from, to, subject, link in text and HTML) and logs neither link nor address', async () => {
    const lines: LogLine[] = [];
    const mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'kindling@charity.example', logger: recordingLogger(lines) });
    expect(mailer.deliversMail).toBe(true);
    await mailer.sendInvitation(invitation());

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail?.mailFrom).toBe('kindling@charity.example');
    expect(mail?.rcptTo).toEqual(['new.colleague@example.org']);
    const raw = mail?.raw ?? '';
    expect(header(raw, 'From')).toBe('kindling@charity.example');
    expect(header(raw, 'To')).toBe('new.colleague@example.org');
    expect(header(raw, 'Subject')).toBe('You are invited to Friends of the Park on Kindling');
    const text = bodyPart(raw, 'text/plain');
    expect(text).toContain(link);
    expect(text).toContain('as an analyst');
    expect(text).toContain('6 December 2026 at 09:30 UTC');
    expect(bodyPart(raw, 'text/html')).toContain(`<a href="${link}">`);

    expect(lines.map((line) => line.message)).toEqual(['invitation e-mail sent']);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('kdl_i_');
    expect(logged).not.toContain('new.colleague');
  });

  it('escapes the organisation name in the HTML part and keeps it on one line in the subject', async () => {
    const mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'kindling@charity.example', logger: recordingLogger([]) });
    await mailer.sendInvitation(invitation({ organisationName: 'Cats & Dogs <script>alert(1)</script>\r\nBcc: victim@example.org' }));
    const raw = smtp.received[0]?.raw ?? '';
    expect(header(raw, 'Bcc')).toBeUndefined();
    expect(smtp.received[0]?.rcptTo).toEqual(['new.colleague@example.org']);
    const html = bodyPart(raw, 'text/html');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Cats &#38; Dogs &#60;script&#62;');
  });

  it('fails with UNAVAILABLE when the server refuses, without the address in the error or its cause', async () => {
    smtp.rejectRecipients = true;
    const lines: LogLine[] = [];
    const mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'kindling@charity.example', logger: recordingLogger(lines) });
    const failure: unknown = await mailer.sendInvitation(invitation()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', message: 'The e-mail could not be sent.' });
    const cause = (failure as { cause?: unknown }).cause;
    expect(String(cause)).toMatch(/SMTP delivery failed \(E[A-Z]+, reply 550\)/);
    expect(String(cause)).not.toContain('new.colleague');
    expect(lines).toEqual([]);
  });

  it('fails with UNAVAILABLE on wrong credentials', async () => {
    const wrong = new URL(smtp.url);
    wrong.password = 'not-the-password';
    const mailer = createSmtpMailer({ smtpUrl: wrong.toString(), from: 'kindling@charity.example', logger: recordingLogger([]) });
    await expect(mailer.sendInvitation(invitation())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(smtp.received).toEqual([]);
  });

  it('requires TLS before sending credentials anywhere but loopback', () => {
    expect(smtpTransportOptions('smtp://user:pw@mail.example.org:587')).toMatchObject({ host: 'mail.example.org', port: 587, secure: false, requireTLS: true });
    expect(smtpTransportOptions('smtp://user:pw@127.0.0.1:2525')).toMatchObject({ secure: false, requireTLS: false });
    expect(smtpTransportOptions('smtp://relay.example.org')).toMatchObject({ requireTLS: false });
    expect(smtpTransportOptions('smtp://relay.example.org')).not.toHaveProperty('auth');
    expect(smtpTransportOptions('smtps://us%40er:p%3Aw@mail.example.org')).toMatchObject({ secure: true, auth: { user: 'us@er', pass: 'p:w' } });
  });

  describe('invitations sent by SMTP', () => {
    let harness: IdentityTestHarness;
    const meta = { clientAddress: '192.0.2.30', userAgent: 'kindling-test' };

    beforeAll(async () => {
      harness = await createIdentityTestHarness({
        clusterOwnerUrl: inject('clusterOwnerUrl'),
        appRolePassword: inject('appRolePassword'),
        mailer: createSmtpMailer({ smtpUrl: smtp.url, from: 'kindling@charity.example', logger: recordingLogger([]) }),
      });
    });
    afterAll(async () => {
      await harness.close();
    });

    it('keeps an invitation whose mail failed; inviting again delivers a working link and withdraws the first', async () => {
      const owner = await enrolOwner(harness, 'smtp-owner@example.org');
      const input = { orgId: owner.organisationId, email: 'smtp-invitee@example.org', role: 'viewer' as const, invitedBy: { userId: owner.userId, role: 'owner' as const } };

      smtp.rejectRecipients = true;
      const failure: unknown = await harness.identity.invitations.createInvitation(input, meta).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: 'UNAVAILABLE', details: { reason: 'mail_not_sent' } });
      const failedId = (failure as { details: { invitationId: string } }).details.invitationId;
      const kept = await harness.database.ownerDb.selectFrom('invitation').select(['accepted_at', 'revoked_at']).where('id', '=', failedId).executeTakeFirstOrThrow();
      expect(kept).toEqual({ accepted_at: null, revoked_at: null });

      smtp.rejectRecipients = false;
      const created = await harness.identity.invitations.createInvitation(input, meta);
      expect(created.delivered).toBe(true);
      const withdrawn = await harness.database.ownerDb.selectFrom('invitation').select('revoked_at').where('id', '=', failedId).executeTakeFirstOrThrow();
      expect(withdrawn.revoked_at).not.toBeNull();
      const text = bodyPart(smtp.received[0]?.raw ?? '', 'text/plain');
      const sentLink = /http:\/\/localhost:8080\/enrol#token=\S+/.exec(text)?.[0] ?? '';
      expect(sentLink).toBe(created.link);
      await expect(harness.identity.invitations.inspectInvitation(tokenOfLink(sentLink))).resolves.toMatchObject({ role: 'viewer', account: 'new' });
    });
  });
});
