import type { Page } from '@playwright/test';
import { createOwnerInvitation, nextTotpCode, uniqueEmail, uniquePassword, type TestAccount } from './accounts.js';
import { SESSION_PROBE, expect, expectNoSeriousA11yViolations, test, watchForProblems } from './fixtures.js';

/*
 * Mandatory two-step verification, end to end against the real server: an invited owner
 * enrols with an authenticator app (codes computed from the secret shown on screen), keeps
 * the recovery codes, signs out and in again, and revokes a session from another browser.
 */
test.use({ signedIn: false });

async function signInWithPassword(page: Page, account: TestAccount): Promise<void> {
  await page.getByLabel('Email address').fill(account.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openAccountMenu(page: Page, account: TestAccount) {
  await page.getByRole('banner').getByRole('button', { name: account.email }).click();
  return page.getByRole('menu');
}

test('an invited owner enrols, signs out and in again, and revokes another session', async ({ page, browser, baseURL }) => {
  // Up to two waits for a fresh 30-second TOTP step, plus the enrolment itself.
  test.setTimeout(120_000);
  const email = uniqueEmail('mfa');
  const token = await createOwnerInvitation('E2E Two-Step Charity', email);

  // The invitation: organisation and role shown, token taken out of the address bar.
  await page.goto(`/enrol#token=${token}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up your Kindling account' })).toBeVisible();
  const invitation = page.getByRole('region', { name: 'Your invitation' });
  await expect(invitation).toContainText('E2E Two-Step Charity');
  await expect(invitation).toContainText('Owner');
  expect(new URL(page.url()).hash).toBe('');
  await expectNoSeriousA11yViolations(page);

  const password = uniquePassword();
  const passwordField = page.getByRole('textbox', { name: 'Choose a password' });
  await passwordField.fill(password);
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(passwordField).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Create account and continue' }).click();

  // TOTP setup: QR code image and the key for typing by hand.
  await expect(page).toHaveURL('/mfa/setup');
  await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step verification' })).toBeVisible();
  const qr = page.getByRole('img', { name: /QR code/ });
  await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  const shownKey = (await page.locator('dt:has-text("setup key") + dd code').textContent()) ?? '';
  // Base32, in groups of four for reading and typing.
  const groups = shownKey.split(' ');
  expect(groups.slice(0, -1).every((group) => /^[A-Z2-7]{4}$/.test(group)) && /^[A-Z2-7]{1,4}$/.test(groups.at(-1) ?? '')).toBe(true);
  const account: TestAccount = { email, password, secret: shownKey.replace(/\s/g, ''), recoveryCodes: [], lastStep: -1 };
  const codeField = page.getByRole('textbox', { name: '6-digit code' });
  await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(codeField).toHaveAttribute('inputmode', 'numeric');
  await expectNoSeriousA11yViolations(page);
  await codeField.fill(await nextTotpCode(account));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();

  // Recovery codes: shown once, downloadable, and confirmed before going on.
  await expect(page.getByRole('heading', { level: 1, name: 'Save your recovery codes' })).toBeFocused();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  account.recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as a text file' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('kindling-recovery-codes.txt');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Continue to Kindling' }).click();
  await expect(page.getByRole('alert')).toContainText('Confirm that you have saved your recovery codes.');
  await expect(page.getByRole('checkbox', { name: /I have saved these recovery codes/ })).toBeFocused();
  await page.getByRole('checkbox', { name: /I have saved these recovery codes/ }).check();
  await page.getByRole('button', { name: 'Continue to Kindling' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // The invitation decides the address (the demo organisation's link has its own): read it back.
  account.email = ((await (await page.request.get('/api/v1/auth/session')).json()) as { user: { email: string } }).user.email;

  // Sign out from the user menu.
  const menu = await openAccountMenu(page, account);
  await expect(menu).toContainText('E2E Two-Step Charity');
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/sign-in');
  await expect(page.getByRole('status').filter({ hasText: 'You have signed out' })).toBeVisible();

  // Sign in again: password, then a code from a time step not used yet; back where the person was going.
  await page.goto('/account/security');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount%2Fsecurity');
  await signInWithPassword(page, account);
  await expect(page).toHaveURL('/mfa/verify?returnTo=%2Faccount%2Fsecurity');
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('textbox', { name: '6-digit code' }).fill(await nextTotpCode(account));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/account/security');
  await expect(page.getByRole('heading', { level: 1, name: 'Account security' })).toBeVisible();

  // A second browser signs in as the same person, with a recovery code instead of the app.
  const other = await browser.newContext({ baseURL: baseURL ?? '' });
  try {
    const otherPage = await other.newPage();
    const otherProblems = await watchForProblems(otherPage, [SESSION_PROBE]);
    await otherPage.goto('/sign-in');
    await signInWithPassword(otherPage, account);
    await otherPage.getByRole('link', { name: 'Use a recovery code' }).click();
    await expect(otherPage.getByRole('heading', { level: 1, name: 'Use a recovery code' })).toBeFocused();
    await expectNoSeriousA11yViolations(otherPage);
    await otherPage.getByRole('textbox', { name: 'Recovery code' }).fill(account.recoveryCodes[0] ?? '');
    await otherPage.getByRole('button', { name: 'Continue' }).click();
    await expect(otherPage.getByRole('status').filter({ hasText: 'You have 9 recovery codes left' })).toBeVisible();
    await expectNoSeriousA11yViolations(otherPage);
    await otherPage.getByRole('button', { name: 'Continue to Kindling' }).click();
    await expect(otherPage.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

    // Account security lists both; this one is marked, the other is revoked after confirming.
    await page.reload();
    const sessions = page.getByRole('list', { name: 'Signed-in sessions' }).getByRole('listitem');
    await expect(sessions).toHaveCount(2);
    await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page);
    const otherSession = sessions.filter({ hasNotText: 'This device' });
    await otherSession.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('button', { name: 'Yes, revoke' });
    await expect(confirm).toBeFocused();
    await expectNoSeriousA11yViolations(page);
    await confirm.click();
    await expect(page.getByRole('status').filter({ hasText: 'has been signed out' })).toBeVisible();
    await expect(sessions).toHaveCount(1);
    await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();

    // The revoked browser is sent to sign-in at its next step, and told why.
    await otherPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Donors' }).click();
    await expect(otherPage).toHaveURL('/sign-in?returnTo=%2Fdonors');
    await expect(otherPage.getByRole('status').filter({ hasText: 'Your session has ended' })).toBeVisible();
    await expectNoSeriousA11yViolations(otherPage);
    expect(otherProblems, 'the second browser should see no errors').toEqual([]);
  } finally {
    await other.close();
  }
});
