import { describe, expect, it } from 'vitest';
import { loadConfig } from '@kindling/config';
import type { InvitationMessage } from '@kindling/identity';
import { createConfiguredMailer } from './configured-mailer.js';

const message: InvitationMessage = {
  to: 'someone@example.org',
  organisationId: '6f1c2a9e-8a4b-4c1e-9d2f-0a1b2c3d4e5f',
  organisationName: 'Test charity',
  invitationId: '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e',
  role: 'viewer',
  link: `http://localhost:8080/enrol#token=kdl_i_${'B'.repeat(43)}`,
  expiresAt: new Date('2026-12-06T09:30:00Z'),
};

function recordingLogger() {
  const lines: { level: string; fields: object; message: string }[] = [];
  return {
    lines,
    info: (fields: object, text: string) => lines.push({ level: 'info', fields, message: text }),
    warn: (fields: object, text: string) => lines.push({ level: 'warn', fields, message: text }),
  };
}

describe('the configured mailer', () => {
  it('without SMTP_URL writes the link to the log and says it delivers nothing', async () => {
    const logger = recordingLogger();
    const mailer = createConfiguredMailer(loadConfig({}), logger);
    expect(mailer.deliversMail).toBe(false);
    await mailer.sendInvitation(message);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', message: 'invitation link', fields: expect.objectContaining({ link: message.link }) as unknown })]);
  });

  it('with SMTP_URL sends through that server, and an unreachable one is UNAVAILABLE with nothing logged', async () => {
    const logger = recordingLogger();
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    const mailer = createConfiguredMailer(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'kindling@charity.example' }), logger);
    expect(mailer.deliversMail).toBe(true);
    await expect(mailer.sendInvitation(message)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(logger.lines).toEqual([]);
  });
});
