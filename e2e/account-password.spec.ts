import { createOwnerInvitation, enrolThroughApi, uniqueEmail } from './accounts.js';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures.js';

/*
 * Changing the password on the Account security screen: a wrong current password is pointed
 * out at its field; the right one changes it, this browser stays signed in (with the new session
 * token), and only the new password signs in afterwards. Its own account: the shared one must
 * keep its password.
 */
test.use({ signedIn: false, expectedHttpErrors: ['POST /api/v1/account/password 422'] });

test('a signed-in person changes their password and stays signed in here', async ({ page, baseURL, request }) => {
  // Up to one wait for a fresh 30-second TOTP step, plus the enrolment itself.
  test.setTimeout(90_000);
  const token = await createOwnerInvitation('E2E Password Charity', uniqueEmail('password'));
  const { account, storageState } = await enrolThroughApi(baseURL ?? '', token);
  await page.context().addCookies(storageState.cookies);
  const newPassword = `${account.password} and a new verse`;

  await page.goto('/account/security');
  const section = page.getByRole('region', { name: 'Password', exact: true });
  await expect(section).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await section.getByRole('textbox', { name: 'Current password' }).fill('not the password at all');
  await section.getByRole('textbox', { name: 'New password' }).fill(newPassword);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('link', { name: 'The current password is not correct.' })).toBeVisible();
  await expect(section.getByRole('textbox', { name: 'Current password' })).toBeFocused();
  await expectNoSeriousA11yViolations(page);

  await section.getByRole('textbox', { name: 'Current password' }).fill(account.password);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByRole('status')).toHaveText('Your password has been changed.');
  await expect(section.getByRole('textbox', { name: 'New password' })).toHaveValue('');

  // Still signed in here, on the replaced session.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account security' })).toBeVisible();
  await expect(page.getByText('This device')).toBeVisible();

  expect((await request.post('/api/v1/auth/sign-in', { data: { email: account.email, password: account.password } })).status()).toBe(401);
  expect((await request.post('/api/v1/auth/sign-in', { data: { email: account.email, password: newPassword } })).status()).toBe(200);
});
