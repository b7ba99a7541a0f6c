import { randomUUID } from 'node:crypto';
import { contactIndexPurposes } from '@kindling/contacts';
import { normaliseEmail, normaliseExternalId, type DataProtection } from '@kindling/crypto';
import { entityNamed, type ReferenceEntity, type ReferenceRow, type Rejection } from '@kindling/crm-import';
import { sql, type NewCommunication, type TenantTransaction } from '@kindling/db';
import { contactPlainColumns, personalContactColumns, personalContactValues } from './contact-columns.js';

export type WriterFields = Pick<DataProtection, 'encryptField' | 'blindIndex'>;

/** What writing one batch did; `seen` are the ids of every row the batch names (new, changed or not). */
export interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  readonly seen: string[];
}

/** A batch of one file's accepted rows, with their lines for any refusal the database adds. */
export interface RowsToWrite {
  readonly file: string;
  readonly rows: readonly ReferenceRow[];
  readonly lines: readonly number[];
}

export interface WriteContext {
  readonly trx: TenantTransaction;
  readonly orgId: string;
  readonly runId: string;
  readonly fields: WriterFields;
  /** Contact ids by normalised CRM external id, filled as contacts are written and looked up. */
  readonly contactIds: Map<string, string>;
  readonly reject: (rejection: Rejection) => void;
}

/** Entities in the order an import writes them: what others point at comes first. */
export const writeOrder: readonly ReferenceEntity['name'][] = ['contacts', 'campaigns', 'recurring_plans', 'gifts', 'communications'];

/** The table each entity lives in. */
export const tableOf = { contacts: 'contact', campaigns: 'campaign', recurring_plans: 'recurring_plan', gifts: 'gift', communications: 'communication' } as const;

/**
 * A keyed hash of the row's imported values (HMAC under the organisation's key): equal hashes
 * mean nothing changed, without decrypting anything, and the hash reveals nothing of the values.
 */
async function rowHash(fields: WriterFields, orgId: string, entity: ReferenceEntity, row: ReferenceRow): Promise<Buffer> {
  const canonical = JSON.stringify(entity.fields.map((field) => row[field.name] ?? null));
  return fields.blindIndex(orgId, 'reference_row', `${entity.name}\u0000${canonical}`);
}

