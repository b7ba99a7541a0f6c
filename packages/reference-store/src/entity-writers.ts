import { contactIndexPurposes } from '@kindling/contacts';
import { normaliseEmail, normaliseExternalId, type DataProtection, type OrganisationKeys } from '@kindling/crypto';
import { entityNamed, type ReferenceEntity, type ReferenceRow, type Rejection } from '@kindling/crm-import';
import { sql, type TenantTransaction } from '@kindling/db';
import { contactPlainColumns, personalContactColumns, personalContactValues } from './contact-columns.js';
import { bytea, jsonRows, sendWrite, settleWrites, stageRows, type StageState } from './staged-merge.js';

export type WriterFields = Pick<DataProtection, 'encryptField' | 'blindIndex' | 'organisationKeys'>;

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
  /** The organisation's keys, derived once for the import: row hashes, blind indexes, field encryption. */
  readonly keys: OrganisationKeys;
  /** The staged entities of this import (staged-merge.ts). */
  readonly stages: Map<string, StageState>;
  /** Writes sent and not yet awaited (see sendWrite in staged-merge.ts). */
  readonly inFlight: { write: Promise<unknown> | undefined };
  /** Ids for new rows: time-ordered, so bulk inserts append to indexes (time-ordered-ids.ts). */
  readonly newId: () => string;
  /** Contact ids by normalised CRM external id, filled as contacts are written and looked up. */
  readonly contactIds: Map<string, string>;
  readonly reject: (rejection: Rejection) => void;
}

/** Entities in the order an import writes them: what others point at comes first. */
export const writeOrder: readonly ReferenceEntity['name'][] = ['contacts', 'campaigns', 'recurring_plans', 'payment_failures', 'gifts', 'communications'];

/** The table each entity lives in. */
export const tableOf = { contacts: 'contact', campaigns: 'campaign', recurring_plans: 'recurring_plan', payment_failures: 'recurring_plan_payment_failure', gifts: 'gift', communications: 'communication' } as const;

/**
 * A keyed hash of the row's imported values (HMAC under the organisation's key): equal hashes
 * mean nothing changed, without decrypting anything, and the hash reveals nothing of the values.
 */
export function rowHash(keys: OrganisationKeys, entity: ReferenceEntity, row: ReferenceRow): Buffer {
  const values = entity.fields.map((field) => row[field.name] ?? null);
  // Custom attributes join the hash only when the row has some: rows hashed before they existed stay unchanged.
  const attributes = row['custom_attributes'];
  const canonical = JSON.stringify(typeof attributes === 'object' && attributes !== null && Object.keys(attributes).length > 0 ? [...values, Object.entries(attributes).sort()] : values);
  return keys.blindIndex('reference_row', `${entity.name}\u0000${canonical}`);
}

