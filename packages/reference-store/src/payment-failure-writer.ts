import { randomUUID } from 'node:crypto';
import { entityNamed, type ReferenceRow } from '@kindling/crm-import';
import { sql } from '@kindling/db';
import { rowHash, str, num, type BatchOutcome, type RowsToWrite, type WriteContext } from './entity-writers.js';

interface StoredFailure {
  readonly id: string;
  readonly row_hash: Buffer;
}

/** Rows per INSERT: 2,000 rows of 8 columns stay far under PostgreSQL's 65,535 parameters. */
const insertChunkRows = 2000;

/** The plan ids of the batch's `plan_external_id`s; a failure of a plan the organisation does not have is refused. */
async function resolvePlans(context: WriteContext, batch: RowsToWrite): Promise<(string | undefined)[]> {
  const wanted = batch.rows.map((row) => str(row, 'plan_external_id') ?? '');
  const found = await sql<{ id: string; external_id: string }>`
    SELECT id, external_id FROM recurring_plan WHERE org_id = ${context.orgId} AND external_id = ANY(${[...new Set(wanted)]}::text[])`.execute(context.trx);
  const byExternalId = new Map(found.rows.map((row) => [row.external_id, row.id]));
  return wanted.map((externalId, index) => {
    const planId = byExternalId.get(externalId);
    if (planId === undefined) {
      context.reject({ file: batch.file, line: batch.lines[index] ?? 0, column: null, value: externalId, reason: 'refers to a recurring plan that the organisation does not have' });
    }
    return planId;
  });
}

/** A failure is the CRM's record when it has an id, else its plan's failure on that day. */
const keyOf = (externalId: string | null, planId: string, failedOn: string | null): string => (externalId === null ? JSON.stringify([planId, failedOn]) : JSON.stringify([externalId]));

async function storedFailures(context: WriteContext, planIds: readonly string[]): Promise<Map<string, StoredFailure>> {
  const { rows } = await sql<StoredFailure & { external_id: string | null; plan_id: string; failed_on: string }>`
    SELECT id, external_id, plan_id, to_char(failed_on, 'YYYY-MM-DD') AS failed_on, row_hash FROM recurring_plan_payment_failure
    WHERE org_id = ${context.orgId} AND plan_id = ANY(${planIds}::uuid[])`.execute(context.trx);
  return new Map(rows.map((row) => [keyOf(row.external_id, row.plan_id, row.failed_on), row]));
}

function failureValues(row: ReferenceRow, planId: string, hash: Buffer): Record<string, unknown> {
  return { plan_id: planId, failed_on: str(row, 'date'), amount: num(row, 'amount'), reason: str(row, 'reason'), external_id: str(row, 'external_id'), row_hash: hash };
}

/**
 * Payment failures, merged by the CRM's id (or plan and day): new ones inserted, changed ones
 * updated, unchanged ones left exactly as they are. Written after the plans they belong to.
 */
export async function writePaymentFailures(context: WriteContext, batch: RowsToWrite): Promise<BatchOutcome> {
  const { trx, orgId, keys } = context;
  const entity = entityNamed('payment_failures');
  const plans = await resolvePlans(context, batch);
  const items = batch.rows.map((row, index) => ({ row, planId: plans[index], hash: rowHash(keys, entity, row) }));
  const known = items.filter((item): item is { row: ReferenceRow; planId: string; hash: Buffer } => item.planId !== undefined);
  const existing = await storedFailures(context, [...new Set(known.map((item) => item.planId))]);
  const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, seen: [] };
  const inserts: Record<string, unknown>[] = [];
  for (const item of known) {
    const key = keyOf(str(item.row, 'external_id'), item.planId, str(item.row, 'date'));
    const found = existing.get(key);
    if (found?.row_hash.equals(item.hash) === true) {
      outcome.seen.push(found.id);
      outcome.unchanged += 1;
      continue;
    }
    const values = failureValues(item.row, item.planId, item.hash);
    if (found === undefined) {
      const id = randomUUID();
      inserts.push({ id, org_id: orgId, ...values });
      existing.set(key, { id, row_hash: item.hash });
      outcome.seen.push(id);
      outcome.inserted += 1;
    } else {
      await trx.updateTable('recurring_plan_payment_failure').set({ ...values, updated_at: new Date() }).where('org_id', '=', orgId).where('id', '=', found.id).execute();
      outcome.seen.push(found.id);
      outcome.updated += 1;
    }
  }
  for (let start = 0; start < inserts.length; start += insertChunkRows) {
    await trx.insertInto('recurring_plan_payment_failure').values(inserts.slice(start, start + insertChunkRows) as never).execute();
  }
  return outcome;
}