function str(row: ReferenceRow, field: string): string | null {
  const value = row[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(row: ReferenceRow, field: string): number | null {
  const value = row[field];
  return typeof value === 'number' ? value : null;
}

/** Contacts are found by the blind index of their CRM id; their personal fields are encrypted per row. */
export async function writeContacts(context: WriteContext, batch: RowsToWrite): Promise<BatchOutcome> {
  const { trx, orgId, fields } = context;
  const entity = entityNamed('contacts');
  const prepared = await Promise.all(
    batch.rows.map(async (row) => {
      const externalId = normaliseExternalId(str(row, 'external_id') ?? '');
      return { row, externalId, index: await fields.blindIndex(orgId, contactIndexPurposes.externalId, externalId), hash: await rowHash(fields, orgId, entity, row) };
    }),
  );
  const existing = await trx
    .selectFrom('contact')
    .select(['id', 'external_id_blind_index', 'row_hash'])
    .where('org_id', '=', orgId)
    .where('external_id_blind_index', 'in', prepared.map((item) => item.index))
    .execute();
  const byIndex = new Map(existing.map((row) => [row.external_id_blind_index.toString('base64'), row]));
  const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, seen: [] };
  for (const item of prepared) {
    const found = byIndex.get(item.index.toString('base64'));
    const id = found?.id ?? randomUUID();
    context.contactIds.set(item.externalId, id);
    outcome.seen.push(id);
    if (found?.row_hash?.equals(item.hash) === true) {
      outcome.unchanged += 1;
      continue;
    }
    const personal = personalContactValues(item.row);
    const encrypted: Record<string, Buffer | null> = {};
    for (const [field, column] of Object.entries(personalContactColumns)) {
      const value = personal[field as keyof typeof personal];
      const stored = field === 'email' && value !== null ? normaliseEmail(value) : value;
      encrypted[column] = stored === null ? null : await fields.encryptField(stored, { orgId, purpose: 'field', table: 'contact', column, rowId: id });
    }
    const email = personal.email === null ? null : await fields.blindIndex(orgId, contactIndexPurposes.email, normaliseEmail(personal.email));
    const values = {
      ...contactPlainColumns(item.row),
      ...encrypted,
      external_id_ciphertext: await fields.encryptField(item.externalId, { orgId, purpose: 'field', table: 'contact', column: 'external_id_ciphertext', rowId: id }),
      external_id_blind_index: item.index,
      email_blind_index: email,
      row_hash: item.hash,
    };
    if (found === undefined) {
      await trx.insertInto('contact').values({ id, org_id: orgId, ...values }).execute();
      outcome.inserted += 1;
    } else {
      await trx.updateTable('contact').set({ ...values, updated_at: new Date() }).where('org_id', '=', orgId).where('id', '=', id).execute();
      outcome.updated += 1;
    }
  }
  return outcome;
}

/**
 * The contact ids of the batch's `contact_external_id`s: from this import's contacts, else from
 * the organisation's stored contacts by blind index. A row whose contact exists nowhere is refused.
 */
async function resolveContacts(context: WriteContext, batch: RowsToWrite): Promise<(string | undefined)[]> {
  const wanted = batch.rows.map((row) => normaliseExternalId(str(row, 'contact_external_id') ?? ''));
  await lookUpContacts(context, wanted);
  return wanted.map((id, index) => {
    const contactId = context.contactIds.get(id);
    if (contactId === undefined) {
      context.reject({ file: batch.file, line: batch.lines[index] ?? 0, column: null, value: id, reason: 'refers to a contact that the organisation does not have' });
    }
    return contactId;
  });
}

/** Adds to `contactIds` the stored contacts among these CRM ids that this import has not met yet. */
async function lookUpContacts(context: WriteContext, externalIds: readonly string[]): Promise<void> {
  const { trx, orgId, fields, contactIds } = context;
  const missing = [...new Set(externalIds.filter((id) => id !== '' && !contactIds.has(id)))];
  if (missing.length > 0) {
    const indexes = await Promise.all(missing.map(async (id) => ({ id, index: await fields.blindIndex(orgId, contactIndexPurposes.externalId, id) })));
    const rows = await trx
      .selectFrom('contact')
      .select(['id', 'external_id_blind_index'])
      .where('org_id', '=', orgId)
      .where('external_id_blind_index', 'in', indexes.map((item) => item.index))
      .execute();
    const byIndex = new Map(rows.map((row) => [row.external_id_blind_index.toString('base64'), row.id]));
    for (const item of indexes) {
      const id = byIndex.get(item.index.toString('base64'));
      if (id !== undefined) contactIds.set(item.id, id);
    }
  }
}

/** The CRM ids of a gift's soft-credit contacts ("C1; C2"), normalised. */
function softCreditIds(row: ReferenceRow): string[] {
  return (str(row, 'soft_credit_contact_external_ids') ?? '')
    .split(';')
    .filter((id) => id.trim() !== '')
    .map((id) => normaliseExternalId(id));
}

/**
 * Soft-credit contacts of the batch's gifts, by row; a gift crediting a contact the organisation
 * does not have is refused like a gift from one (undefined).
 */
async function resolveSoftCredits(context: WriteContext, batch: RowsToWrite): Promise<(string[] | undefined)[]> {
  const wanted = batch.rows.map(softCreditIds);
  await lookUpContacts(context, wanted.flat());
  return wanted.map((ids, index) => {
    const unknown = ids.find((id) => !context.contactIds.has(id));
    if (unknown !== undefined) {
      context.reject({ file: batch.file, line: batch.lines[index] ?? 0, column: null, value: unknown, reason: 'gives soft credit to a contact that the organisation does not have' });
      return undefined;
    }
    return [...new Set(ids.map((id) => context.contactIds.get(id) ?? ''))];
  });
}

type KeyedTable = 'campaign' | 'recurring_plan' | 'gift';

/** Column values of a campaign, plan or gift row (besides id, org_id and row_hash). */
function keyedValues(table: KeyedTable, row: ReferenceRow, contactId: string | undefined): Record<string, unknown> {
  switch (table) {
    case 'campaign':
      return {
        external_id: str(row, 'external_id'),
        parent_external_id: str(row, 'parent_external_id'),
        name: str(row, 'name'),
        code: str(row, 'code'),
        start_date: str(row, 'start_date'),
        end_date: str(row, 'end_date'),
        category: str(row, 'category'),
        channel: str(row, 'channel'),
        cost: num(row, 'cost'),
      };
    case 'recurring_plan':
      return {
        external_id: str(row, 'external_id'),
        contact_id: contactId,
        start_date: str(row, 'start_date'),
        end_date: str(row, 'end_date'),
        cancellation_reason: str(row, 'cancellation_reason'),
        frequency: str(row, 'frequency'),
        amount: num(row, 'amount'),
        currency: str(row, 'currency'),
        status: str(row, 'status'),
        payment_failures: num(row, 'payment_failures'),
      };
    case 'gift':
      return {
        external_id: str(row, 'external_id'),
        contact_id: contactId,
        gift_date: str(row, 'date'),
        amount: num(row, 'amount'),
        currency: str(row, 'currency'),
        payment_method: str(row, 'payment_method'),
        campaign_external_id: str(row, 'campaign_external_id'),
        package_external_id: str(row, 'package_external_id'),
        gift_type: str(row, 'type') ?? 'one-off',
        recurring_plan_external_id: str(row, 'recurring_plan_external_id'),
      };
  }
}

/**
 * Campaigns, plans and gifts, merged by the CRM's external id: new rows inserted, rows whose hash
 * changed updated, the rest left exactly as they are (not even rewritten).
 */
export async function writeKeyed(context: WriteContext, entityName: 'campaigns' | 'recurring_plans' | 'gifts', batch: RowsToWrite): Promise<BatchOutcome> {
  const { trx, orgId, fields } = context;
  const table = tableOf[entityName];
  const entity = entityNamed(entityName);
  const contacts = entityName === 'campaigns' ? batch.rows.map(() => undefined) : await resolveContacts(context, batch);
  const softCredits = entityName === 'gifts' ? await resolveSoftCredits(context, batch) : batch.rows.map((): string[] => []);
  const rows = (
    await Promise.all(
      batch.rows.map(async (row, index) => ({ row, contactId: contacts[index], softCredits: softCredits[index], hash: await rowHash(fields, orgId, entity, row) })),
    )
  ).filter((item) => (entityName === 'campaigns' || item.contactId !== undefined) && item.softCredits !== undefined);
  const externalIds = rows.map((item) => str(item.row, 'external_id') ?? '');
  const existing =
    externalIds.length === 0
      ? []
      : (
          await sql<{ id: string; external_id: string; row_hash: Buffer }>`
            SELECT id, external_id, row_hash FROM ${sql.table(table)} WHERE org_id = ${orgId} AND external_id = ANY(${externalIds}::text[])`.execute(trx)
        ).rows;
  const byExternalId = new Map(existing.map((row) => [row.external_id, row]));
  const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, seen: [] };
  const inserts: Record<string, unknown>[] = [];
  const updates: { id: string; values: Record<string, unknown> }[] = [];
  /** Rows written (new or changed): their soft credits and amounts are recorded afresh. */
  const written: { id: string; softCredits: readonly string[] }[] = [];
  rows.forEach((item, index) => {
    const found = byExternalId.get(externalIds[index] ?? '');
    outcome.seen.push(found?.id ?? '');
    if (found?.row_hash.equals(item.hash) === true) {
      outcome.unchanged += 1;
      return;
    }
    const values = { ...keyedValues(table, item.row, item.contactId), row_hash: item.hash };
    const id = found?.id ?? randomUUID();
    written.push({ id, softCredits: item.softCredits ?? [] });
    if (found === undefined) {
      outcome.seen[outcome.seen.length - 1] = id;
      inserts.push({ id, org_id: orgId, ...values });
    } else {
      updates.push({ id, values });
    }
  });
  for (let start = 0; start < inserts.length; start += insertChunkRows) {
    await sql`INSERT INTO ${sql.table(table)} ${insertRows(inserts.slice(start, start + insertChunkRows))}`.execute(trx);
  }
  for (const { id, values } of updates) {
    await sql`UPDATE ${sql.table(table)} SET ${setClause({ ...values, updated_at: new Date() })} WHERE org_id = ${orgId} AND id = ${id}`.execute(trx);
  }
  if (entityName === 'gifts') await replaceSoftCredits(context, written);
  if (entityName === 'recurring_plans') await recordPlanAmounts(context, written.map((item) => item.id));
  outcome.inserted = inserts.length;
  outcome.updated = updates.length;
  return outcome;
}

