import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { generate } from 'otplib';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const LINK = /\/enrol#token=([A-Za-z0-9_-]+)/;

/** An account the tests enrolled, with what they need to sign in again. */
export interface TestAccount {
  email: string;
  password: string;
  /** Base32 TOTP secret, as shown on the setup screen. */
  secret: string;
  recoveryCodes: string[];
  /** The highest TOTP time step used so far: the server accepts each step once. */
  lastStep: number;
}

let accountNumber = 0;

/** A fresh e-mail address per account, unique across runs that share nothing but the clock. */
export function uniqueEmail(label: string): string {
  accountNumber += 1;
  return `e2e-${label}-${String(process.pid)}-${String(accountNumber)}@example.org`;
}

/** A long passphrase: the password policy wants 12+ characters and nothing common. */
export function uniquePassword(): string {
  return `copper kettle lantern ${String(process.pid)} ${String(accountNumber)} meadow`;
}

function tokenFrom(text: string): string | null {
  for (const line of text.split('\n').reverse()) {
    const match = LINK.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/**
 * A one-time invitation token for the owner of a new organisation, from
 * `kindling admin create`, which works on the database of the server under test (same
 * KINDLING_HOME) while it runs.
 */
export async function createOwnerInvitation(organisation: string, email: string): Promise<string> {
  const env = { ...process.env, KINDLING_HOME: process.env.KINDLING_E2E_HOME ?? '', LOG_LEVEL: 'warn' };
  const args = ['apps/cli/bin/kindling.js', 'admin', 'create', '--org', organisation, '--email', email];
  const { stdout } = await run(process.execPath, args, { cwd: repoRoot, env, timeout: 60_000 });
  const token = tokenFrom(stdout);
  if (!token) throw new Error(`\`kindling admin create\` printed no enrolment link (…/enrol#token=…):\n${stdout}`);
  return token;
}

const STEP_SECONDS = 30;

/**
 * A TOTP code the server has not seen: each time step is accepted once per account, so when
 * this account already used the current step, wait for the next one (at most 30 s).
 */
export async function nextTotpCode(account: TestAccount): Promise<string> {
  let now = Date.now() / 1000;
  let step = Math.floor(now / STEP_SECONDS);
  if (step <= account.lastStep) {
    const waitMs = ((account.lastStep + 1) * STEP_SECONDS - now) * 1000 + 250;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    now = Date.now() / 1000;
    step = Math.floor(now / STEP_SECONDS);
  }
  account.lastStep = step;
  return generate({ secret: account.secret, epoch: Math.floor(now) });
}

async function json<T>(response: APIResponse, what: string): Promise<T> {
  expect(response.status(), `${what}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/**
 * Accepts an invitation and enrols TOTP through the API alone, for tests that need a signed-in
 * account but are not about signing in. Returns the account and a storage state holding its
 * fully signed-in session (confirming the enrolment completes the sign-in).
 */
export async function enrolThroughApi(
  baseURL: string,
  token: string,
): Promise<{ account: TestAccount; storageState: Awaited<ReturnType<APIRequestContext['storageState']>> }> {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const password = uniquePassword();
    const accepted = await json<{ csrfToken: string }>(await api.post('/api/v1/invitations/accept', { data: { token, password } }), 'accept invitation');
    const headers = { 'x-csrf-token': accepted.csrfToken };
    const enrolment = await json<{ secret: string }>(await api.post('/api/v1/auth/totp/enrolment', { headers }), 'begin TOTP enrolment');
    // The invitation decides the address; read it back rather than assume it.
    const session = await json<{ user: { email: string } }>(await api.get('/api/v1/auth/session'), 'read session');
    const account: TestAccount = { email: session.user.email, password, secret: enrolment.secret, recoveryCodes: [], lastStep: -1 };
    const code = await nextTotpCode(account);
    const confirmed = await json<{ recoveryCodes: string[] }>(
      await api.post('/api/v1/auth/totp/enrolment/confirm', { headers, data: { code } }),
      'confirm TOTP enrolment',
    );
    account.recoveryCodes = confirmed.recoveryCodes;
    return { account, storageState: await api.storageState() };
  } finally {
    await api.dispose();
  }
}
