import type { Page } from '@playwright/test';
import { createOwnerInvitation, enrolThroughApi, nextTotpCode, uniqueEmail, type TestAccount } from './accounts.js';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures.js';

/*
 * A passkey as the second factor, end to end: an enrolled owner adds one on the Account security
 * screen (Chromium's virtual authenticator plays the fingerprint reader), signs out, and finishes
 * the next sign-in with it instead of a code.
 *
 * WebAuthn binds passkeys to a host name, never an IP address: the server's PUBLIC_URL is
 * http://localhost:8091 (its default for that port), so this spec browses there rather than at
 * 127.0.0.1. localhost counts as a secure context, as WebAuthn and the __Host- cookie need.
 */
const localhostURL = 'http://localhost:8091';
test.use({ signedIn: false, baseURL: localhostURL });

async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

async function signInWithPassword(page: Page, account: TestAccount): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(account.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
}

test('an owner adds a passkey and uses it instead of a code at the next sign-in', async ({ page }) => {
  // Up to one wait for a fresh 30-second TOTP step, plus the enrolment itself.
  test.setTimeout(90_000);
  const token = await createOwnerInvitation('E2E Passkey Charity', uniqueEmail('passkey'));
  const { account } = await enrolThroughApi(localhostURL, token);
  await addVirtualAuthenticator(page);

  // Signed in with password and code; no passkey yet, so no passkey is offered.
  await signInWithPassword(page, account);
  await expect(page.getByRole('button', { name: 'Use a passkey instead' })).toHaveCount(0);
  await page.getByRole('textbox', { name: '6-digit code' }).fill(await nextTotpCode(account));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  await page.goto('/account/security');
  const section = page.getByRole('region', { name: 'Passkeys' });
  await expect(section.getByText('You have not set up a passkey.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const nameField = section.getByRole('textbox', { name: 'Name for the new passkey' });
  // Named after the browser by default ("Chrome on Linux"), so a person who just clicks still gets a useful name.
  await expect(nameField).not.toHaveValue('');
  await nameField.fill('E2E laptop');
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('status')).toContainText('Passkey “E2E laptop” added.');
  const passkeys = section.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys.first()).toContainText('E2E laptop');
  await expect(passkeys.first()).toContainText('Not used yet');
  await expectNoSeriousA11yViolations(page);

  // Sign out, then in again: password, then the passkey instead of a code.
  await page.getByRole('banner').getByRole('button', { name: account.email }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/sign-in');
  await signInWithPassword(page, account);
  const usePasskey = page.getByRole('button', { name: 'Use a passkey instead' });
  await expect(usePasskey).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await usePasskey.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  // The passkey now shows when it was last used; renaming and removing happen in place.
  await page.goto('/account/security');
  const item = page.getByRole('region', { name: 'Passkeys' }).getByRole('listitem');
  await expect(item).not.toContainText('Not used yet');
  await item.getByRole('button', { name: 'Rename' }).click();
  const newName = item.getByRole('textbox', { name: 'New name' });
  await expect(newName).toBeFocused();
  await newName.fill('Office laptop');
  await item.getByRole('button', { name: 'Save name' }).click();
  await expect(item.getByRole('heading', { level: 3 })).toHaveText('Office laptop');
  await item.getByRole('button', { name: 'Remove' }).click();
  const confirm = item.getByRole('button', { name: 'Yes, remove' });
  await expect(confirm).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await confirm.click();
  await expect(page.getByRole('region', { name: 'Passkeys' }).getByText('You have not set up a passkey.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Passkeys' }).getByRole('status')).toContainText('Passkey “Office laptop” removed.');
});
