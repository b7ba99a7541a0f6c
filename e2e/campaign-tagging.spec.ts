import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures.js';

/*
 * Campaign tagging against the real server: the signed-in owner's organisation gets a synthetic
 * charity (`kindling demo-data`, its last two years' campaigns without tags as in a CRM that
 * stopped recording campaign types) through `kindling import`, as the demo organisation does at
 * first start. On the Campaigns screen the owner accepts the confident suggestions in bulk, edits
 * one campaign's tags, and sees the share of gifts and revenue tagged go up.
 */

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function kindling(args: readonly string[]): Promise<string> {
  const env = { ...process.env, KINDLING_HOME: process.env.KINDLING_E2E_HOME ?? '', LOG_LEVEL: 'warn' };
  const { stdout } = await run(process.execPath, ['apps/cli/bin/kindling.js', ...args], { cwd: repoRoot, env, timeout: 120_000 });
  return stdout;
}

async function importDemoCharity(orgId: string): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'kindling-e2e-tagging-'));
  try {
    const out = path.join(folder, 'export');
    await kindling(['demo-data', '--contacts', '150', '--years', '3', '--seed', 'e2e-tagging', '--quirk-rate', '0', '--untagged-from', '2024', '--out', out]);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the folder this test just created under mkdtemp.
    const files = (await readdir(out)).filter((name) => name.endsWith('.csv') && !name.startsWith('ground-truth')).map((name) => path.join(out, name));
    await kindling(['import', '--org', orgId, ...files]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function shareShown(page: Page, figure: 'Gifts tagged' | 'Revenue tagged'): Promise<number> {
  const text = (await page.getByTestId(figure).textContent()) ?? '';
  return Number(text.replace('%', ''));
}

test('accept suggestions in bulk, edit one campaign, and see the coverage go up', async ({ page }) => {
  test.setTimeout(180_000);
  const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { currentOrganisationId: string };
  await importDemoCharity(session.currentOrganisationId);

  await page.goto('/campaigns');
  await expect(page.getByRole('heading', { level: 1, name: 'Campaigns' })).toBeVisible();
  // The first read trains the organisation's suggester: allow for a busy machine.
  await expect(page.getByRole('table', { name: 'Campaigns and their tags' })).toBeVisible({ timeout: 30_000 });
  // Two of three years untagged: well under 80 %, so the screen asks for more and says how much revenue is missing.
  await expect(page.getByText('Tag more campaigns')).toBeVisible();
  await expect(page.getByText(/of revenue \(\d+%\) comes from campaigns without a category and channel/)).toBeVisible();
  const giftsBefore = await shareShown(page, 'Gifts tagged');
  const revenueBefore = await shareShown(page, 'Revenue tagged');
  expect(revenueBefore).toBeLessThan(80);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Ready to accept', { exact: true }).click();
  const table = page.getByRole('table', { name: 'Campaigns and their tags' });
  await expect(table.getByText(/^Very likely/).first()).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select every campaign shown' }).check();
  await page.getByRole('button', { name: 'Accept suggestions' }).click();
  await expect(page.getByRole('status').filter({ hasText: /campaigns? tagged\.$/ })).toBeVisible();
  await expect.poll(() => shareShown(page, 'Revenue tagged')).toBeGreaterThan(revenueBefore);
  expect(await shareShown(page, 'Gifts tagged')).toBeGreaterThan(giftsBefore);

  // Whatever is left needs a person: tag the biggest by hand.
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('All campaigns', { exact: true }).click();
  const firstName = (await table.getByTestId('campaign-name').first().textContent()) ?? '';
  await page.getByRole('button', { name: `Edit tags of ${firstName}`, exact: true }).click();
  await page.getByRole('combobox', { name: `Category of ${firstName}`, exact: true }).selectOption('Major Gifts');
  await page.getByRole('combobox', { name: `Channel of ${firstName}`, exact: true }).selectOption('Event');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: firstName }) }).first();
  await expect(edited).toContainText('Major Gifts · Event');
  await expect(edited).toContainText('Confirmed by your team');
  await expectNoSeriousA11yViolations(page);

  // The decisions are the server's now: a fresh load shows them.
  await page.reload();
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('All campaigns', { exact: true }).click();
  await expect(table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: firstName }) }).first()).toContainText('Major Gifts · Event');
});
