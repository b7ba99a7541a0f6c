import { expect, expectNoSeriousA11yViolations, test } from './fixtures.js';

interface StatusBody {
  version: string;
  database: { reachable: boolean; serverVersion: string | null };
}

test('the Status page shows the real server and database state', async ({ page }) => {
  // page.request shares the page's signed-in session; the status API needs one.
  const api = (await (await page.request.get('/api/v1/status')).json()) as StatusBody;
  expect(api.database.reachable).toBe(true);

  await page.goto('/status');
  const database = page.getByRole('region', { name: 'Database' });
  await expect(database.getByText('Reachable', { exact: true })).toBeVisible();
  await expect(database).toContainText(api.database.serverVersion ?? 'missing server version');

  const server = page.getByRole('region', { name: 'Server' });
  await expect(server).toContainText(api.version);

  const checks = page.getByRole('region', { name: 'Health checks' });
  await expect(checks.getByText('OK', { exact: true })).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: 'Everything is working' })).toBeVisible();
});

test('Refresh checks the server again', async ({ page }) => {
  await page.goto('/status');
  await expect(page.getByText(/^Last checked at/)).toBeVisible();
  const next = page.waitForResponse((response) => response.url().endsWith('/api/v1/status'));
  await page.getByRole('button', { name: /^Refresh/ }).click();
  expect((await next).status()).toBe(200);
});

test.describe('when the status check fails', () => {
  // These tests make requests fail on purpose, which the browser reports as console errors.
  test.use({ strictPage: false });

  test('an API error shows its message, request id and a working Retry', async ({ page }) => {
    let fail = true;
    await page.route('**/api/v1/status', async (route) => {
      if (!fail) return route.continue();
      return route.fulfill({
        status: 500,
        json: { error: { code: 'internal', message: 'The status could not be read.', requestId: 'req-e2e-1234' } },
      });
    });
    await page.goto('/status');
    await expect(page.getByRole('alert')).toContainText('The status could not be read.');
    await expect(page.getByRole('alert')).toContainText('req-e2e-1234');
    await expectNoSeriousA11yViolations(page);

    fail = false;
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('region', { name: 'Database' })).toContainText('Reachable');
    await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  });

  test('a database outage is spelled out', async ({ page }) => {
    const real = (await (await page.request.get('/api/v1/status')).json()) as Record<string, unknown>;
    const database = { reachable: false, serverVersion: null, latencyMs: null, migrations: { applied: 0, latest: null } };
    await page.route('**/api/v1/status', (route) => route.fulfill({ json: { ...real, database } }));
    await page.route('**/readyz', (route) =>
      route.fulfill({ status: 503, json: { status: 'unavailable', reason: 'database unreachable' } }),
    );
    await page.goto('/status');
    await expect(page.getByRole('alert')).toContainText('The server cannot reach its database.');
    await expect(page.getByRole('region', { name: 'Database' })).toContainText('Unreachable');
    await expect(page.getByRole('region', { name: 'Health checks' })).toContainText('HTTP 503');
    await expectNoSeriousA11yViolations(page);
  });

  test('an unreachable server tells staff what to check', async ({ page }) => {
    await page.route('**/api/v1/status', (route) => route.abort('connectionrefused'));
    await page.goto('/status');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('The Kindling server did not answer');
    await expect(alert).toContainText('Check that npm start is running, then retry.');
    await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});
