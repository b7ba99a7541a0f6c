import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SoftwareAuthenticator } from '@kindling/identity/testing';
import { testPublicUrl } from '../test-support/test-dependencies.js';
import { nextTotpCode, signUpOwner, startIdentityTestApp, testPassword, type IdentityTestApp, type SignedUpOwner, type TestBrowser } from '../test-support/identity-test-app.js';

interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface ErrorBody {
  error: { code: string; details?: Record<string, unknown> };
}

describe('passkeys over HTTP: adding, listing, removing, and using one as the second factor', () => {
  let testApp: IdentityTestApp;
  let ownerNumber = 0;

  beforeAll(async () => {
    testApp = await startIdentityTestApp({ clusterOwnerUrl: inject('clusterOwnerUrl'), appRolePassword: inject('appRolePassword') });
  });
  afterAll(async () => {
    await testApp.close();
  });

  async function newOwner(): Promise<SignedUpOwner> {
    ownerNumber += 1;
    return signUpOwner(testApp, `passkey-${String(ownerNumber)}@example.org`);
  }

  async function addPasskey(browser: TestBrowser, authenticator: SoftwareAuthenticator, name = 'Work laptop') {
    const options = await browser.post<{ challenge: string; rp: { id: string } }>('/api/v1/account/passkeys/options');
    expect(options.status).toBe(200);
    return browser.post<Passkey>('/api/v1/account/passkeys', { name, credential: authenticator.register(options.body) });
  }

  /** A new browser that has passed the password step as `owner`. */
  async function passwordStage(owner: SignedUpOwner): Promise<TestBrowser> {
    const browser = testApp.browser();
    const signedIn = await browser.post('/api/v1/auth/sign-in', { email: owner.email, password: testPassword });
    expect(signedIn.body).toMatchObject({ stage: 'password', next: 'verify_mfa' });
    return browser;
  }

  async function fullySignedIn(owner: SignedUpOwner): Promise<TestBrowser> {
    const browser = await passwordStage(owner);
    const verified = await browser.post('/api/v1/auth/mfa/verify', { code: await nextTotpCode(testApp, owner.totpSecret) });
    expect(verified.status).toBe(200);
    return browser;
  }

  async function accountFailures(owner: SignedUpOwner): Promise<number> {
    const { ownerDb } = testApp.harness.database;
    const user = await ownerDb.selectFrom('app_user').select('email_blind_index').where('id', '=', await userIdOf(owner.browser)).executeTakeFirstOrThrow();
    const row = await ownerDb.selectFrom('auth_throttle').select('failures').where('key', '=', `account:${user.email_blind_index.toString('hex')}`).executeTakeFirst();
    return row?.failures ?? 0;
  }

  async function userIdOf(browser: TestBrowser): Promise<string> {
    return (await browser.get<{ user: { id: string } }>('/api/v1/auth/session')).body.user.id;
  }

  async function auditActions(userId: string): Promise<{ action: string; details: unknown }[]> {
    return testApp.harness.database.ownerDb
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('actor_user_id', '=', userId)
      .orderBy('seq')
      .execute();
  }

  it('adds a passkey bound to PUBLIC_URL, lists it, renames it, and ends every other session', async () => {
    const owner = await newOwner();
    const elsewhere = await fullySignedIn(owner);
    const authenticator = new SoftwareAuthenticator(testPublicUrl);

    const options = await owner.browser.post<{ challenge: string; rp: { id: string; name: string }; timeout: number; excludeCredentials: unknown[] }>('/api/v1/account/passkeys/options');
    expect(options.body).toMatchObject({ rp: { id: 'localhost', name: 'Kindling' }, timeout: 300_000, excludeCredentials: [] });
    const added = await owner.browser.post<Passkey>('/api/v1/account/passkeys', { name: '  Work laptop ', credential: authenticator.register(options.body) });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: authenticator.credentialId, name: 'Work laptop', lastUsedAt: null });

    const listed = await owner.browser.get<Passkey[]>('/api/v1/account/passkeys');
    expect(listed.body).toEqual([added.body]);
    // An MFA change: the other browser is signed out, this one stays.
    expect((await elsewhere.get('/api/v1/auth/session')).status).toBe(401);
    expect((await owner.browser.get('/api/v1/auth/session')).status).toBe(200);

    const renamed = await owner.browser.request<Passkey>('PATCH', `/api/v1/account/passkeys/${authenticator.credentialId}`, { json: { name: 'Phone' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Phone');

    // The next ceremony excludes the registered authenticator, so it cannot count twice.
    const again = await owner.browser.post<{ excludeCredentials: { id: string }[] }>('/api/v1/account/passkeys/options');
    expect(again.body.excludeCredentials.map((credential) => credential.id)).toEqual([authenticator.credentialId]);

    const events = await auditActions(await userIdOf(owner.browser));
    expect(events).toContainEqual({ action: 'auth.mfa.passkey_added', details: { passkeyId: authenticator.credentialId } });
    expect(events).toContainEqual({ action: 'session.revoked', details: { reason: 'mfa_changed', sessions: 1 } });
  });

  it('refuses a registration made for another origin, another RP id or another challenge, and uses each challenge once', async () => {
    const owner = await newOwner();
    const cases = [
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { challenge: Buffer.from('a challenge the server never issued').toString('base64url') },
    ];
    for (const claims of cases) {
      const options = await owner.browser.post<{ challenge: string }>('/api/v1/account/passkeys/options');
      const refused = await owner.browser.post<ErrorBody>('/api/v1/account/passkeys', {
        name: 'Forged',
        credential: new SoftwareAuthenticator(testPublicUrl).register(options.body, claims),
      });
      expect(refused.status, JSON.stringify(claims)).toBe(422);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }

    const options = await owner.browser.post<{ challenge: string }>('/api/v1/account/passkeys/options');
    expect((await owner.browser.post('/api/v1/account/passkeys', { name: 'First', credential: new SoftwareAuthenticator(testPublicUrl).register(options.body) })).status).toBe(201);
    const replayed = await owner.browser.post<ErrorBody>('/api/v1/account/passkeys', { name: 'Second', credential: new SoftwareAuthenticator(testPublicUrl).register(options.body) });
    expect(replayed.status).toBe(409);

    // A challenge older than five minutes is refused too.
    const stale = await owner.browser.post<{ challenge: string }>('/api/v1/account/passkeys/options');
    testApp.harness.clock.advance(5 * 60_000 + 1000);
    const late = await owner.browser.post<ErrorBody>('/api/v1/account/passkeys', { name: 'Late', credential: new SoftwareAuthenticator(testPublicUrl).register(stale.body) });
    expect(late.status).toBe(409);
    expect((await owner.browser.get<Passkey[]>('/api/v1/account/passkeys')).body.map((passkey) => passkey.name)).toEqual(['First']);
  });

  it('completes sign-in with a passkey instead of a code: a new, complete session', async () => {
    const owner = await newOwner();
    const authenticator = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(owner.browser, authenticator)).status).toBe(201);

    const browser = await passwordStage(owner);
    expect((await browser.get('/api/v1/auth/mfa/factors')).body).toEqual({ passkey: true });
    const halfCookie = browser.cookie;
    const halfCsrf = browser.csrfToken;
    const options = await browser.post<{ challenge: string; rpId: string; allowCredentials: { id: string }[] }>('/api/v1/auth/passkey/options');
    expect(options.status).toBe(200);
    expect(options.body.rpId).toBe('localhost');
    expect(options.body.allowCredentials.map((credential) => credential.id)).toEqual([authenticator.credentialId]);

    const verified = await browser.post('/api/v1/auth/passkey/verify', { credential: authenticator.authenticate(options.body) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ stage: 'mfa_complete' });
    expect(browser.cookie).not.toBe(halfCookie);
    expect((await browser.get('/api/v1/auth/session')).body).toMatchObject({ stage: 'mfa_complete', next: null });
    expect((await browser.get('/api/v1/status')).status).toBe(200);

    const [passkey] = (await browser.get<Passkey[]>('/api/v1/account/passkeys')).body;
    expect(passkey?.lastUsedAt).not.toBeNull();
    const stored = await testApp.harness.database.ownerDb.selectFrom('webauthn_credential').select('counter').where('id', '=', Buffer.from(authenticator.credentialId, 'base64url')).executeTakeFirstOrThrow();
    expect(stored.counter).toBe(1);
    expect(await auditActions(await userIdOf(browser))).toContainEqual({ action: 'auth.sign_in.succeeded', details: { factor: 'passkey' } });
    // The half-done session was replaced: replaying the step with it gets nowhere.
    const replay = testApp.browser();
    replay.cookie = halfCookie;
    replay.csrfToken = halfCsrf;
    const replayed = await replay.post('/api/v1/auth/passkey/verify', { credential: authenticator.authenticate(options.body) });
    expect(replayed.status).toBe(401);
  });

  it('tells a password-stage session without passkeys to use its code', async () => {
    const owner = await newOwner();
    const browser = await passwordStage(owner);
    expect((await browser.get('/api/v1/auth/mfa/factors')).body).toEqual({ passkey: false });
    expect((await browser.post('/api/v1/auth/passkey/options')).status).toBe(409);
  });

  it('refuses a wrong signature, an unknown credential and a wrong origin, counting each failure against the account', async () => {
    const owner = await newOwner();
    const authenticator = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(owner.browser, authenticator)).status).toBe(201);
    const browser = await passwordStage(owner);
    const before = await accountFailures(owner);

    const attempts = [
      (challenge: { challenge: string }) => {
        const response = authenticator.authenticate(challenge);
        // The signature of another key over the same data.
        const forged = new SoftwareAuthenticator(testPublicUrl).authenticate(challenge);
        return { ...response, response: { ...response.response, signature: forged.response.signature } };
      },
      (challenge: { challenge: string }) => new SoftwareAuthenticator(testPublicUrl).authenticate(challenge),
      (challenge: { challenge: string }) => authenticator.authenticate(challenge, { origin: 'https://evil.example' }),
    ];
    for (const attempt of attempts) {
      const options = await browser.post<{ challenge: string }>('/api/v1/auth/passkey/options');
      const refused = await browser.post<ErrorBody>('/api/v1/auth/passkey/verify', { credential: attempt(options.body) });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(await accountFailures(owner)).toBe(before + attempts.length);
    expect((await browser.get('/api/v1/auth/session')).body).toMatchObject({ stage: 'password' });
    const reasons = (await auditActions(await userIdOf(browser)))
      .filter((event) => event.action === 'auth.sign_in.failed')
      .map((event) => (event.details as { reason: string }).reason);
    expect(reasons).toEqual(['passkey_signature', 'passkey_unknown', 'passkey_signature']);

    // Success forgets the failures, like a code would.
    const options = await browser.post<{ challenge: string }>('/api/v1/auth/passkey/options');
    expect((await browser.post('/api/v1/auth/passkey/verify', { credential: authenticator.authenticate(options.body) })).status).toBe(200);
    expect(await accountFailures(owner)).toBe(0);
  });

  it('refuses an assertion whose signature counter did not move forward (a cloned authenticator)', async () => {
    const owner = await newOwner();
    const authenticator = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(owner.browser, authenticator)).status).toBe(201);

    const first = await passwordStage(owner);
    const options = await first.post<{ challenge: string }>('/api/v1/auth/passkey/options');
    expect((await first.post('/api/v1/auth/passkey/verify', { credential: authenticator.authenticate(options.body) })).status).toBe(200);

    const second = await passwordStage(owner);
    authenticator.counter = 0; // the next assertion reports 1 again
    const again = await second.post<{ challenge: string }>('/api/v1/auth/passkey/options');
    const refused = await second.post('/api/v1/auth/passkey/verify', { credential: authenticator.authenticate(again.body) });
    expect(refused.status).toBe(401);
    expect((await second.get('/api/v1/auth/session')).body).toMatchObject({ stage: 'password' });
  });

  it("keeps people to their own passkeys: another user's cannot be used, renamed or removed", async () => {
    const alice = await newOwner();
    const bob = await newOwner();
    const alicesKey = new SoftwareAuthenticator(testPublicUrl);
    const bobsKey = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(alice.browser, alicesKey)).status).toBe(201);
    expect((await addPasskey(bob.browser, bobsKey)).status).toBe(201);

    const path = `/api/v1/account/passkeys/${alicesKey.credentialId}`;
    const renamed = await bob.browser.request<ErrorBody>('PATCH', path, { json: { name: 'Mine now' } });
    expect(renamed.status).toBe(404);
    const removed = await bob.browser.request<ErrorBody>('DELETE', path);
    expect(removed.status).toBe(404);
    expect(removed.body.error.code).toBe('NOT_FOUND');
    expect((await alice.browser.get<Passkey[]>('/api/v1/account/passkeys')).body.map((passkey) => passkey.name)).toEqual(['Work laptop']);

    // Bob, half signed in, presents Alice's authenticator: refused like an unknown one.
    const browser = await passwordStage(bob);
    const options = await browser.post<{ challenge: string }>('/api/v1/auth/passkey/options');
    const refused = await browser.post('/api/v1/auth/passkey/verify', { credential: alicesKey.authenticate(options.body) });
    expect(refused.status).toBe(401);
  });

  it('removes a passkey, ending every other session; it can no longer sign in', async () => {
    const owner = await newOwner();
    const authenticator = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(owner.browser, authenticator)).status).toBe(201);
    const elsewhere = await fullySignedIn(owner);

    const removed = await owner.browser.request('DELETE', `/api/v1/account/passkeys/${authenticator.credentialId}`);
    expect(removed.status).toBe(204);
    expect((await owner.browser.get<Passkey[]>('/api/v1/account/passkeys')).body).toEqual([]);
    expect((await elsewhere.get('/api/v1/auth/session')).status).toBe(401);
    expect((await owner.browser.get('/api/v1/auth/session')).status).toBe(200);
    expect(await auditActions(await userIdOf(owner.browser))).toContainEqual({ action: 'auth.mfa.passkey_removed', details: { passkeyId: authenticator.credentialId } });

    const browser = await passwordStage(owner);
    expect((await browser.get('/api/v1/auth/mfa/factors')).body).toEqual({ passkey: false });
  });

  it('needs the CSRF token to add or remove a passkey', async () => {
    const owner = await newOwner();
    expect((await owner.browser.post('/api/v1/account/passkeys/options', undefined, { csrf: false })).status).toBe(403);
    const authenticator = new SoftwareAuthenticator(testPublicUrl);
    expect((await addPasskey(owner.browser, authenticator)).status).toBe(201);
    const refused = await owner.browser.request('DELETE', `/api/v1/account/passkeys/${authenticator.credentialId}`, { csrf: false });
    expect(refused.status).toBe(403);
  });
});