/** A written gift's soft credits are exactly the ones its row names now. */
async function replaceSoftCredits(context: WriteContext, gifts: readonly { id: string; softCredits: readonly string[] }[]): Promise<void> {
  const { trx, orgId } = context;
  if (gifts.length === 0) return;
  await trx.deleteFrom('gift_soft_credit').where('org_id', '=', orgId).where('gift_id', 'in', gifts.map((gift) => gift.id)).execute();
  const credits = gifts.flatMap((gift) => gift.softCredits.map((contactId) => ({ org_id: orgId, gift_id: gift.id, contact_id: contactId })));
  for (let start = 0; start < credits.length; start += insertChunkRows) await trx.insertInto('gift_soft_credit').values(credits.slice(start, start + insertChunkRows)).execute();
}

/**
 * CRMs export a plan's current amount only: when a written plan's amount differs from the last
 * one recorded, today's import records it, so upgrades and downgrades can be read from history.
 */
async function recordPlanAmounts(context: WriteContext, planIds: readonly string[]): Promise<void> {
  if (planIds.length === 0) return;
  await sql`
    INSERT INTO recurring_plan_amount (org_id, plan_id, observed_on, amount, import_run_id)
    SELECT p.org_id, p.id, current_date, p.amount, ${context.runId}::uuid FROM recurring_plan p
    WHERE p.org_id = ${context.orgId} AND p.id = ANY(${planIds}::uuid[])
      AND p.amount IS DISTINCT FROM (
        SELECT h.amount FROM recurring_plan_amount h WHERE h.org_id = p.org_id AND h.plan_id = p.id ORDER BY h.observed_on DESC LIMIT 1)
    ON CONFLICT (org_id, plan_id, observed_on) DO UPDATE SET amount = excluded.amount, import_run_id = excluded.import_run_id`.execute(context.trx);
}

