import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type BrowserContextOptions, type Page } from '@playwright/test';
import { createOwnerInvitation, enrolThroughApi, uniqueEmail, type TestAccount } from './accounts.js';

export { expect };

export interface Screen {
  path: string;
  heading: string;
}

/** Every screen of the app behind sign-in; the last one exercises the 404 page. */
export const SCREENS: readonly Screen[] = [
  { path: '/', heading: 'Overview' },
  { path: '/models', heading: 'Models' },
  { path: '/donors', heading: 'Donors' },
  { path: '/audiences', heading: 'Audiences' },
  { path: '/campaigns', heading: 'Campaigns' },
  { path: '/imports', heading: 'Imports' },
  { path: '/settings', heading: 'Settings' },
  { path: '/settings/users', heading: 'Users and invitations' },
  { path: '/settings/api-tokens', heading: 'API tokens' },
  { path: '/settings/audit-log', heading: 'Audit log' },
  { path: '/status', heading: 'System status' },
  { path: '/account/security', heading: 'Account security' },
  { path: '/this-page-does-not-exist', heading: 'Page not found' },
];

/** Screens for people who are not signed in. */
export const PUBLIC_SCREENS: readonly Screen[] = [
  { path: '/sign-in', heading: 'Sign in to Kindling' },
  // Without the token in the address, the enrolment screen explains what went wrong.
  { path: '/enrol', heading: 'This invitation link cannot be used' },
];

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

interface GuardOptions {
  /** Fail the test on console errors, page errors, CSP violations and failed or 4xx/5xx requests. */
  strictPage: boolean;
  /** Start signed in (password and second factor) as the shared test account. */
  signedIn: boolean;
  /**
   * HTTP errors the test causes on purpose, as `METHOD /path STATUS` (`POST /api/v1/auth/sign-in 401`).
   * Signed-out tests always expect `GET /api/v1/auth/session 401`: that is how the app learns nobody is signed in.
   */
  expectedHttpErrors: readonly string[];
}

interface SharedAccount {
  /** The storage state of a fully signed-in session of one account shared by this worker's tests. */
  signedInState: () => Promise<StorageState>;
  account: () => Promise<TestAccount>;
}

interface ExpectedError {
  method: string;
  path: string;
  status: number;
}

function parseExpected(entry: string): ExpectedError {
  const [method = '', path = '', status = ''] = entry.split(' ');
  return { method, path, status: Number(status) };
}

/** How the app learns that nobody is signed in. */
export const SESSION_PROBE = 'GET /api/v1/auth/session 401';

export const test = base.extend<GuardOptions & { pageProblems: string[] }, { sharedAccount: SharedAccount }>({
  strictPage: [true, { option: true }],
  signedIn: [true, { option: true }],
  expectedHttpErrors: [[], { option: true }],

  sharedAccount: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; there are none.
    async ({}, use, workerInfo) => {
      const baseURL = workerInfo.project.use.baseURL ?? '';
      let enrolled: ReturnType<typeof enrolThroughApi> | undefined;
      // Created on first use only: a worker that runs only signed-out tests needs no account.
      const enrol = () =>
        (enrolled ??= createOwnerInvitation(`E2E Charity ${String(workerInfo.workerIndex)}`, uniqueEmail('owner')).then((token) =>
          enrolThroughApi(baseURL, token),
        ));
      await use({
        signedInState: async () => (await enrol()).storageState,
        account: async () => (await enrol()).account,
      });
    },
    { scope: 'worker' },
  ],

  storageState: async ({ signedIn, sharedAccount }, use) => {
    await use(signedIn ? await sharedAccount.signedInState() : undefined);
  },

  pageProblems: [
    async ({ page, strictPage, signedIn, expectedHttpErrors }, use) => {
      const problems = await watchForProblems(page, [...expectedHttpErrors, ...(signedIn ? [] : [SESSION_PROBE])]);
      await use(problems);
      if (strictPage) expect(problems, 'the page should load without errors').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Collects what should never happen on a page: console errors, uncaught exceptions, CSP
 * violations, failed requests and 4xx/5xx answers other than the `expected` ones
 * (`METHOD /path STATUS`). For pages the `page` fixture does not watch, e.g. a second browser.
 */
export async function watchForProblems(page: Page, expectedHttpErrors: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const expected = expectedHttpErrors.map(parseExpected);
  const isExpected = (path: string, status: number, method?: string) =>
    expected.some((entry) => entry.path === path && entry.status === status && (method === undefined || entry.method === method));

  // Chromium logs CSP violations too, but this names the directive and the blocked resource.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline content'}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium reports every 4xx/5xx response as a console error too; expected ones are not problems.
    const status = /the server responded with a status of (\d{3})/.exec(message.text())?.[1];
    const url = message.location().url;
    if (status !== undefined && url && isExpected(new URL(url).pathname, Number(status))) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    // Leaving a page cancels its in-flight requests (e.g. the Status page's polling); that is not a failure.
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const method = response.request().method();
    if (isExpected(new URL(response.url()).pathname, status, method)) return;
    problems.push(`HTTP ${String(status)}: ${method} ${response.url()}`);
  });
  return problems;
}

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
  if (screen.path === '/account/security') await expect(page.getByText('This device')).toBeVisible();
  if (screen.path === '/settings/users') await expect(page.getByRole('table', { name: 'Members' })).toBeVisible();
  if (screen.path === '/settings/api-tokens') {
    await expect(page.getByRole('table', { name: 'API tokens in use' }).or(page.getByText(/^No tokens yet/))).toBeVisible();
  }
  if (screen.path === '/settings/audit-log') await expect(page.getByRole('table', { name: 'Events' })).toBeVisible();
  if (screen.path === '/imports') await expect(page.getByRole('table', { name: 'Past imports' }).or(page.getByText('No imports yet.'))).toBeVisible();
}
