import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;
/** `bytea` arrives as a Buffer; any byte array may be written. */
type Bytes = ColumnType<Buffer, Uint8Array, Uint8Array>;
type NullableBytes = ColumnType<Buffer | null, Uint8Array | null | undefined, Uint8Array | null>;

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** One unit of batch work. Queue SQL lives in @kindling/worker; this is only its shape. */
export interface JobTable {
  id: Generated<string>;
  /** Null for system jobs; tenant jobs carry their organisation (enforced once tenants exist). */
  org_id: string | null;
  name: string;
  version: number;
  payload: Json;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  run_after: Timestamp;
  /** At most one queued-or-running job per key: periodic jobs use it to avoid piling up. */
  singleton_key: string | null;
  claimed_by: string | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
}

/** One row per running dispatcher process, kept fresh by heartbeats. */
export interface DispatcherTable {
  id: string;
  host: string;
  pid: number;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
  stopped_at: NullableTimestamp;
}

/** A tenant: every tenant table carries its id as `org_id` and is fenced by row-level security. */
export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  /** Lower-case, URL-safe and unique; used in links, never as a key in other tables. */
  slug: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export const userStatuses = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof userStatuses)[number];

/**
 * A person who can sign in; global, since one person may belong to several organisations.
 * The e-mail address is never stored in plain text: only its ciphertext and a keyed blind index
 * (for exact-match look-up at sign-in), both produced by the crypto package.
 */
export interface AppUserTable {
  id: Generated<string>;
  email_ciphertext: NullableBytes;
  email_blind_index: Bytes;
  /** argon2id PHC string; null until the invited user sets a password. */
  password_hash: string | null;
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>;
  created_at: Timestamp;
  password_changed_at: NullableTimestamp;
  mfa_enrolled_at: NullableTimestamp;
}

/** The database's copy of the roles of @kindling/access (a check constraint enforces it). */
export const membershipRoles = ['owner', 'admin', 'analyst', 'viewer'] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export interface MembershipTable {
  org_id: string;
  user_id: string;
  role: MembershipRole;
  created_at: Timestamp;
}

export const sessionStages = ['password', 'mfa_complete'] as const;
export type SessionStage = (typeof sessionStages)[number];

/** A signed-in browser. Only a hash of the session token is stored. */
export interface UserSessionTable {
  id: Generated<string>;
  token_hash: Bytes;
  user_id: string;
  /** The organisation the user has selected, if any: a preference, not ownership. */
  org_id: string | null;
  stage: SessionStage;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  /** Absolute expiry, however active the session is. */
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
  client_address: string | null;
  user_agent: string | null;
}

export interface MfaTotpTable {
  user_id: string;
  secret_ciphertext: Bytes;
  created_at: Timestamp;
  confirmed_at: NullableTimestamp;
  /** The last accepted 30-second step: a code for this step or an earlier one is a replay. */
  last_used_step: ColumnType<number | null, number | bigint | null | undefined, number | bigint | null>;
}

