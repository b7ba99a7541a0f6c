import { getJson, send, sendJson } from '../api/api-client';
import { array, field, isNumber, isString, isStringArray, isStringOrNull, object, oneOf } from '../api/json-shape';

/** What the person still has to do before the session is complete. */
export type NextStep = 'enrol_totp' | 'verify_mfa';
export type SessionStage = 'password' | 'mfa_complete';

export interface Organisation {
  id: string;
  name: string;
  role: string;
}

export interface Session {
  user: { id: string; email: string };
  stage: SessionStage;
  next: NextStep | null;
  csrfToken: string;
  organisations: Organisation[];
  currentOrganisationId: string | null;
}

export interface PasswordStageResult {
  stage: 'password';
  next: NextStep;
}

export interface TotpEnrolment {
  /** Base32 secret for typing into an authenticator app by hand. */
  secret: string;
  otpauthUri: string;
  /** An SVG document; shown as an image, never inserted as markup. */
  qrSvg: string;
}

const isNextStep = oneOf(['enrol_totp', 'verify_mfa'] as const);
const isStage = oneOf(['password', 'mfa_complete'] as const);
const isNextStepOrNull = (value: unknown): value is NextStep | null => value === null || isNextStep(value);

function parseOrganisation(value: unknown, index: number): Organisation {
  const at = `session.organisations[${String(index)}]`;
  const source = object(value, at);
  return { id: field(source, 'id', at, isString), name: field(source, 'name', at, isString), role: field(source, 'role', at, isString) };
}

export function parseSession(body: unknown): Session {
  const root = object(body, 'session');
  const user = object(root.user, 'session.user');
  const organisations = root.organisations === undefined ? [] : array(root.organisations, 'session.organisations');
  return {
    user: { id: field(user, 'id', 'session.user', isString), email: field(user, 'email', 'session.user', isString) },
    stage: field(root, 'stage', 'session', isStage),
    next: root.next === undefined ? null : field(root, 'next', 'session', isNextStepOrNull),
    csrfToken: field(root, 'csrfToken', 'session', isString),
    organisations: organisations.map(parseOrganisation),
    currentOrganisationId:
      root.currentOrganisationId === undefined ? null : field(root, 'currentOrganisationId', 'session', isStringOrNull),
  };
}

export function parsePasswordStage(body: unknown): PasswordStageResult {
  const root = object(body, 'result');
  return { stage: 'password', next: field(root, 'next', 'result', isNextStep) };
}

function parseTotpEnrolment(body: unknown): TotpEnrolment {
  const root = object(body, 'enrolment');
  return {
    secret: field(root, 'secret', 'enrolment', isString),
    otpauthUri: field(root, 'otpauthUri', 'enrolment', isString),
    qrSvg: field(root, 'qrSvg', 'enrolment', isString),
  };
}

function parseRecoveryCodes(body: unknown): string[] {
  return field(object(body, 'confirmation'), 'recoveryCodes', 'confirmation', isStringArray);
}

function parseRemaining(body: unknown): number {
  return field(object(body, 'recovery'), 'remainingRecoveryCodes', 'recovery', isNumber);
}

// In the sign-in steps a 401 means a wrong password or code, not a lost session.
const signInStep = { reportSessionLoss: false } as const;

/** Rejects with a 401 ApiError when nobody is signed in. */
export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return getJson('/api/v1/auth/session', parseSession, signal, signInStep);
}

export function signIn(email: string, password: string): Promise<PasswordStageResult> {
  return sendJson('POST', '/api/v1/auth/sign-in', { email, password }, parsePasswordStage, signInStep);
}

export function startTotpEnrolment(): Promise<TotpEnrolment> {
  return sendJson('POST', '/api/v1/auth/totp/enrolment', {}, parseTotpEnrolment, signInStep);
}

export function confirmTotpEnrolment(code: string): Promise<string[]> {
  return sendJson('POST', '/api/v1/auth/totp/enrolment/confirm', { code }, parseRecoveryCodes, signInStep);
}

export function verifyMfa(code: string): Promise<void> {
  return send('POST', '/api/v1/auth/mfa/verify', { code }, signInStep);
}

export function recoverWithCode(recoveryCode: string): Promise<number> {
  return sendJson('POST', '/api/v1/auth/mfa/recover', { recoveryCode }, parseRemaining, signInStep);
}

export function signOut(): Promise<void> {
  return send('POST', '/api/v1/auth/sign-out', undefined, signInStep);
}

export function switchOrganisation(organisationId: string): Promise<void> {
  return send('POST', '/api/v1/auth/organisation', { organisationId });
}
