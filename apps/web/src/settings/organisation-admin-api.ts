import { getJson, send, sendJson } from '../api/api-client';
import { array, field, isBoolean, isNumber, isString, isStringOrNull, object, oneOf, type Json } from '../api/json-shape';

/** One person in the organisation, as owners and admins see them. */
export interface Member {
  userId: string;
  email: string;
  role: string;
  status: 'invited' | 'active' | 'disabled';
  mfaEnrolled: boolean;
  joinedAt: string;
}

export interface PendingInvitation {
  id: string;
  /** Null only if the invited account no longer exists. */
  email: string | null;
  role: string;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface CreatedInvitation {
  id: string;
  expiresAt: string;
  /** Only when the server sends no e-mail: the link for the inviting admin to pass on. */
  link: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface CreatedApiToken extends ApiToken {
  /** The secret itself: the server keeps only its hash, so this is the one chance to copy it. */
  token: string;
}

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  action: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  targetType: string | null;
  targetId: string | null;
  clientAddress: string | null;
  details: Json;
}

export interface AuditPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

export interface AuditFilters {
  action?: string | undefined;
  actorUserId?: string | undefined;
  /** ISO instants: events at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
}

const isMemberStatus = oneOf(['invited', 'active', 'disabled'] as const);

function listOf<T>(body: unknown, name: string, parse: (source: Json, at: string) => T): T[] {
  return array(body, name).map((value, index) => {
    const at = `${name}[${String(index)}]`;
    return parse(object(value, at), at);
  });
}

export function parseMembers(body: unknown): Member[] {
  return listOf(body, 'members', (source, at) => ({
    userId: field(source, 'userId', at, isString),
    email: field(source, 'email', at, isString),
    role: field(source, 'role', at, isString),
    status: field(source, 'status', at, isMemberStatus),
    mfaEnrolled: field(source, 'mfaEnrolled', at, isBoolean),
    joinedAt: field(source, 'joinedAt', at, isString),
  }));
}

export function parseInvitations(body: unknown): PendingInvitation[] {
  return listOf(body, 'invitations', (source, at) => ({
    id: field(source, 'id', at, isString),
    email: field(source, 'email', at, isStringOrNull),
    role: field(source, 'role', at, isString),
    invitedBy: field(source, 'invitedBy', at, isStringOrNull),
    createdAt: field(source, 'createdAt', at, isString),
    expiresAt: field(source, 'expiresAt', at, isString),
  }));
}

export function parseCreatedInvitation(body: unknown): CreatedInvitation {
  const source = object(body, 'invitation');
  return {
    id: field(source, 'id', 'invitation', isString),
    expiresAt: field(source, 'expiresAt', 'invitation', isString),
    link: source.link === undefined ? null : field(source, 'link', 'invitation', isString),
  };
}

function parseToken(source: Json, at: string): ApiToken {
  return {
    id: field(source, 'id', at, isString),
    name: field(source, 'name', at, isString),
    role: field(source, 'role', at, isString),
    createdBy: field(source, 'createdBy', at, isStringOrNull),
    createdAt: field(source, 'createdAt', at, isString),
    expiresAt: field(source, 'expiresAt', at, isStringOrNull),
    lastUsedAt: field(source, 'lastUsedAt', at, isStringOrNull),
  };
}

export function parseApiTokens(body: unknown): ApiToken[] {
  return listOf(body, 'apiTokens', parseToken);
}

export function parseCreatedApiToken(body: unknown): CreatedApiToken {
  const source = object(body, 'apiToken');
  return { ...parseToken(source, 'apiToken'), token: field(source, 'token', 'apiToken', isString) };
}

export function parseAuditPage(body: unknown): AuditPage {
  const root = object(body, 'auditPage');
  return {
    events: listOf(root.events, 'auditPage.events', (source, at) => ({
      seq: field(source, 'seq', at, isNumber),
      occurredAt: field(source, 'occurredAt', at, isString),
      action: field(source, 'action', at, isString),
      actorUserId: field(source, 'actorUserId', at, isStringOrNull),
      actorTokenId: field(source, 'actorTokenId', at, isStringOrNull),
      targetType: field(source, 'targetType', at, isStringOrNull),
      targetId: field(source, 'targetId', at, isStringOrNull),
      clientAddress: field(source, 'clientAddress', at, isStringOrNull),
      details: source.details === undefined ? {} : object(source.details, `${at}.details`),
    })),
    nextCursor: field(root, 'nextCursor', 'auditPage', isStringOrNull),
  };
}

const organisationPath = (orgId: string) => `/api/v1/organisations/${encodeURIComponent(orgId)}`;

/** The query string of an audit-log request; filters are identifiers and dates, never personal data. */
export function auditQuery(filters: AuditFilters, cursor: string | null): string {
  const query = new URLSearchParams();
  if (filters.action) query.set('action', filters.action);
  if (filters.actorUserId) query.set('actorUserId', filters.actorUserId);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (cursor !== null) query.set('cursor', cursor);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

export function fetchMembers(orgId: string, signal?: AbortSignal): Promise<Member[]> {
  return getJson(`${organisationPath(orgId)}/members`, parseMembers, signal);
}

export function changeMemberRole(orgId: string, userId: string, role: string): Promise<void> {
  return send('PATCH', `${organisationPath(orgId)}/members/${encodeURIComponent(userId)}`, { role });
}

export function removeMember(orgId: string, userId: string): Promise<void> {
  return send('DELETE', `${organisationPath(orgId)}/members/${encodeURIComponent(userId)}`);
}

/** Removes a member's second factors (lost phone); they enrol again at their next sign-in. */
export function resetMemberMfa(orgId: string, userId: string): Promise<void> {
  return send('POST', `${organisationPath(orgId)}/members/${encodeURIComponent(userId)}/mfa-reset`);
}

export function fetchInvitations(orgId: string, signal?: AbortSignal): Promise<PendingInvitation[]> {
  return getJson(`${organisationPath(orgId)}/invitations`, parseInvitations, signal);
}

export function createInvitation(orgId: string, email: string, role: string): Promise<CreatedInvitation> {
  return sendJson('POST', `${organisationPath(orgId)}/invitations`, { email, role }, parseCreatedInvitation);
}

export function revokeInvitation(orgId: string, invitationId: string): Promise<void> {
  return send('DELETE', `${organisationPath(orgId)}/invitations/${encodeURIComponent(invitationId)}`);
}

export function fetchApiTokens(orgId: string, signal?: AbortSignal): Promise<ApiToken[]> {
  return getJson(`${organisationPath(orgId)}/api-tokens`, parseApiTokens, signal);
}

export function createApiToken(orgId: string, input: { name: string; role: string; expiresInDays: number }): Promise<CreatedApiToken> {
  return sendJson('POST', `${organisationPath(orgId)}/api-tokens`, input, parseCreatedApiToken);
}

export function revokeApiToken(orgId: string, tokenId: string): Promise<void> {
  return send('DELETE', `${organisationPath(orgId)}/api-tokens/${encodeURIComponent(tokenId)}`);
}

export function fetchAuditPage(orgId: string, filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return getJson(`${organisationPath(orgId)}/audit-events${auditQuery(filters, cursor)}`, parseAuditPage, signal);
}
