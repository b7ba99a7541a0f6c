import { sql } from '@kindling/db';
import type { WriteContext } from './entity-writers.js';

/**
 * How an import writes the entities that hold millions of rows (gifts, communications) and those
 * that point at them (campaigns, plans): every accepted row of the entity is first loaded into a
 * TEMP staging table (one bound JSON parameter per batch, parsed by PostgreSQL), and only when the
 * entity's files are read is it merged into its table with a few set-based statements — changed
 * rows updated, new rows inserted, and in a complete import the rows the files no longer hold
 * deleted. Per-row statements cost a round trip and a plan each; these cost one scan. On a first
 * import of an entity there is nothing to merge with, and batches go straight into its table.
 */
export type StagedEntity = 'campaigns' | 'recurring_plans' | 'gifts' | 'communications';

interface StageSpec {
  readonly table: 'campaign' | 'recurring_plan' | 'gift' | 'communication';
  /** Columns that identify a row (the CRM's id, or who/which/when for a communication). */
  readonly key: readonly string[];
  /** Key columns that may be null (compared with IS NOT DISTINCT FROM). */
  readonly nullableKey: readonly string[];
  /** The imported values besides the key, row_hash included. */
  readonly values: readonly string[];
  readonly hasUpdatedAt: boolean;
}

const stageSpecs: Readonly<Record<StagedEntity, StageSpec>> = {
  campaigns: {
    table: 'campaign',
    key: ['external_id'],
    nullableKey: [],
    values: ['parent_external_id', 'name', 'code', 'start_date', 'end_date', 'category', 'channel', 'cost', 'row_hash'],
    hasUpdatedAt: true,
  },
  recurring_plans: {
    table: 'recurring_plan',
    key: ['external_id'],
    nullableKey: [],
    values: ['contact_id', 'start_date', 'end_date', 'cancellation_reason', 'frequency', 'amount', 'currency', 'status', 'payment_failures', 'row_hash'],
    hasUpdatedAt: true,
  },
  gifts: {
    table: 'gift',
    key: ['external_id'],
    nullableKey: [],
    values: ['contact_id', 'gift_date', 'amount', 'currency', 'payment_method', 'campaign_external_id', 'package_external_id', 'gift_type', 'recurring_plan_external_id', 'row_hash'],
    hasUpdatedAt: true,
  },
  communications: {
    table: 'communication',
    key: ['contact_id', 'campaign_external_id', 'sent_on'],
    nullableKey: ['package_external_id'],
    values: ['channel', 'response', 'row_hash'],
    hasUpdatedAt: false,
  },
};

export function isStagedEntity(entity: string): entity is StagedEntity {
  return Object.hasOwn(stageSpecs, entity);
}

const stageTable = (entity: StagedEntity): string => `import_stage_${entity}`;
/** The staged columns: a new row's id (time-ordered, see time-ordered-ids.ts), its key and values. */
const columnsOf = (spec: StageSpec): string[] => ['id', ...spec.key, ...spec.nullableKey, ...spec.values];

/** How an entity's rows are written in this import; see createStage. */
export interface StageState {
  /** The organisation had no rows of the entity: batches go straight into its table. */
  readonly direct: boolean;
  inserted: number;
}

/**
 * The entity's staging table: the target's own column types (copied, without constraints or
 * indexes), plus the soft-credit contacts of a gift. Dropped at the end of the transaction.
 * When the organisation has no rows of the entity yet (a first import), there is nothing to
 * compare with or delete, so batches are inserted into the table directly and only gifts with
 * soft credits are staged (to credit them once their gifts exist).
 */
