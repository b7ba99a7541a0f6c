import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { createDataProtection, createLocalRootKeyProvider, type DataProtection } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { createTestDatabase, type TestDatabase } from '@kindling/db/testing';
import type { Clock } from '../identity-dependencies.js';
import { createIdentityServices, type IdentityServices } from '../identity-services.js';
import { createLogMailer, type Mailer } from '../mailer.js';
import type { SessionPolicy } from '../session-service.js';

/** A clock that follows real time from an offset tests can move forward. */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }

  /** Seconds since the epoch on this clock, for generating TOTP codes at its time. */
  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

/** What the log mailer wrote: the real `createLogMailer`, with its log lines kept for inspection. */
export interface RecordedMail {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export interface IdentityTestHarness {
  readonly database: TestDatabase;
  readonly identity: IdentityServices;
  readonly clock: TestClock;
  readonly fields: DataProtection;
  readonly mailer: Mailer;
  readonly mail: RecordedMail[];
  readonly publicUrl: string;
  close(): Promise<void>;
}

export interface IdentityTestHarnessOptions {
  readonly clusterOwnerUrl: string;
  readonly appRolePassword: string;
  readonly sessionPolicy?: SessionPolicy;
  readonly publicUrl?: string;
  /** Instead of the recording log mailer (e.g. an SMTP mailer aimed at a test server). */
  readonly mailer?: Mailer;
}

/**
 * The real identity services over a fresh, migrated test database, connected as the
 * application role, with the PostgreSQL key store under a random root key and a movable clock.
 */
export async function createIdentityTestHarness(options: IdentityTestHarnessOptions): Promise<IdentityTestHarness> {
  const database = await createTestDatabase(options.clusterOwnerUrl, options.appRolePassword);
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: database.appDb, rootKeyProvider }) });
  const mail: RecordedMail[] = [];
  const mailer =
    options.mailer ??
    createLogMailer({
      warn(logged, message) {
        mail.push({ fields: { ...logged }, message });
      },
    });
  const clock = new TestClock();
  const publicUrl = options.publicUrl ?? 'http://localhost:8080';
  const identity = createIdentityServices({
    db: database.appDb,
    fields,
    mailer,
    publicUrl,
    clock,
    ...(options.sessionPolicy === undefined ? {} : { sessionPolicy: options.sessionPolicy }),
  });
  return { database, identity, clock, fields, mailer, mail, publicUrl, close: () => database.drop() };
}

/** The token of an enrolment link (`…/enrol#token=…`). */
export function tokenOfLink(link: string): string {
  const fragmentValue = new URL(link).hash.replace(/^#token=/, '');
  if (fragmentValue.length === 0) throw new Error(`no token in ${link}`);
  return fragmentValue;
}

export interface EnrolledUser {
  readonly userId: string;
  readonly organisationId: string;
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly recoveryCodes: readonly string[];
  /** A complete (mfa_complete) session token. */
  readonly sessionToken: string;
}

/**
 * Takes a new person all the way through the real services: a new organisation with them as
 * owner, the invitation accepted with a password, TOTP enrolled and confirmed.
 */
export async function enrolOwner(harness: IdentityTestHarness, email: string, password = 'a long and unguessable passphrase'): Promise<EnrolledUser> {
  const meta = { clientAddress: '192.0.2.10', userAgent: 'kindling-test' };
  const { identity, clock } = harness;
  const bootstrapped = await identity.invitations.bootstrapOrganisation({ name: 'Test charity', ownerEmail: email });
  const accepted = await identity.invitations.acceptInvitation({ token: tokenOfLink(bootstrapped.link), password }, meta);
  const session = await identity.sessions.authenticate(accepted.session.token);
  if (session === undefined) throw new Error('the accepted session did not authenticate');
  const offer = await identity.mfa.beginTotpEnrolment(session);
  const code = await generate({ secret: offer.secret, epoch: clock.epochSeconds() });
  const confirmed = await identity.mfa.confirmTotpEnrolment(session, code, meta);
  return {
    userId: accepted.userId,
    organisationId: bootstrapped.organisationId,
    email,
    password,
    totpSecret: offer.secret,
    recoveryCodes: confirmed.recoveryCodes,
    sessionToken: confirmed.session.token,
  };
}

export { SoftwareAuthenticator, type CeremonyClaims } from './software-authenticator.js';
