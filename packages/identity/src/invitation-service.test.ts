import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '@kindling/access';
import { isAppError } from '@kindling/errors';
import { slugFromName } from './invitation-service.js';
import { createIdentityTestHarness, enrolOwner, tokenOfLink, type EnrolledUser, type IdentityTestHarness } from './testing/index.js';

const meta = { clientAddress: '192.0.2.30', userAgent: 'kindling-test' };
const password = 'a long and unguessable passphrase';

async function failure(attempt: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await attempt;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('invitations', () => {
  let harness: IdentityTestHarness;
  let owner: EnrolledUser;

  beforeAll(async () => {
    harness = await createIdentityTestHarness({
      clusterOwnerUrl: inject('clusterOwnerUrl'),
      appRolePassword: inject('appRolePassword'),
      publicUrl: 'https://kindling.example.org/',
    });
    owner = await enrolOwner(harness, 'owner@example.org');
  });
  afterAll(async () => {
    await harness.close();
  });

  function invite(email: string, role: Role = 'analyst', invitedBy: { userId: string; role: Role } = { userId: owner.userId, role: 'owner' }) {
    return harness.identity.invitations.createInvitation({ orgId: owner.organisationId, email, role, invitedBy }, meta);
  }

  it('creates a single-use link in the URL fragment, logged without the address, stored as a hash', async () => {
    const created = await invite('new.analyst@example.org');
    expect(created.link).toMatch(/^https:\/\/kindling\.example\.org\/enrol#token=kdl_i_[A-Za-z0-9_-]{43}$/);
    expect(created.delivered).toBe(false);
    expect(created.expiresAt.getTime() - harness.clock.now().getTime()).toBeGreaterThan(6.99 * 24 * 3_600_000);

    const logged = harness.mail.find((mail) => mail.fields['invitationId'] === created.id);
    expect(logged?.message).toBe('invitation link');
    expect(logged?.fields['link']).toBe(created.link);
    expect(JSON.stringify(harness.mail)).not.toContain('new.analyst');

    const rows = await harness.database.ownerDb.selectFrom('app_user').select(['email_ciphertext', 'email_blind_index']).execute();
    expect(JSON.stringify(rows.map((row) => [row.email_ciphertext?.toString('latin1'), row.email_blind_index.toString('latin1')]))).not.toContain('example.org');
  });

  it('shows what the link offers, then lets a new person set a password and join', async () => {
    const { invitations, sessions, directory } = harness.identity;
    const created = await invite('joiner@example.org', 'viewer');
    const token = tokenOfLink(created.link);
    expect(await invitations.inspectInvitation(token)).toEqual({
      organisationId: owner.organisationId,
      organisationName: 'Test charity',
      role: 'viewer',
      expiresAt: created.expiresAt,
      account: 'new',
    });

    // The password policy applies to a new account's password.
    expect(await failure(invitations.acceptInvitation({ token, password: 'short' }, meta))).toMatchObject({ code: 'VALIDATION_FAILED' });

    const accepted = await invitations.acceptInvitation({ token, password }, meta);
    expect(accepted).toMatchObject({ next: 'enrol_totp', organisationId: owner.organisationId });
    expect(await sessions.authenticate(accepted.session.token)).toMatchObject({ stage: 'password', userId: accepted.userId, mfaEnrolled: false });
    expect(await directory.emailOf(accepted.userId)).toBe('joiner@example.org');
    expect(await directory.membershipRole(accepted.userId, owner.organisationId)).toBe('viewer');
  });

  it('refuses used, expired, withdrawn and unknown links with one answer', async () => {
    const { invitations } = harness.identity;
    const used = tokenOfLink((await invite('used@example.org')).link);
    await invitations.acceptInvitation({ token: used, password }, meta);

    const expired = tokenOfLink((await invite('late@example.org')).link);
    const withdrawn = tokenOfLink((await invite('twice@example.org')).link);
    await invite('twice@example.org');

    const answers = [
      await failure(invitations.inspectInvitation(used)),
      await failure(invitations.acceptInvitation({ token: used, password }, meta)),
      await failure(invitations.inspectInvitation(withdrawn)),
      await failure(invitations.inspectInvitation(`kdl_i_${'x'.repeat(43)}`)),
      await failure(invitations.inspectInvitation('not even a token')),
    ];
    harness.clock.advance(7 * 24 * 3_600_000 + 1000);
    answers.push(await failure(invitations.inspectInvitation(expired)));
    answers.push(await failure(invitations.acceptInvitation({ token: expired, password }, meta)));
    expect(answers[0]?.code).toBe('NOT_FOUND');
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('accepts a link once when two people race for it', async () => {
    const token = tokenOfLink((await invite('race@example.org')).link);
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => harness.identity.invitations.acceptInvitation({ token, password }, meta)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('makes an existing account prove its password: the link alone never sets one', async () => {
    const { invitations } = harness.identity;
    const other = await enrolOwner(harness, 'existing@example.org', 'a different passphrase entirely');
    const token = tokenOfLink((await invite('existing@example.org', 'admin')).link);
    expect(await invitations.inspectInvitation(token)).toMatchObject({ account: 'existing', role: 'admin' });
    expect(await failure(invitations.acceptInvitation({ token, password: 'an attacker chosen password' }, meta))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const accepted = await invitations.acceptInvitation({ token, password: other.password }, meta);
    expect(accepted.next).toBe('verify_mfa');
    expect(await harness.identity.directory.membershipRole(other.userId, owner.organisationId)).toBe('admin');
  });

  it('lets owners and admins invite, but only owners invite owners, and refuses members', async () => {
    const admin = { userId: owner.userId, role: 'admin' as const };
    expect(await failure(invite('new.owner@example.org', 'owner', admin))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(invite('x@example.org', 'viewer', { userId: owner.userId, role: 'analyst' }))).toMatchObject({ code: 'FORBIDDEN' });
    await invite('new.admin@example.org', 'admin', admin);
    expect(await failure(invite('owner@example.org', 'viewer'))).toMatchObject({ code: 'CONFLICT' });
  });

  it('bootstraps an organisation with an owner invitation and audits both', async () => {
    const result = await harness.identity.invitations.bootstrapOrganisation({ name: 'Friends of the Fen', ownerEmail: 'fen@example.org', slug: 'friends-of-the-fen' });
    expect(result.link).toMatch(/^https:\/\/kindling\.example\.org\/enrol#token=kdl_i_/);
    expect(await harness.identity.invitations.inspectInvitation(tokenOfLink(result.link))).toMatchObject({ role: 'owner', organisationName: 'Friends of the Fen' });
    const status = await harness.database.ownerDb.selectFrom('app_user').select('status').where('id', '=', result.ownerUserId).executeTakeFirstOrThrow();
    expect(status.status).toBe('invited');
    const audit = await harness.database.ownerDb.selectFrom('audit_event').select('action').where('org_id', '=', result.organisationId).orderBy('seq').execute();
    expect(audit.map((row) => row.action)).toEqual(['organisation.created', 'user.invited']);
    expect(
      await failure(harness.identity.invitations.bootstrapOrganisation({ name: 'Again', ownerEmail: 'fen@example.org', slug: 'friends-of-the-fen' })),
    ).toMatchObject({ code: 'CONFLICT' });
    // Without a slug, a taken one gets a suffix instead.
    const again = await harness.identity.invitations.bootstrapOrganisation({ name: 'Friends of the Fen', ownerEmail: 'fen@example.org' });
    expect(again.organisationId).not.toBe(result.organisationId);
  });

  it('derives URL-safe slugs', () => {
    expect(slugFromName('Friends of the Earth')).toBe('friends-of-the-earth');
    expect(slugFromName('  Café Crème & Co.  ')).toBe('cafe-creme-co');
    expect(slugFromName('!!!')).toBe('organisation');
    expect(slugFromName('x'.repeat(100))).toHaveLength(56);
  });
});
