import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

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

export interface KyselyMigrationTable {
  name: string;
  timestamp: string;
}

export interface Database {
  job: JobTable;
  dispatcher: DispatcherTable;
  kysely_migration: KyselyMigrationTable;
}

export type Job = Selectable<JobTable>;
export type NewJob = Insertable<JobTable>;
export type JobUpdate = Updateable<JobTable>;
export type Dispatcher = Selectable<DispatcherTable>;
