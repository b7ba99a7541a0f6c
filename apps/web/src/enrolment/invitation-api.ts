import { ApiError, sendJson } from '../api/api-client';
import { field, isString, object, oneOf } from '../api/json-shape';
import { parsePasswordStage, type PasswordStageResult } from '../auth/auth-api';

export interface Invitation {
  organisationName: string;
  role: string;
  expiresAt: string;
  /** `existing`: the person already has a Kindling account and confirms with its password; `new`: they choose one. */
  account: 'new' | 'existing';
}

export function parseInvitation(body: unknown): Invitation {
  const root = object(body, 'invitation');
  const organisation = object(root.organisation, 'invitation.organisation');
  return {
    organisationName: field(organisation, 'name', 'invitation.organisation', isString),
    role: field(root, 'role', 'invitation', isString),
    expiresAt: field(root, 'expiresAt', 'invitation', isString),
    account: field(root, 'account', 'invitation', oneOf(['new', 'existing'] as const)),
  };
}

// The token travels in request bodies only, never in a URL, so it stays out of logs and history.
const noSession = { reportSessionLoss: false } as const;

export function inspectInvitation(token: string): Promise<Invitation> {
  return sendJson('POST', '/api/v1/invitations/inspect', { token }, parseInvitation, noSession);
}

export function acceptInvitation(token: string, password: string): Promise<PasswordStageResult> {
  return sendJson('POST', '/api/v1/invitations/accept', { token, password }, parsePasswordStage, noSession);
}

/** Unknown, used, withdrawn or expired (404; 410 too, should the API ever say "gone"): retrying is pointless. */
export function isUnusableInvitation(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 410);
}
