import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

/** Presses Tab until `target` has focus; bounded so a broken tab order fails instead of looping. */
async function tabTo(page: Page, target: Locator, maxPresses = 20): Promise<void> {
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Could not reach ${target.toString()} with ${String(maxPresses)} Tab presses`);
}

async function hasVisibleFocusRing(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
  });
}

test('the skip link is the first tab stop and moves focus to the main content', async ({ page }) => {
  await page.goto('/status');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  await page.keyboard.press('Tab');
  const skipLink = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeInViewport();

  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  // The next Tab continues inside the main content, not in the header or navigation.
  await page.keyboard.press('Tab');
  const focusedInMain = await page.getByRole('main').evaluate((main) => main.contains(document.activeElement));
  expect(focusedInMain).toBe(true);
});

test('the navigation works with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  const donors = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Donors' });
  await tabTo(page, donors);
  expect(await hasVisibleFocusRing(donors)).toBe(true);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL('/donors');
  const heading = page.getByRole('heading', { level: 1, name: 'Donors' });
  await expect(heading).toBeFocused();
  await expect(donors).toHaveAttribute('aria-current', 'page');

  const status = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status' });
  await status.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Database' })).toContainText('Reachable');
});

test('the account menu works with the keyboard alone', async ({ page, sharedAccount }) => {
  const { email } = await sharedAccount.account();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const menuButton = page.getByRole('banner').getByRole('button', { name: email });
  await tabTo(page, menuButton);
  await page.keyboard.press('Enter');
  const securityItem = page.getByRole('menuitem', { name: 'Account security' });
  // Arrow keys move through the items, as in any menu.
  for (let press = 0; press < 5 && !(await securityItem.evaluate((item) => item === document.activeElement)); press += 1) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(securityItem).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Account security' })).toBeFocused();

  // Escape closes the menu and gives focus back to its button.
  await menuButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(menuButton).toBeFocused();
});

test.describe('signed out', () => {
  test.use({ signedIn: false, expectedHttpErrors: ['POST /api/v1/auth/sign-in 401'] });

  test('the sign-in form can be completed with the keyboard', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    const email = page.getByLabel('Email address');
    await tabTo(page, email);
    await page.keyboard.type('fundraiser@example.org');
    await page.keyboard.press('Tab');
    const password = page.getByRole('textbox', { name: 'Password', exact: true });
    await expect(password).toBeFocused();
    await page.keyboard.type('not-a-real-password');
    // The show/hide toggle is the next stop and says what it does.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Show password' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(password).toHaveAttribute('type', 'text');
    await expect(page.getByRole('button', { name: 'Hide password' })).toBeFocused();
    await password.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('The email address or password is not right.');
  });
});