export async function createStage(context: WriteContext, entity: StagedEntity): Promise<void> {
  const spec = stageSpecs[entity];
  const columns = sql.join(columnsOf(spec).map((column) => sql.ref(column)));
  await sql`CREATE TEMP TABLE ${sql.table(stageTable(entity))} ON COMMIT DROP AS SELECT ${columns} FROM ${sql.table(spec.table)} WITH NO DATA`.execute(context.trx);
  if (entity === 'gifts') await sql`ALTER TABLE ${sql.table(stageTable(entity))} ADD COLUMN soft_credits uuid[]`.execute(context.trx);
  const stored = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(spec.table)} WHERE org_id = ${context.orgId}) AS any`.execute(context.trx);
  context.stages.set(entity, { direct: stored.rows[0]?.any !== true, inserted: 0 });
  // The rows this entity's merge writes, for soft credits and plan amounts: none yet.
  await sql`TRUNCATE import_written`.execute(context.trx);
}

function stageState(context: WriteContext, entity: StagedEntity): StageState {
  const state = context.stages.get(entity);
  if (state === undefined) throw new Error(`no stage for ${entity}`);
  return state;
}

/**
 * Loads a batch into the staging table. The rows travel as ONE bound parameter (see jsonRows),
 * which PostgreSQL turns into rows of the staging table's type — never interpolated.
 */
export async function stageRows(context: WriteContext, entity: StagedEntity, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
  const state = stageState(context, entity);
  const staged = state.direct ? rows.filter((row) => Array.isArray(row['soft_credits']) && row['soft_credits'].length > 0) : rows;
  const table = sql.table(stageTable(entity));
  await settleWrites(context);
  if (staged.length > 0) sendWrite(context, () => sql`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, ${jsonRows(staged)}::json)`.execute(context.trx));
  if (state.direct && rows.length > 0) {
    sendWrite(context, async () => {
      state.inserted += await insertRows(context, entity, sql`json_populate_recordset(NULL::${table}, ${jsonRows(rows)}::json)`);
    });
  }
}

/**
 * Inserts rows of the staging table's type that the table does not hold (a key given twice is
 * written once); a written plan's id goes to import_written to have its amount recorded.
 */
async function insertRows(context: WriteContext, entity: StagedEntity, source: ReturnType<typeof sql.table>, unstoredOnly = false): Promise<number> {
  const { trx, orgId } = context;
  const spec = stageSpecs[entity];
  const target = sql.table(spec.table);
  const columns = columnsOf(spec);
  const insert = sql`
    INSERT INTO ${target} (org_id, ${sql.join(columns.map((column) => sql.ref(column)))})
    SELECT ${orgId}::uuid, ${sql.join(columns.map((column) => sql`s.${sql.ref(column)}`))} FROM ${source} s
    WHERE ${unstoredOnly ? sql`NOT EXISTS (SELECT 1 FROM ${target} t WHERE t.org_id = ${orgId} AND ${matches(spec)})` : sql`true`}
    ON CONFLICT DO NOTHING`;
  if (entity !== 'recurring_plans') return countOf(await insert.execute(trx));
  return countOf(await sql`WITH inserted AS (${insert} RETURNING id) INSERT INTO import_written (id) SELECT id FROM inserted`.execute(trx));
}

/**
 * Sends a write without waiting for it: PostgreSQL stores batch n while this process reads and
 * prepares batch n+1, so both cores work at once. The connection runs statements in the order
 * they were sent; a writer calls `settleWrites` before it sends its next batch (so at most one
 * batch is in flight and memory stays bounded), and the import settles before merging, deleting
 * or committing, so a failed write always fails the import.
 */
export function sendWrite(context: WriteContext, write: () => Promise<unknown>): void {
  const sent = write();
  const previous = context.inFlight.write;
  const all = previous === undefined ? sent : Promise.all([previous, sent]);
  // Marked as handled now, so a failure while the next batch is prepared is no unhandled
  // rejection; settleWrites hands the same failure to whoever waits next.
  all.catch(() => undefined);
  context.inFlight.write = all;
}

export async function settleWrites(context: WriteContext): Promise<void> {
  const sent = context.inFlight.write;
  context.inFlight.write = undefined;
  await sent;
}

/**
 * Rows as the JSON text json_populate_recordset reads (keys are column names, bytea values
 * written with `bytea`). One parameter per batch instead of one per value: no 65,535-parameter
 * limit, and the text is built by JSON.stringify (native code) and parsed by PostgreSQL (C).
 */
export function jsonRows(rows: readonly Readonly<Record<string, unknown>>[]): string {
  return JSON.stringify(rows);
}

/** A bytea value in PostgreSQL's hex input form, for jsonRows. */
export function bytea(value: Buffer): string {
  return `\\x${value.toString('hex')}`;
}

export interface MergeCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

/** Staged row s matches stored row t: the key, with nullable parts compared as values. */
function matches(spec: StageSpec) {
  return sql.join(
    [
      ...spec.key.map((column) => sql`t.${sql.ref(column)} = s.${sql.ref(column)}`),
      ...spec.nullableKey.map((column) => sql`t.${sql.ref(column)} IS NOT DISTINCT FROM s.${sql.ref(column)}`),
    ],
    sql` AND `,
  );
}

/**
 * Merges the staged rows into the entity's table: rows whose keyed hash changed are updated,
 * rows not stored yet inserted (a key staged twice is written once), and in a complete import
 * the organisation's rows that were not staged are deleted. Written plans get their amount
 * recorded; updated gifts have their soft credits replaced, every staged gift's soft credits
 * are ensured. Unchanged rows are not touched.
 */
export async function mergeStaged(context: WriteContext, entity: StagedEntity, mode: 'complete' | 'delta'): Promise<MergeCounts> {
  const { trx, orgId } = context;
  const spec = stageSpecs[entity];
  const stage = sql.table(stageTable(entity));
  const target = sql.table(spec.table);
  await settleWrites(context);
  // Temp tables are never analysed automatically: without statistics the planner guesses a
  // handful of rows and picks nested loops over millions.
  await sql`ANALYZE ${stage}`.execute(trx);
  const state = stageState(context, entity);
  const updated = state.direct ? 0 : countOf(await updateChanged(context, spec, stage));
  const inserted = state.direct ? state.inserted : await insertRows(context, entity, stage, true);
  if (entity === 'gifts') await writeSoftCredits(context);
  if (entity === 'recurring_plans') await recordPlanAmounts(context);
  const deleted =
    mode === 'complete' && !state.direct ? countOf(await sql`DELETE FROM ${target} t WHERE t.org_id = ${orgId} AND NOT EXISTS (SELECT 1 FROM ${stage} s WHERE ${matches(spec)})`.execute(trx)) : 0;
  return { inserted, updated, deleted };
}

/** Stored rows whose keyed hash differs from their staged row's take its values; their ids go to import_written. */
function updateChanged(context: WriteContext, spec: StageSpec, stage: ReturnType<typeof sql.table>) {
  const set = sql.join([...spec.values.map((column) => sql`${sql.ref(column)} = s.${sql.ref(column)}`), ...(spec.hasUpdatedAt ? [sql`updated_at = now()`] : [])]);
  return sql`
    WITH updated AS (
      UPDATE ${sql.table(spec.table)} t SET ${set} FROM ${stage} s
      WHERE t.org_id = ${context.orgId} AND ${matches(spec)} AND t.row_hash <> s.row_hash
      RETURNING t.id)
    INSERT INTO import_written (id) SELECT id FROM updated`.execute(context.trx);
}

function countOf(result: { numAffectedRows?: bigint } | undefined): number {
  return Number(result?.numAffectedRows ?? 0n);
}

/**
 * A written gift's soft credits are exactly the ones its row names now: an updated gift loses its
 * old ones, then every staged gift gets the ones it names (an unchanged gift already has them).
 */
async function writeSoftCredits(context: WriteContext): Promise<void> {
  const { trx, orgId } = context;
  await sql`DELETE FROM gift_soft_credit c USING import_written w WHERE c.org_id = ${orgId} AND c.gift_id = w.id`.execute(trx);
  await sql`
    INSERT INTO gift_soft_credit (org_id, gift_id, contact_id)
    SELECT DISTINCT ${orgId}::uuid, t.id, credit.contact_id
    FROM import_stage_gifts s JOIN gift t ON t.org_id = ${orgId} AND t.external_id = s.external_id
      CROSS JOIN unnest(s.soft_credits) AS credit(contact_id)
    WHERE cardinality(s.soft_credits) > 0
    ON CONFLICT (org_id, gift_id, contact_id) DO NOTHING`.execute(trx);
}

/**
 * CRMs export a plan's current amount only: when a written plan's amount differs from the last
 * one recorded, today's import records it, so upgrades and downgrades can be read from history.
 */
async function recordPlanAmounts(context: WriteContext): Promise<void> {
  await sql`
    INSERT INTO recurring_plan_amount (org_id, plan_id, observed_on, amount, import_run_id)
    SELECT p.org_id, p.id, current_date, p.amount, ${context.runId}::uuid FROM recurring_plan p JOIN import_written w ON w.id = p.id
    WHERE p.org_id = ${context.orgId}
      AND p.amount IS DISTINCT FROM (
        SELECT h.amount FROM recurring_plan_amount h WHERE h.org_id = p.org_id AND h.plan_id = p.id ORDER BY h.observed_on DESC LIMIT 1)
    ON CONFLICT (org_id, plan_id, observed_on) DO UPDATE SET amount = excluded.amount, import_run_id = excluded.import_run_id`.execute(context.trx);
}
