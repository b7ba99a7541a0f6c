import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

export interface Screen {
  path: string;
  heading: string;
}

/** Every screen a visitor can reach; the last one exercises the 404 page. */
export const SCREENS: readonly Screen[] = [
  { path: '/', heading: 'Overview' },
  { path: '/models', heading: 'Models' },
  { path: '/donors', heading: 'Donors' },
  { path: '/audiences', heading: 'Audiences' },
  { path: '/campaigns', heading: 'Campaigns' },
  { path: '/imports', heading: 'Imports' },
  { path: '/settings', heading: 'Settings' },
  { path: '/status', heading: 'System status' },
  { path: '/sign-in', heading: 'Sign in to Kindling' },
  { path: '/this-page-does-not-exist', heading: 'Page not found' },
];

interface GuardOptions {
  /** Fail the test on console errors, page errors, CSP violations and failed or 4xx/5xx requests. */
  strictPage: boolean;
}

export const test = base.extend<GuardOptions & { pageProblems: string[] }>({
  strictPage: [true, { option: true }],
  pageProblems: [
    async ({ page, strictPage }, use) => {
      const problems: string[] = [];
      // Chromium logs CSP violations too, but this names the directive and the blocked resource.
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline content'}`);
        });
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
      page.on('requestfailed', (request) => {
        const reason = request.failure()?.errorText ?? 'unknown';
        // Leaving a page cancels its in-flight requests (e.g. the Status page's polling); that is not a failure.
        if (reason === 'net::ERR_ABORTED') return;
        problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${String(response.status())}: ${response.request().method()} ${response.url()}`);
      });
      await use(problems);
      if (strictPage) expect(problems, 'the page should load without errors').toEqual([]);
    },
    { auto: true },
  ],
});

/** Axe scan limited to WCAG 2.0/2.1 A and AA rules; only serious and critical findings fail. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  expect(blocking, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** Waits until a screen has finished its first render, including the Status page's first check. */
export async function waitForScreen(page: Page, screen: Screen): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: screen.heading })).toBeVisible();
  if (screen.path === '/status') await expect(page.getByText(/^Last checked at/)).toBeVisible();
}
