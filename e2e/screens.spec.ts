import { PUBLIC_SCREENS, SCREENS, expect, expectNoSeriousA11yViolations, test, waitForScreen } from './fixtures.js';

for (const screen of SCREENS) {
  test(`${screen.path} loads cleanly and passes the accessibility scan`, async ({ page }) => {
    await page.goto(screen.path);
    await waitForScreen(page, screen);
    await expect(page).toHaveTitle(/Kindling/);
    await expect(page.getByRole('banner')).toContainText('Kindling');
    await expect(page.getByRole('main')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
}

test.describe('signed out', () => {
  test.use({ signedIn: false });

  for (const screen of PUBLIC_SCREENS) {
    test(`${screen.path} loads cleanly and passes the accessibility scan`, async ({ page }) => {
      await page.goto(screen.path);
      await waitForScreen(page, screen);
      await expect(page).toHaveTitle(/Kindling/);
      await expect(page.getByRole('banner')).toContainText('Kindling');
      await expectNoSeriousA11yViolations(page);
    });
  }

  test('every app screen sends a visitor to sign in, and remembers where they were going', async ({ page }) => {
    await page.goto('/donors?segment=lapsed');
    await expect(page).toHaveURL('/sign-in?returnTo=%2Fdonors%3Fsegment%3Dlapsed');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Kindling' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });

  test.describe('with a wrong password', () => {
    test.use({ expectedHttpErrors: ['POST /api/v1/auth/sign-in 401'] });

    test('sign-in checks the form, then says the details are wrong without saying which', async ({ page }) => {
      await page.goto('/sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toContainText('Enter your email address.');
      await expect(page.getByLabel('Email address')).toBeFocused();
      await expectNoSeriousA11yViolations(page);

      await page.getByLabel('Email address').fill('nobody@example.org');
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the right password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toContainText('The email address or password is not right.');
      await expect(page).toHaveURL('/sign-in');
      await expectNoSeriousA11yViolations(page);
    });
  });
});

test('screens that are not built yet say so instead of showing sample data', async ({ page }) => {
  await page.goto('/donors');
  await expect(page.getByText('Coming soon in this release')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What this screen will do' })).toBeVisible();
});

test('the 404 page names the missing address and offers a way back', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('main')).toContainText('/no/such/page');
  await page.getByRole('link', { name: 'Go to Overview' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});

test('the header says who is signed in and opens the account menu', async ({ page, sharedAccount }) => {
  const { email } = await sharedAccount.account();
  await page.goto('/');
  const menuButton = page.getByRole('banner').getByRole('button', { name: email });
  await menuButton.click();
  const menu = page.getByRole('menu');
  await expect(menu).toContainText(email);
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await menu.getByRole('menuitem', { name: 'Account security' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account security' })).toBeFocused();
});

test.describe('on a phone-sized screen', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the navigation opens from the menu button and closes after choosing a screen', async ({ page }) => {
    await page.goto('/');
    const menu = page.getByRole('button', { name: 'Open navigation' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(page.getByRole('button', { name: 'Close navigation' })).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await nav.getByRole('link', { name: 'Campaigns' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Campaigns' })).toBeVisible();
    await expect(nav).toBeHidden();
  });
});