export interface MfaRecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  /** SHA-256 of the normalised code (80 bits of entropy each; see @kindling/identity). */
  code_hash: Bytes;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface WebauthnCredentialTable {
  /** The credential id chosen by the authenticator. */
  id: Bytes;
  user_id: string;
  public_key: Bytes;
  counter: ColumnType<number, number | bigint | undefined, number | bigint>;
  transports: ColumnType<string[], readonly string[] | undefined, readonly string[]>;
  name: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

/** The one pending WebAuthn challenge of a session; deleted by the request that uses it. */
export interface WebauthnChallengeTable {
  session_id: string;
  purpose: 'registration' | 'authentication';
  challenge: Bytes;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface InvitationTable {
  id: Generated<string>;
  org_id: string;
  email_blind_index: Bytes;
  role: MembershipRole;
  token_hash: Bytes;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  org_id: string;
  /** Never 'owner' (a check constraint refuses it): keys and ownership stay with people. */
  role: Exclude<MembershipRole, 'owner'>;
  name: string;
  token_hash: Bytes;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Failed-attempt counters for sign-in throttling, keyed e.g. `account:<uuid>` or `address:<ip>`. */
export interface AuthThrottleTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  first_failure_at: Timestamp;
  locked_until: NullableTimestamp;
}

/**
 * The hash-chained audit log. Rows are written only by the `audit_append` database function
 * (see appendAuditEvent); the application role may read its organisation's rows and nothing more.
 */
export interface AuditEventTable {
  seq: ColumnType<number, never, never>;
  org_id: ColumnType<string | null, never, never>;
  occurred_at: ColumnType<Date, never, never>;
  actor_user_id: ColumnType<string | null, never, never>;
  actor_token_id: ColumnType<string | null, never, never>;
  action: ColumnType<string, never, never>;
  target_type: ColumnType<string | null, never, never>;
  target_id: ColumnType<string | null, never, never>;
  client_address: ColumnType<string | null, never, never>;
  user_agent: ColumnType<string | null, never, never>;
  details: ColumnType<Record<string, unknown>, never, never>;
  prev_hash: ColumnType<Buffer, never, never>;
  row_hash: ColumnType<Buffer, never, never>;
}

/** The single row holding the audit chain's last sequence number and hash; only audit_append touches it. */
export interface AuditChainHeadTable {
  id: ColumnType<boolean, never, never>;
  last_seq: ColumnType<number | null, never, never>;
  last_hash: ColumnType<Buffer, never, never>;
}

export const contactKinds = ['individual', 'organisation'] as const;
export type ContactKind = (typeof contactKinds)[number];
export const contactGenders = ['female', 'male', 'other', 'unknown'] as const;
export type ContactGender = (typeof contactGenders)[number];
type Flag = ColumnType<boolean, boolean | undefined, boolean>;

/**
 * A person or organisation from the charity's CRM. Every `*_ciphertext` column holds a field
 * encrypted under the organisation's key and bound to (contact, column, row id); blind indexes
 * allow exact look-ups by CRM id and e-mail. The plain columns are the non-identifying
 * attributes models may read. Written and read through @kindling/contacts.
 */
export interface ContactTable {
  id: string;
  org_id: string;
  external_id_ciphertext: Bytes;
  external_id_blind_index: Bytes;
  kind: ContactKind;
  /** When the CRM record was created; written as `YYYY-MM-DD`. pg reads a `date` as local midnight: select it with to_char. */
  created_on: ColumnType<Date | null, string | null | undefined, string | null>;
  given_names_ciphertext: NullableBytes;
  family_name_ciphertext: NullableBytes;
  organisation_name_ciphertext: NullableBytes;
  email_ciphertext: NullableBytes;
  email_blind_index: NullableBytes;
  phone_ciphertext: NullableBytes;
  /** The address lines, newline-separated, as one encrypted value. */
  postal_address_ciphertext: NullableBytes;
  date_of_birth_ciphertext: NullableBytes;
  notes_ciphertext: NullableBytes;
  /** Outward code only ("SW1A"), never the full postcode. */
  postcode_district: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  birth_year: number | null;
  gender: ContactGender | null;
  deceased: Flag;
  do_not_mail: Flag;
  do_not_email: Flag;
  do_not_phone: Flag;
  no_address: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Keyed hash of the imported values: an unchanged row is never rewritten by a re-import. */
  row_hash: NullableBytes;
  /** The organisation's own attributes (name → number or text; see contact_attribute), written as JSON text. */
  custom_attributes: ColumnType<Record<string, string | number>, string | undefined, string>;
}

/** A date column written as `YYYY-MM-DD`; select it with to_char (pg reads a `date` as local midnight). */
type DateText = ColumnType<Date, string, string>;
type NullableDateText = ColumnType<Date | null, string | null | undefined, string | null>;
/** numeric: pg returns it as text, so no amount is ever rounded through a float on the way out. */
type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
/** jsonb written as JSON text. */
type JsonDocument = ColumnType<unknown, string | undefined, string>;

export interface ImportRunTable {
  id: Generated<string>;
  org_id: string;
  mode: 'complete' | 'delta';
  preset: string;
  status: 'queued' | 'running' | 'applied' | 'refused' | 'failed';
  started_by_user_id: string | null;
  started_by_token_id: string | null;
  files: JsonDocument;
  summary: JsonDocument;
  problem: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
  /** What a running import reads now ({file, entity, rows}) as JSON text; null before it starts. */
  progress: ColumnType<unknown, string | null | undefined, string | null>;
  /** How an import started through the API was asked for (preset, mappings, answers, currency) as JSON text, for replays. */
  request: ColumnType<unknown, string | null | undefined, string | null>;
}

/** A file being uploaded in chunks (objects `uploads/<id>/<part>` in the encrypted object store). */
export interface ImportUploadTable {
  id: Generated<string>;
  org_id: string;
  file_name: string;
  size: ColumnType<string, number, number>;
  received: ColumnType<string, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
  created_by_user_id: string | null;
  created_by_token_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ImportRejectionTable {
  id: Generated<string>;
  org_id: string;
  import_run_id: string;
  file: string;
  line: number;
  column_name: string | null;
  value_ciphertext: NullableBytes;
  reason: string;
}

export interface CampaignTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  parent_external_id: string | null;
  name: string;
  code: string | null;
  start_date: NullableDateText;
  end_date: NullableDateText;
  category: string | null;
  channel: string | null;
  cost: NullableNumeric;
  row_hash: Bytes;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecurringPlanTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  contact_id: string;
  start_date: DateText;
  end_date: NullableDateText;
  cancellation_reason: string | null;
  frequency: string | null;
  amount: Numeric;
  currency: string;
  status: string | null;
  payment_failures: number | null;
  row_hash: Bytes;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GiftTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  contact_id: string;
  gift_date: DateText;
  amount: Numeric;
  currency: string;
  payment_method: string | null;
  campaign_external_id: string | null;
  package_external_id: string | null;
  gift_type: ColumnType<string, string | undefined, string>;
  recurring_plan_external_id: string | null;
  row_hash: Bytes;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommunicationTable {
  id: Generated<string>;
  org_id: string;
  contact_id: string;
  campaign_external_id: string;
  package_external_id: string | null;
  sent_on: DateText;
  channel: string | null;
  response: string | null;
  row_hash: Bytes;
  created_at: Timestamp;
}

export interface GiftSoftCreditTable {
  id: Generated<string>;
  org_id: string;
  gift_id: string;
  contact_id: string;
}

export interface RecurringPlanAmountTable {
  id: Generated<string>;
  org_id: string;
  plan_id: string;
  observed_on: DateText;
  amount: Numeric;
  import_run_id: string | null;
}

/** A person's tagging decision on a campaign or package (migration 0012); imports never touch it. */
export interface CampaignTagTable {
  id: Generated<string>;
  org_id: string;
  campaign_id: string;
  decision: 'confirmed' | 'skipped';
  category: string | null;
  channel: string | null;
  decided_by_user_id: string | null;
  decided_by_token_id: string | null;
  decided_at: Timestamp;
}

/** The view of the tag each campaign and package carries for the models (docs/campaign-tagging.md). */
export interface CampaignEffectiveTagView {
  org_id: string;
  campaign_id: string;
  category: string | null;
  channel: string | null;
  source: 'person' | 'crm' | 'campaign' | 'skipped' | 'none';
}

export interface RecurringPlanPaymentFailureTable {
  id: Generated<string>;
  org_id: string;
  plan_id: string;
  failed_on: DateText;
  amount: NullableNumeric;
  reason: string | null;
  external_id: string | null;
  row_hash: Bytes;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ContactAttributeKind = 'numeric' | 'categorical';

/** A custom contact attribute the organisation keeps (values live in contact.custom_attributes). */
export interface ContactAttributeTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  kind: ContactAttributeKind;
  created_at: Timestamp;
}

/** A confirmed column mapping for an export layout no preset knows, found again by its header signature. */
export interface ImportMappingTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  entity: string;
  header_signature: string;
  /** [{ header, target }] as JSON text. */
  columns: JsonDocument;
  created_by_user_id: string | null;
  created_by_token_id: string | null;
  updated_by_user_id: string | null;
  updated_by_token_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KyselyMigrationTable {
  name: string;
  timestamp: string;
}

export interface Database {
  job: JobTable;
  dispatcher: DispatcherTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  user_session: UserSessionTable;
  mfa_totp: MfaTotpTable;
  mfa_recovery_code: MfaRecoveryCodeTable;
  webauthn_credential: WebauthnCredentialTable;
  webauthn_challenge: WebauthnChallengeTable;
  invitation: InvitationTable;
  api_token: ApiTokenTable;
  auth_throttle: AuthThrottleTable;
  audit_event: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  contact: ContactTable;
  import_run: ImportRunTable;
  import_rejection: ImportRejectionTable;
  import_upload: ImportUploadTable;
  campaign: CampaignTable;
  recurring_plan: RecurringPlanTable;
  gift: GiftTable;
  communication: CommunicationTable;
  gift_soft_credit: GiftSoftCreditTable;
  recurring_plan_amount: RecurringPlanAmountTable;
  recurring_plan_payment_failure: RecurringPlanPaymentFailureTable;
  campaign_tag: CampaignTagTable;
  campaign_effective_tag: CampaignEffectiveTagView;
  contact_attribute: ContactAttributeTable;
  import_mapping: ImportMappingTable;
  kysely_migration: KyselyMigrationTable;
}

export type Job = Selectable<JobTable>;
export type NewJob = Insertable<JobTable>;
export type JobUpdate = Updateable<JobTable>;
export type Dispatcher = Selectable<DispatcherTable>;
export type Organisation = Selectable<OrganisationTable>;
export type AppUser = Selectable<AppUserTable>;
export type Membership = Selectable<MembershipTable>;
export type UserSession = Selectable<UserSessionTable>;
export type Invitation = Selectable<InvitationTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type AuditEvent = Selectable<AuditEventTable>;
export type ContactRow = Selectable<ContactTable>;
export type ImportRun = Selectable<ImportRunTable>;
export type NewCommunication = Insertable<CommunicationTable>;