/** Rows per INSERT: 2,000 rows of up to 13 columns stay under PostgreSQL's 65,535 parameters. */
const insertChunkRows = 2000;

/** `(columns) VALUES (...), (...)` for rows that all have the same keys. */
function insertRows(rows: readonly Record<string, unknown>[]) {
  const columns = Object.keys(rows[0] ?? {});
  const values = rows.map((row) => sql`(${sql.join(columns.map((column) => sql`${row[column]}`))})`);
  return sql`(${sql.join(columns.map((column) => sql.ref(column)))}) VALUES ${sql.join(values)}`;
}

function setClause(values: Record<string, unknown>) {
  return sql.join(Object.entries(values).map(([column, value]) => sql`${sql.ref(column)} = ${value}`));
}

/** Communications have no id in most CRMs: who, which campaign and package, and when make one. */
export async function writeCommunications(context: WriteContext, batch: RowsToWrite): Promise<BatchOutcome> {
  const { trx, orgId, fields } = context;
  const entity = entityNamed('communications');
  const contacts = await resolveContacts(context, batch);
  const rows = (await Promise.all(batch.rows.map(async (row, index) => ({ row, contactId: contacts[index], hash: await rowHash(fields, orgId, entity, row) })))).filter(
    (item): item is { row: ReferenceRow; contactId: string; hash: Buffer } => item.contactId !== undefined,
  );
  const keyOf = (contactId: string, campaign: string | null, pkg: string | null, sentOn: string | null): string => JSON.stringify([contactId, campaign, pkg, sentOn]);
  const contactIds = [...new Set(rows.map((item) => item.contactId))];
  const existing =
    contactIds.length === 0
      ? []
      : await trx
          .selectFrom('communication')
          .select((eb) => ['id', 'contact_id', 'campaign_external_id', 'package_external_id', eb.fn<string>('to_char', ['sent_on', sql.lit('YYYY-MM-DD')]).as('sent_on'), 'row_hash'])
          .where('org_id', '=', orgId)
          .where('contact_id', 'in', contactIds)
          .execute();
  const byKey = new Map(existing.map((row) => [keyOf(row.contact_id, row.campaign_external_id, row.package_external_id, row.sent_on), row]));
  const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, seen: [] };
  const inserts: NewCommunication[] = [];
  for (const item of rows) {
    const key = keyOf(item.contactId, str(item.row, 'campaign_external_id'), str(item.row, 'package_external_id'), str(item.row, 'date'));
    const found = byKey.get(key);
    if (found?.row_hash.equals(item.hash) === true) {
      outcome.seen.push(found.id);
      outcome.unchanged += 1;
      continue;
    }
    const values = { channel: str(item.row, 'channel'), response: str(item.row, 'response'), row_hash: item.hash };
    if (found === undefined) {
      const id = randomUUID();
      inserts.push({
        id,
        org_id: orgId,
        contact_id: item.contactId,
        campaign_external_id: str(item.row, 'campaign_external_id') ?? '',
        package_external_id: str(item.row, 'package_external_id'),
        sent_on: str(item.row, 'date') ?? '',
        ...values,
      });
      byKey.set(key, { id, contact_id: item.contactId, campaign_external_id: '', package_external_id: null, sent_on: '', row_hash: item.hash });
      outcome.seen.push(id);
      outcome.inserted += 1;
    } else {
      await trx.updateTable('communication').set(values).where('org_id', '=', orgId).where('id', '=', found.id).execute();
      outcome.seen.push(found.id);
      outcome.updated += 1;
    }
  }
  for (let start = 0; start < inserts.length; start += insertChunkRows) {
    await trx.insertInto('communication').values(inserts.slice(start, start + insertChunkRows)).execute();
  }
  return outcome;
}
