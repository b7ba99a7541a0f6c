import { request, type Page } from '@playwright/test';
import { createOwnerInvitation, enrolThroughApi, nextTotpCode, uniqueEmail, uniquePassword, type TestAccount } from './accounts.js';
import { expect, expectNoSeriousA11yViolations, test, watchForProblems } from './fixtures.js';

/*
 * Organisation administration against the real server: an owner invites a colleague through
 * the Users screen, the colleague enrols from the link shown there, and the owner changes their
 * role, resets their two-step verification (a lost phone) and finally removes them — each of
 * which ends the colleague's sessions, so their browser is sent back to sign-in. The audit log then tells the story in plain words.
 */

const LINK = /\/enrol#token=([A-Za-z0-9_-]+)/;

async function signInWithPassword(page: Page, account: TestAccount): Promise<void> {
  await page.getByLabel('Email address').fill(account.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Accepts an invitation in the browser: password, then TOTP from the key shown on screen, then recovery codes. */
async function enrolInBrowser(page: Page, token: string, email: string): Promise<TestAccount> {
  await page.goto(`/enrol#token=${token}`);
  await expect(page.getByRole('region', { name: 'Your invitation' })).toContainText('Viewer');
  const password = uniquePassword();
  await page.getByRole('textbox', { name: 'Choose a password' }).fill(password);
  await page.getByRole('button', { name: 'Create account and continue' }).click();
  await expect(page).toHaveURL('/mfa/setup');
  const shownKey = (await page.locator('dt:has-text("setup key") + dd code').textContent()) ?? '';
  const account: TestAccount = { email, password, secret: shownKey.replace(/\s/g, ''), recoveryCodes: [], lastStep: -1 };
  await page.getByRole('textbox', { name: '6-digit code' }).fill(await nextTotpCode(account));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery codes' })).toBeVisible();
  await page.getByRole('checkbox', { name: /I have saved these recovery codes/ }).check();
  await page.getByRole('button', { name: 'Continue to Kindling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  return account;
}

/** The status of a GET with only the given headers: no cookies, as another system would call. */
async function fetchWithToken(baseURL: string, path: string, headers: Record<string, string>): Promise<number> {
  const api = await request.newContext({ baseURL });
  try {
    return (await api.get(path, { headers })).status();
  } finally {
    await api.dispose();
  }
}

test.describe('users and invitations', () => {
  test.use({ signedIn: false });

  test('an owner invites a colleague who enrols, changes their role, resets their two-step verification and removes them, ending their sessions each time', async ({
    page,
    browser,
    baseURL,
  }) => {
    // Two waits for a fresh TOTP step at most, plus two enrolments.
    test.setTimeout(180_000);
    const owner = await enrolThroughApi(baseURL ?? '', await createOwnerInvitation('E2E Admin Charity', uniqueEmail('admin-owner')));
    const ownerContext = await browser.newContext({ baseURL: baseURL ?? '', storageState: owner.storageState });
    try {
      const admin = await ownerContext.newPage();
      const adminProblems = await watchForProblems(admin, []);

      // Settings, then Users and invitations: the owner is the only member, and cannot change their own role.
      await admin.goto('/');
      await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await expect(admin.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
      await expectNoSeriousA11yViolations(admin);
      await admin.getByRole('link', { name: 'Open Users and invitations' }).click();
      const members = admin.getByRole('table', { name: 'Members' });
      await expect(members.getByRole('row')).toHaveCount(2);
      await expect(members).toContainText(owner.account.email);
      await expect(admin.getByRole('combobox', { name: `Role of ${owner.account.email}` })).toBeDisabled();
      await expect(members).toContainText('This is you.');
      await expect(admin.getByText('No invitations are waiting.')).toBeVisible();

      // Invite: no e-mail is sent by this server, so the link is shown for passing on.
      const email = uniqueEmail('colleague');
      await admin.getByRole('textbox', { name: 'Email address' }).fill(email);
      await expect(admin.getByRole('combobox', { name: 'Role', exact: true })).toHaveValue('viewer');
      await admin.getByRole('button', { name: 'Send invitation' }).click();
      const sent = admin.getByRole('region', { name: `${email} has been invited` });
      await expect(sent).toContainText('does not send e-mail');
      const token = LINK.exec((await sent.locator('code').textContent()) ?? '')?.[1];
      expect(token, 'the invitation link shown on screen').toBeTruthy();
      const invitations = admin.getByRole('table', { name: 'Invitations waiting to be accepted' });
      await expect(invitations).toContainText(email);
      await expect(invitations).toContainText('in 7 days');
      await expectNoSeriousA11yViolations(admin);

      // The colleague enrols in their own browser; as a viewer they get no Settings.
      const colleague = await enrolInBrowser(page, token ?? '', email);
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toHaveCount(0);
      await page.goto('/settings/users');
      await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
      await expect(page.getByRole('main')).toContainText('your role here is Viewer');
      await expectNoSeriousA11yViolations(page);

      // The owner sees them as a member, no longer as an invitation, and makes them an administrator.
      await admin.reload();
      await expect(members.getByRole('row')).toHaveCount(3);
      await expect(admin.getByText('No invitations are waiting.')).toBeVisible();
      await admin.getByRole('combobox', { name: `Role of ${email}` }).selectOption('admin');
      const confirmRole = admin.getByRole('button', { name: 'Yes, change role' });
      await expect(confirmRole).toBeFocused();
      await expect(members).toContainText(`Change ${email} from Viewer to Administrator?`);
      await expectNoSeriousA11yViolations(admin);
      await confirmRole.click();
      await expect(admin.getByRole('status').filter({ hasText: `${email} is now Administrator` })).toBeVisible();
      await expect(admin.getByRole('combobox', { name: `Role of ${email}` })).toHaveValue('admin');

      // The audit log tells the story in plain words, and filters by what happened.
      await admin.getByRole('link', { name: 'Settings', exact: true }).first().click();
      await admin.getByRole('link', { name: 'Open Audit log' }).click();
      const events = admin.getByRole('table', { name: 'Events' });
      await expect(events).toContainText(`${email}, Viewer → Administrator`);
      await expect(events).toContainText(`Invited someone${email}, as Viewer`);
      await expect(events.getByRole('row').filter({ hasText: 'Accepted an invitation' }).first()).toContainText(email);
      await expectNoSeriousA11yViolations(admin);
      await admin.getByRole('combobox', { name: 'What happened' }).selectOption('user.role_changed');
      await admin.getByRole('button', { name: 'Show events' }).click();
      await expect(events.getByRole('row')).toHaveCount(2);
      await expect(events).toContainText('Changed a role');
      await expect(admin.getByText('That is everything that matches these filters.')).toBeVisible();
      await admin.getByRole('link', { name: 'Settings', exact: true }).first().click();
      await admin.getByRole('link', { name: 'Open Users and invitations' }).click();

      // The role change ended the colleague's session: their next step goes to sign-in.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Donors' }).click();
      await expect(page).toHaveURL('/sign-in?returnTo=%2Fdonors');
      await expect(page.getByRole('status').filter({ hasText: 'Your session has ended' })).toBeVisible();

      // Signed in again as an administrator, they manage people too, but not the owner.
      await signInWithPassword(page, colleague);
      await page.getByRole('textbox', { name: '6-digit code' }).fill(await nextTotpCode(colleague));
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL('/donors');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Open Users and invitations' }).click();
      await expect(page.getByRole('combobox', { name: `Role of ${owner.account.email}` })).toBeDisabled();
      await expect(page.getByRole('table', { name: 'Members' })).toContainText('Only an owner can change or remove another owner.');
      await expect(page.getByRole('button', { name: `Remove ${owner.account.email}` })).toHaveCount(0);
      await expectNoSeriousA11yViolations(page);

      // The colleague lost their phone: the owner resets their two-step verification (after
      // confirming), which signs them out; with their password they set up a new authenticator.
      await admin.getByRole('button', { name: `Reset two-step verification of ${email}` }).click();
      await admin.getByRole('button', { name: 'Yes, reset' }).click();
      await expect(admin.getByRole('status').filter({ hasText: `Two-step verification of ${email} has been reset` })).toBeVisible();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Donors' }).click();
      await expect(page).toHaveURL('/sign-in?returnTo=%2Fdonors');
      await signInWithPassword(page, colleague);
      await expect(page).toHaveURL(/\/mfa\/setup/);
      const newKey = (await page.locator('dt:has-text("setup key") + dd code').textContent()) ?? '';
      const newPhone: TestAccount = { ...colleague, secret: newKey.replace(/\s/g, ''), lastStep: -1 };
      await page.getByRole('textbox', { name: '6-digit code' }).fill(await nextTotpCode(newPhone));
      await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
      await page.getByRole('checkbox', { name: /I have saved these recovery codes/ }).check();
      await page.getByRole('button', { name: 'Continue to Kindling' }).click();
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

      // The owner removes them (after confirming); that ends their session again.
      await admin.getByRole('button', { name: `Remove ${email}` }).click();
      await admin.getByRole('button', { name: 'Yes, remove' }).click();
      await expect(admin.getByRole('status').filter({ hasText: `${email} has been removed` })).toBeVisible();
      await expect(members.getByRole('row')).toHaveCount(2);
      await page.getByRole('link', { name: 'Settings' }).first().click();
      await expect(page).toHaveURL('/sign-in?returnTo=%2Fsettings');

      // Once they are gone, the log cannot name them (it holds no personal data), but keeps what happened.
      await admin.getByRole('link', { name: 'Settings', exact: true }).first().click();
      await admin.getByRole('link', { name: 'Open Audit log' }).click();
      await expect(events).toContainText('Someone not currently a member, was Administrator');
      await expect(events).toContainText('Someone not currently a member, Viewer → Administrator');
      expect(adminProblems, "the owner's browser should see no errors").toEqual([]);
    } finally {
      await ownerContext.close();
    }
  });
});

test('API tokens: the secret is shown once, works, and stops working when revoked', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { currentOrganisationId: string };
  await page.goto('/settings/api-tokens');
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();

  const name = `Reporting ${String(Date.now())}`;
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('admin');
  await page.getByRole('combobox', { name: 'Expires after' }).selectOption('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secretPanel = page.getByRole('region', { name: `Copy the token “${name}” now` });
  await expect(secretPanel).toContainText('This is the only time Kindling shows it.');
  const secret = ((await secretPanel.locator('code').textContent()) ?? '').trim();
  expect(secret.length).toBeGreaterThan(20);
  await secretPanel.getByRole('button', { name: 'Copy token' }).click();
  await expect(secretPanel.getByRole('status')).toHaveText('Token copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await expectNoSeriousA11yViolations(page);

  const tokens = page.getByRole('table', { name: 'API tokens in use' });
  const row = tokens.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Administrator');
  await expect(row).toContainText('You');
  await expect(page.getByText(secret)).toHaveCount(1);
  await secretPanel.getByRole('button', { name: 'I have stored it safely' }).click();
  await expect(page.getByText(secret)).toHaveCount(0);

  // The secret works as a bearer token on the API, until it is revoked.
  const membersPath = `/api/v1/organisations/${session.currentOrganisationId}/members`;
  const headers = { authorization: `Bearer ${secret}` };
  expect(await fetchWithToken(baseURL ?? '', membersPath, headers)).toBe(200);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(page.getByRole('button', { name: 'Yes, revoke token' })).toBeFocused();
  await page.getByRole('button', { name: 'Yes, revoke token' }).click();
  await expect(page.getByRole('status').filter({ hasText: `“${name}” has been revoked` })).toBeVisible();
  await expect(tokens.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  expect(await fetchWithToken(baseURL ?? '', membersPath, headers)).toBe(401);
});

test.describe('on a phone-sized screen', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the settings tables scroll inside their frames, not the whole page', async ({ page }) => {
    for (const [path, table] of [
      ['/settings/users', 'Members'],
      ['/settings/audit-log', 'Events'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('table', { name: table })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} should not scroll sideways`).toBeLessThanOrEqual(0);
      await expectNoSeriousA11yViolations(page);
    }
  });
});