export function str(row: ReferenceRow, field: string): string | null {
  const value = row[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(row: ReferenceRow, field: string): number | null {
  const value = row[field];
  return typeof value === 'number' ? value : null;
}

/** Contacts are found by the blind index of their CRM id; their personal fields are encrypted per row. */
export async function writeContacts(context: WriteContext, batch: RowsToWrite): Promise<BatchOutcome> {
  const { trx, orgId, keys } = context;
  const entity = entityNamed('contacts');
  const prepared = batch.rows.map((row) => {
    const externalId = normaliseExternalId(str(row, 'external_id') ?? '');
    return { row, externalId, index: keys.blindIndex(contactIndexPurposes.externalId, externalId), hash: rowHash(keys, entity, row) };
  });
  // On a first import only a CRM id this import met before can be stored already.
  const lookUp = (await hadContacts(context)) ? prepared : prepared.filter((item) => context.contactIds.has(item.externalId));
  await settleWrites(context);
  const existing =
    lookUp.length === 0
      ? []
      : await trx
          .selectFrom('contact')
          .select(['id', 'external_id_blind_index', 'row_hash'])
          .where('org_id', '=', orgId)
          .where('external_id_blind_index', 'in', lookUp.map((item) => item.index))
          .execute();
  const byIndex = new Map(existing.map((row) => [row.external_id_blind_index.toString('base64'), row]));
  const outcome: BatchOutcome = { inserted: 0, updated: 0, unchanged: 0, seen: [] };
  const inserts: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  // A CRM id given twice in one batch: the later row updates the earlier (inserted first, same batch).
  const inBatch = new Map<string, { id: string; row_hash: Buffer }>();
  for (const item of prepared) {
    const found = byIndex.get(item.index.toString('base64')) ?? inBatch.get(item.externalId);
    const id = found?.id ?? context.newId();
    inBatch.set(item.externalId, { id, row_hash: item.hash });
    context.contactIds.set(item.externalId, id);
    outcome.seen.push(id);
    if (found?.row_hash?.equals(item.hash) === true) {
      outcome.unchanged += 1;
      continue;
    }
    (found === undefined ? inserts : updates).push({ id, ...contactValues(context, item, id) });
  }
  sendWrite(context, () => insertContacts(context, inserts));
  sendWrite(context, () => updateContacts(context, updates));
  outcome.inserted = inserts.length;
  outcome.updated = updates.length;
  return outcome;
}

/** Whether the organisation had contacts when this import began (asked once). */
async function hadContacts(context: WriteContext): Promise<boolean> {
  let state = context.stages.get('contacts');
  if (state === undefined) {
    const stored = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM contact WHERE org_id = ${context.orgId}) AS any`.execute(context.trx);
    state = { direct: stored.rows[0]?.any !== true, inserted: 0 };
    context.stages.set('contacts', state);
  }
  return !state.direct;
}

/** A contact row's stored values: plain analytical columns, each personal value encrypted to its row and column. */
function contactValues(context: WriteContext, item: { row: ReferenceRow; externalId: string; index: Buffer; hash: Buffer }, id: string): Record<string, unknown> {
  const { orgId, keys } = context;
  const personal = personalContactValues(item.row);
  const encrypted: Record<string, string | null> = {};
  for (const [field, column] of Object.entries(personalContactColumns)) {
    const value = personal[field as keyof typeof personal];
    const stored = field === 'email' && value !== null ? normaliseEmail(value) : value;
    encrypted[column] = stored === null ? null : bytea(keys.encryptField(stored, { orgId, purpose: 'field', table: 'contact', column, rowId: id }));
  }
  return {
    // custom_attributes stays an object: the rows travel to PostgreSQL as JSON, into a jsonb column.
    ...contactPlainColumns(item.row),
    ...encrypted,
    external_id_ciphertext: bytea(keys.encryptField(item.externalId, { orgId, purpose: 'field', table: 'contact', column: 'external_id_ciphertext', rowId: id })),
    external_id_blind_index: bytea(item.index),
    email_blind_index: personal.email === null ? null : bytea(keys.blindIndex(contactIndexPurposes.email, normaliseEmail(personal.email))),
    row_hash: bytea(item.hash),
  };
}

/** The batch's contact rows as one bound JSON parameter read as rows of the contact table's type: one statement per batch. */
function contactRows(rows: readonly Record<string, unknown>[]) {
  return sql`json_populate_recordset(NULL::contact, ${jsonRows(rows)}::json)`;
}

async function insertContacts(context: WriteContext, rows: readonly Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  if (rows.length === 0) return;
  const list = sql.join(columns.map((column) => sql.ref(column)));
  await sql`INSERT INTO contact (org_id, ${list}) SELECT ${context.orgId}::uuid, ${list} FROM ${contactRows(rows)}`.execute(context.trx);
}

async function updateContacts(context: WriteContext, rows: readonly Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0] ?? {}).filter((column) => column !== 'id');
  if (rows.length === 0) return;
  const set = sql.join([...columns.map((column) => sql`${sql.ref(column)} = x.${sql.ref(column)}`), sql`updated_at = now()`]);
  await sql`UPDATE contact c SET ${set} FROM ${contactRows(rows)} x WHERE c.org_id = ${context.orgId} AND c.id = x.id`.execute(context.trx);
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
  const { trx, orgId, keys, contactIds } = context;
  const missing = [...new Set(externalIds.filter((id) => id !== '' && !contactIds.has(id)))];
  if (missing.length > 0) {
    await settleWrites(context);
    const indexes = missing.map((id) => ({ id, index: keys.blindIndex(contactIndexPurposes.externalId, id) }));
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
 * Campaigns, plans and gifts, staged for a merge by the CRM's external id once the entity's files
 * are read (staged-merge.ts): each accepted row with its contact, soft credits and keyed hash.
 */
export async function writeKeyed(context: WriteContext, entityName: 'campaigns' | 'recurring_plans' | 'gifts', batch: RowsToWrite): Promise<BatchOutcome> {
  const table = tableOf[entityName];
  const entity = entityNamed(entityName);
  const contacts = entityName === 'campaigns' ? batch.rows.map(() => undefined) : await resolveContacts(context, batch);
  const softCredits = entityName === 'gifts' ? await resolveSoftCredits(context, batch) : batch.rows.map((): string[] => []);
  const staged: Record<string, unknown>[] = [];
  batch.rows.forEach((row, index) => {
    const contactId = contacts[index];
    const credits = softCredits[index];
    if ((entityName !== 'campaigns' && contactId === undefined) || credits === undefined) return;
    const values: Record<string, unknown> = { id: context.newId(), ...keyedValues(table, row, contactId), row_hash: bytea(rowHash(context.keys, entity, row)) };
    if (entityName === 'gifts') values['soft_credits'] = credits;
    staged.push(values);
  });
  await stageRows(context, entityName, staged);
  return { inserted: 0, updated: 0, unchanged: staged.length, seen: [] };
}

/** Communications have no id in most CRMs: who, which campaign and package, and when make one. */
export async function writeCommunications(context: WriteContext, batch: RowsToWrite): Promise<BatchOutcome> {
  const entity = entityNamed('communications');
  const contacts = await resolveContacts(context, batch);
  const staged: Record<string, unknown>[] = [];
  batch.rows.forEach((row, index) => {
    const contactId = contacts[index];
    if (contactId === undefined) return;
    staged.push({
      id: context.newId(),
      contact_id: contactId,
      campaign_external_id: str(row, 'campaign_external_id') ?? '',
      package_external_id: str(row, 'package_external_id'),
      sent_on: str(row, 'date') ?? '',
      channel: str(row, 'channel'),
      response: str(row, 'response'),
      row_hash: bytea(rowHash(context.keys, entity, row)),
    });
  });
  await stageRows(context, 'communications', staged);
  return { inserted: 0, updated: 0, unchanged: staged.length, seen: [] };
}
