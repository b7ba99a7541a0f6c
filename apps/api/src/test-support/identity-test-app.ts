import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { createIdentityTestHarness, tokenOfLink, type IdentityTestHarness } from '@kindling/identity/testing';
import { createCampaignTagService } from '@kindling/reference-store';
import { createApp, type ApiApp } from '../app.js';
import type { ApiDependencies } from '../dependencies.js';
import { csrfHeader } from '../http/csrf.js';
import { sessionCookieName } from '../http/session-cookie.js';
import type { RunningNodeServer } from '../node-server.js';
import { importTestServices, type ImportTestServices } from './import-test-services.js';
import { testDependencies, type LogCapture } from './test-dependencies.js';
import { startTestServer } from './test-server.js';

export interface IdentityTestApp {
  readonly harness: IdentityTestHarness;
  readonly deps: ApiDependencies;
  readonly app: ApiApp;
  readonly server: RunningNodeServer;
  readonly logs: LogCapture;
  /** The import service behind the routes and its jobs (run them with `runQueuedJobs`). */
  readonly importServices: ImportTestServices;
  /** A browser-like client of the running server. */
  browser(options?: BrowserOptions): TestBrowser;
  close(): Promise<void>;
}

/**
 * The whole API over real HTTP (the Node server on a loopback port), with the real identity
 * services on a fresh test database and a clock the test can move.
 */
export async function startIdentityTestApp(
  options: { readonly clusterOwnerUrl: string; readonly appRolePassword: string; readonly trustedProxyHops?: number },
): Promise<IdentityTestApp> {
  const harness = await createIdentityTestHarness({ clusterOwnerUrl: options.clusterOwnerUrl, appRolePassword: options.appRolePassword });
  const objectRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-api-objects-'));
  const importServices = importTestServices({ db: harness.database.appDb, fields: harness.fields, objectRoot, names: harness.identity.directory });
  const { deps, logs, logger } = testDependencies({
    identity: harness.identity,
    imports: importServices.imports,
    campaignTags: createCampaignTagService({ db: harness.database.appDb }),
    clientAddress: { trustedProxyHops: options.trustedProxyHops ?? 0 },
  });
  const app = createApp(deps);
  const server = await startTestServer(app, logger);
  return {
    harness,
    deps,
    app,
    server,
    logs,
    importServices,
    browser: (browserOptions = {}) => new TestBrowser(server.url, browserOptions),
    async close() {
      await server.close();
      await harness.close();
      await fs.rm(objectRoot, { recursive: true, force: true });
    },
  };
}

export interface BrowserOptions {
  /** Headers sent with every request, e.g. an X-Forwarded-For. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BrowserResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly setCookies: string[];
}

/**
 * Keeps the session cookie the way a browser does (replaced by each Set-Cookie, dropped on
 * Max-Age=0) and sends the CSRF token it was last given, unless told otherwise.
 */
export class TestBrowser {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly options: BrowserOptions = {},
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: { readonly json?: unknown; readonly headers?: Readonly<Record<string, string>>; readonly csrf?: boolean } = {},
  ): Promise<BrowserResponse<T>> {
    const headers: Record<string, string> = { ...this.options.headers, ...init.headers };
    if (this.cookie !== undefined) headers['cookie'] = `${sessionCookieName}=${this.cookie}`;
    if (init.csrf !== false && this.csrfToken !== undefined && method !== 'GET') headers[csrfHeader] ??= this.csrfToken;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie();
    for (const setCookie of setCookies) {
      const [pair = ''] = setCookie.split(';');
      const [name, value = ''] = pair.split('=');
      if (name !== sessionCookieName) continue;
      this.cookie = /;\s*Max-Age=0(;|$)/i.test(setCookie) || value === '' ? undefined : value;
    }
    const body = (text === '' ? undefined : JSON.parse(text)) as T;
    const token = (body as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof token === 'string') this.csrfToken = token;
    return { status: response.status, headers: response.headers, body, setCookies };
  }

  get<T = Record<string, unknown>>(path: string, headers?: Readonly<Record<string, string>>): Promise<BrowserResponse<T>> {
    return this.request<T>('GET', path, headers === undefined ? {} : { headers });
  }

  post<T = Record<string, unknown>>(path: string, json?: unknown, extra: { readonly headers?: Readonly<Record<string, string>>; readonly csrf?: boolean } = {}): Promise<BrowserResponse<T>> {
    return this.request<T>('POST', path, { ...(json === undefined ? {} : { json }), ...extra });
  }
}

export const testPassword = 'a long and unguessable passphrase';

export interface SignedUpOwner {
  readonly browser: TestBrowser;
  readonly email: string;
  readonly organisationId: string;
  readonly totpSecret: string;
  readonly recoveryCodes: string[];
}

/**
 * A new organisation's owner, taken through the HTTP API as the web app would: invitation
 * inspected and accepted, TOTP enrolled and confirmed. Leaves `browser` fully signed in.
 */
export async function signUpOwner(testApp: IdentityTestApp, email: string, browserOptions: BrowserOptions = {}): Promise<SignedUpOwner> {
  const { harness } = testApp;
  const bootstrapped = await harness.identity.invitations.bootstrapOrganisation({ name: `Charity of ${email}`, ownerEmail: email });
  const browser = testApp.browser(browserOptions);
  const token = tokenOfLink(bootstrapped.link);
  const accepted = await browser.post('/api/v1/invitations/accept', { token, password: testPassword });
  if (accepted.status !== 200) throw new Error(`accept: ${String(accepted.status)} ${JSON.stringify(accepted.body)}`);
  const enrolment = await browser.post<{ secret: string }>('/api/v1/auth/totp/enrolment');
  if (enrolment.status !== 200) throw new Error(`enrolment: ${String(enrolment.status)} ${JSON.stringify(enrolment.body)}`);
  const code = await generate({ secret: enrolment.body.secret, epoch: harness.clock.epochSeconds() });
  const confirmed = await browser.post<{ recoveryCodes: string[] }>('/api/v1/auth/totp/enrolment/confirm', { code });
  if (confirmed.status !== 200) throw new Error(`confirm: ${String(confirmed.status)} ${JSON.stringify(confirmed.body)}`);
  return { browser, email, organisationId: bootstrapped.organisationId, totpSecret: enrolment.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/** A TOTP code for a time step after every one used so far (moves the clock 30 s on). */
export async function nextTotpCode(testApp: IdentityTestApp, secret: string): Promise<string> {
  testApp.harness.clock.advance(30_000);
  return generate({ secret, epoch: testApp.harness.clock.epochSeconds() });
}
