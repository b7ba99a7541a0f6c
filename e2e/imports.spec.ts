import { readFile, writeFile } from 'node:fs/promises';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures.js';

/*
 * An import through the app against the real server: a supporter list no preset knows goes in
 * through the drop zone's file input, its columns are matched (two kept as custom attributes),
 * the job runs, one row is refused for a score that is not a number, the report downloads, and
 * the run is in the history with a link back to its result.
 */

const SUPPORTERS = 30;

/** A small export in a layout no preset knows; supporter 17's score is not a number. */
function supportersCsv(): Buffer {
  const lines = ['Supporter ID,First name,Surname,Postcode,Loyalty score,Membership,Favourite colour'];
  for (let index = 1; index <= SUPPORTERS; index++) {
    const score = index === 17 ? 'lots' : String(index * 3);
    lines.push(`S-${String(1000 + index)},Alex${String(index)},Example,AB1 ${String(index % 9)}CD,${score},${index % 2 === 0 ? 'Gold' : 'Silver'},Blue`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

test('a supporter list is uploaded, mapped and imported; the refused row is in the report and the run in the history', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/imports');
  await expect(page.getByRole('heading', { level: 1, name: 'Imports' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Upload your files' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // A file of the wrong type is refused with a reason; the CSV uploads.
  await page.getByLabel('Files to import', { exact: true }).setInputFiles([
    { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') },
    { name: 'supporters.csv', mimeType: 'text/csv', buffer: supportersCsv() },
  ]);
  await expect(page.getByRole('alert')).toContainText('“notes.pdf” can’t be imported');
  const uploads = page.getByRole('list', { name: 'Uploads' });
  await expect(uploads).toContainText('supporters.csv');
  await expect(uploads).toContainText('Uploaded');
  await expectNoSeriousA11yViolations(page);

  // Review: the headers say contacts; no preset knows the file, so its columns are matched here.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Check what each file holds' })).toBeFocused();
  await expect(page.getByLabel('Where the files come from')).toHaveValue('custom');
  const file = page.getByRole('region', { name: 'supporters.csv', exact: true });
  await expect(file.getByLabel('What this file holds')).toHaveValue('contacts');
  await expect(file.getByRole('combobox', { name: 'What “Supporter ID” becomes' })).toHaveValue('field:external_id');
  await file.getByRole('combobox', { name: 'What “Loyalty score” becomes' }).selectOption('attribute:numeric');
  await file.getByRole('combobox', { name: 'What “Membership” becomes' }).selectOption('attribute:categorical');
  await expect(file.getByRole('combobox', { name: 'What “Favourite colour” becomes' })).toHaveValue('skip');
  await expect(file).toContainText('Kept on each contact as “Loyalty score”.');

  // Leaving out the id column is caught before anything is sent.
  await file.getByRole('combobox', { name: 'What “Supporter ID” becomes' }).selectOption('skip');
  await expect(file).toContainText('Choose a column for “CRM id of the contact”.');
  await file.getByRole('combobox', { name: 'What “Supporter ID” becomes' }).selectOption('field:external_id');
  await expect(page.getByRole('radio', { name: /A complete export from your CRM/ })).toContainText('are deleted from Kindling');
  await expect(page.getByRole('radio', { name: /Changes since the last import/ })).toHaveAttribute('aria-checked', 'true');
  await expectNoSeriousA11yViolations(page);

  // The run: progress while it runs, then the result.
  await page.getByRole('button', { name: 'Start the import' }).click();
  const outcome = page.getByRole('status').filter({ hasText: 'The import is complete' });
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toContainText('1 row was left out');
  const result = page.getByRole('main');
  await expect(result.getByText('Rows read').locator('..')).toContainText(String(SUPPORTERS));
  await expect(result.getByText('Rows accepted').locator('..')).toContainText(String(SUPPORTERS - 1));
  await expect(page.getByRole('table', { name: 'Refused rows by reason' })).toContainText('is not a number');
  await expect(page.getByRole('table', { name: 'Changes by kind of record' }).getByRole('row', { name: /Contacts/ })).toContainText(String(SUPPORTERS - 1));
  await expectNoSeriousA11yViolations(page);

  // The report names the file, line and value, and no formula can run from it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (CSV)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the file Playwright just downloaded.
  const report = await readFile(await download.path(), 'utf8');
  expect(report).toContain('supporters.csv');
  expect(report).toContain('lots');
  expect(report.trim().split('\n')).toHaveLength(2);

  // The history lists the run; its link opens the same result.
  const history = page.getByRole('table', { name: 'Past imports' });
  const row = history.getByRole('row').filter({ hasText: 'supporters.csv' });
  await expect(row).toContainText('Imported');
  await expect(row).toContainText(String(SUPPORTERS - 1));
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import result' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'The import is complete' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The column choices were kept for the next file laid out the same way; forgetting them changes no data.
  await page.getByRole('link', { name: 'Imports', exact: true }).first().click();
  const saved = page.getByRole('table', { name: 'Saved column choices' });
  await expect(saved).toContainText('Loyalty score');
  await saved.getByRole('button', { name: /^Forget / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'are forgotten' })).toBeVisible();
  await expect(saved).toHaveCount(0);
});

test('an import whose dates read both ways is refused without changing anything, then runs again with the answer', async ({ page }) => {
  test.setTimeout(120_000);
  // Every "Created date" reads as day-first and as month-first: Kindling asks rather than guesses.
  const rows = Array.from({ length: 12 }, (_, index) => `M-${String(index + 1)},Sam,Member,${String(index + 1).padStart(2, '0')}/0${String((index % 9) + 1)}/2023`);
  await page.goto('/imports');
  await page.getByLabel('Files to import', { exact: true }).setInputFiles({
    name: 'members.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['Member ID,First name,Surname,Created date', ...rows].join('\n')),
  });
  await expect(page.getByRole('list', { name: 'Uploads' })).toContainText('Uploaded');
  await page.getByRole('button', { name: 'Continue' }).click();
  const file = page.getByRole('region', { name: 'members.csv', exact: true });
  await file.getByRole('combobox', { name: 'What “Member ID” becomes' }).selectOption('field:external_id');
  await expect(file.getByRole('combobox', { name: 'What “Created date” becomes' })).toHaveValue('field:created_on');
  await page.getByRole('button', { name: 'Start the import' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'The import was refused, and nothing was changed' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('Your data in Kindling is exactly as it was before.');
  const question = page.getByRole('region', { name: 'How are these written?' });
  await expect(question).toContainText('Dates in members.csv: Created date (such as');
  await expectNoSeriousA11yViolations(page);
  await question.getByRole('radio', { name: /Day first/ }).check();
  await question.getByRole('button', { name: 'Import again with these answers' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'The import is complete' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Rows accepted').locator('..')).toContainText('12');
  const history = page.getByRole('table', { name: 'Past imports' });
  const runs = history.getByRole('row').filter({ hasText: 'members.csv' });
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toContainText('Imported');
  await expect(runs.nth(1)).toContainText('Refused: nothing changed');
});

test('an upload cut short by a reload goes on from where it stopped when the same file is chosen again', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  // 4 MiB chunks: a 6 MB file takes two, and the second is held back until the page reloads.
  const path = testInfo.outputPath('large-export.csv');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- this test's own output folder.
  await writeFile(path, `Supporter ID,Notes\r\n${'S-1,'.padEnd(99, 'x')}\r\n`.repeat(50_000));
  await page.route(/\/uploads\/[^/]+\/content\?offset=[1-9]/u, () => new Promise<void>(() => undefined));
  await page.goto('/imports');
  await page.getByLabel('Files to import', { exact: true }).setInputFiles(path);
  const progress = page.getByRole('progressbar', { name: 'Upload of large-export.csv' });
  await expect(progress).toHaveAttribute('aria-valuenow', /^[1-9][0-9]$/u);

  // The reload cancels the held chunk; only then may chunks through again.
  await page.reload();
  const toFinish = page.getByText('Uploads to finish');
  await expect(toFinish).toBeVisible();
  await expect(page.getByText(/large-export\.csv · \d+ % of 6\.1 MB sent/u)).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/uploads')) sent.push(`${request.method()} ${new URL(request.url()).search}`);
  });
  await page.getByLabel('Files to import', { exact: true }).setInputFiles(path);
  await expect(page.getByRole('list', { name: 'Uploads' })).toContainText('Uploaded');
  await expect(toFinish).toHaveCount(0);
  // No new upload: the file's first chunk was not sent again.
  expect(sent.filter((line) => line.startsWith('POST') || line.startsWith('PUT'))).toEqual([`PUT ?offset=${String(4 * 1024 * 1024)}`]);

  await page.getByRole('button', { name: 'Remove large-export.csv' }).click();
  await expect(page.getByRole('list', { name: 'Uploads' })).toHaveCount(0);
});
