export { createDatabase, type DatabaseOptions } from './connection.js';
export { migrateToLatest, knownMigrations, type MigrationOutcome } from './migrator.js';
export { ensureAppRole, appRoleName } from './app-role.js';
export { pingDatabase, readDatabaseStatus, type DatabaseStatus } from './database-status.js';
export { readOrCreateSecretFile } from './secret-file.js';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded/embedded-postgres-server.js';
export { contactGenders, contactKinds, jobStatuses, membershipRoles, sessionStages, userStatuses } from './schema.js';
export type {
  Database,
  Job,
  NewJob,
  JobStatus,
  JobTable,
  Dispatcher,
  Organisation,
  AppUser,
  UserStatus,
  Membership,
  MembershipRole,
  UserSession,
  SessionStage,
  Invitation,
  ApiToken,
  AuditEvent,
  ContactGender,
  ContactKind,
  ContactRow,
  ImportRun,
  NewCommunication,
} from './schema.js';
export { globalTables, type GlobalTable } from './tenancy/global-tables.js';
export { encryptedColumns, type EncryptedColumn } from './encryption/encrypted-columns.js';
export {
  requireTenant,
  withTenant,
  withUserContext,
  withTokenLookup,
  type TenantContext,
  type TenantTransactionOptions,
  type TokenLookupTransaction,
  type TenantTransaction,
  type UserContextTransaction,
} from './tenancy/tenant-context.js';
export { auditActions, type AuditAction, type AuditDetailValue, type AuditEventInput, type AppendedAuditEvent } from './audit/audit-event.js';
export { appendAuditEvent } from './audit/append-audit-event.js';
export {
  verifyAuditChain,
  auditGenesisHash,
  type AuditChainVerification,
  type AuditChainFault,
  type AuditChainProblem,
} from './audit/verify-audit-chain.js';
export { sql, type Kysely, type Transaction } from 'kysely';
