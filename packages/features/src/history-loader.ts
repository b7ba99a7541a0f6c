import { AppError } from '@kindling/errors';
import { sql, withTenant, type Database, type Kysely, type TenantTransaction } from '@kindling/db';
import { HistoryBuilder, type ContactHistory } from './contact-history.js';
import { categoryCodes, channelCodes, contactKindCodes, frequencyCodes, genderCodes, giftTypeCodes, noCode, responseCodes } from './vocabularies.js';

/** Rows fetched per round trip: bounded memory whatever the organisation's size. */
const fetchSize = 10_000;

function codeTable(values: readonly string[]): (value: string | null) => number {
  const codes = new Map(values.map((value, code) => [value, code]));
  return (value) => (value === null ? noCode : (codes.get(value) ?? noCode));
}

const codes = {
  kind: codeTable(contactKindCodes),
  gender: codeTable(genderCodes),
  giftType: codeTable(giftTypeCodes),
  category: codeTable(categoryCodes),
  channel: codeTable(channelCodes),
  response: codeTable(responseCodes),
  frequency: codeTable(frequencyCodes),
};

/**
 * Reads a query through a server-side cursor, `fetchSize` rows at a time, handing each row to
 * `onRow` and keeping none: a history of millions of gifts never sits in memory as row objects.
 */
async function streamRows<Row>(trx: TenantTransaction, cursor: string, query: ReturnType<typeof sql<Row>>, onRow: (row: Row) => void): Promise<void> {
  await sql`DECLARE ${sql.id(cursor)} NO SCROLL CURSOR FOR ${query}`.execute(trx);
  for (;;) {
    const { rows } = await sql<Row>`FETCH FORWARD 10000 FROM ${sql.id(cursor)}`.execute(trx);
    for (const row of rows) onRow(row);
    if (rows.length < fetchSize) break;
  }
  await sql`CLOSE ${sql.id(cursor)}`.execute(trx);
}

// Contact indexes are positions in id order, computed by PostgreSQL in every query of one snapshot.
const contactIndex = sql`SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS i FROM contact`;
// The tag each campaign or package gets for models (the view: a person's decision, else the CRM's, else the parent's).
const campaignTag = sql`SELECT c.external_id, t.category, t.channel FROM campaign c JOIN campaign_effective_tag t ON t.campaign_id = c.id`;

interface ContactRow { id: string; kind: string; created_day: number | null; birth_year: number | null; gender: string | null; region: string | null; country: string | null; custom_attributes: Record<string, unknown> }
interface PlanRow { c: number; id: string; external_id: string; start_day: number; end_day: number | null; frequency: string | null }
interface GiftRow { c: number; d: number; a: number; t: string; category: string | null; channel: string | null; plan: string | null }

async function readContacts(trx: TenantTransaction, builder: HistoryBuilder): Promise<void> {
  const attributes = await trx.selectFrom('contact_attribute').select(['name', 'kind']).orderBy('name').execute();
  for (const attribute of attributes) builder.defineAttribute(attribute.name, attribute.kind);
  // Only the analytical columns: no ciphertext, blind index, postcode district or undated flag is read.
  const query = sql<ContactRow>`
    SELECT id, kind, (created_on - DATE '1970-01-01') AS created_day, birth_year, gender, region, country, custom_attributes
    FROM contact ORDER BY id`;
  await streamRows(trx, 'features_contacts', query, (row) => {
    builder.addContact({
      id: row.id,
      kind: codes.kind(row.kind),
      createdOn: row.created_day,
      birthYear: row.birth_year,
      gender: codes.gender(row.gender),
      region: row.region,
      country: row.country,
      customAttributes: row.custom_attributes,
    });
  });
}

async function readPlans(trx: TenantTransaction, builder: HistoryBuilder): Promise<{ byId: Map<string, number>; byExternalId: Map<string, number> }> {
  const byId = new Map<string, number>();
  const byExternalId = new Map<string, number>();
  const query = sql<PlanRow>`
    WITH ci AS (${contactIndex})
    SELECT ci.i AS c, p.id, p.external_id, (p.start_date - DATE '1970-01-01') AS start_day, (p.end_date - DATE '1970-01-01') AS end_day, p.frequency
    FROM recurring_plan p JOIN ci ON ci.id = p.contact_id ORDER BY ci.i, p.start_date, p.id`;
  await streamRows(trx, 'features_plans', query, (row) => {
    const plan = builder.addPlan(row.c, row.start_day, row.end_day, codes.frequency(row.frequency));
    byId.set(row.id, plan);
    byExternalId.set(row.external_id, plan);
  });
  await streamRows(
    trx,
    'features_plan_amounts',
    sql<{ plan_id: string; d: number; a: number }>`SELECT plan_id, (observed_on - DATE '1970-01-01') AS d, amount::float8 AS a FROM recurring_plan_amount ORDER BY plan_id, observed_on`,
    (row) => {
      const plan = byId.get(row.plan_id);
      if (plan !== undefined) builder.addPlanAmount(plan, row.d, row.a);
    },
  );
  await streamRows(
    trx,
    'features_failures',
    sql<{ plan_id: string; d: number }>`SELECT plan_id, (failed_on - DATE '1970-01-01') AS d FROM recurring_plan_payment_failure ORDER BY plan_id, failed_on`,
    (row) => {
      const plan = byId.get(row.plan_id);
      if (plan !== undefined) builder.addFailure(plan, row.d);
    },
  );
  return { byId, byExternalId };
}

async function readGifts(trx: TenantTransaction, builder: HistoryBuilder, plans: Map<string, number>): Promise<void> {
  // A gift's package, when it names a known one, says more than its campaign.
  const query = sql<GiftRow>`
    WITH ci AS (${contactIndex}), tag AS (${campaignTag})
    SELECT ci.i AS c, (g.gift_date - DATE '1970-01-01') AS d, g.amount::float8 AS a, g.gift_type AS t,
      CASE WHEN pt.external_id IS NOT NULL THEN pt.category ELSE ct.category END AS category,
      CASE WHEN pt.external_id IS NOT NULL THEN pt.channel ELSE ct.channel END AS channel,
      g.recurring_plan_external_id AS plan
    FROM gift g JOIN ci ON ci.id = g.contact_id
      LEFT JOIN tag pt ON pt.external_id = g.package_external_id
      LEFT JOIN tag ct ON ct.external_id = g.campaign_external_id
    ORDER BY ci.i, g.gift_date, g.id`;
  await streamRows(trx, 'features_gifts', query, (row) => {
    const plan = row.plan === null ? -1 : (plans.get(row.plan) ?? -1);
    builder.addGift(row.c, row.d, row.a, codes.giftType(row.t), codes.category(row.category), codes.channel(row.channel), plan);
  });
  await streamRows(
    trx,
    'features_soft_credits',
    sql<{ c: number; d: number; a: number }>`
      WITH ci AS (${contactIndex})
      SELECT ci.i AS c, (g.gift_date - DATE '1970-01-01') AS d, g.amount::float8 AS a
      FROM gift_soft_credit s JOIN gift g ON g.id = s.gift_id JOIN ci ON ci.id = s.contact_id
      ORDER BY ci.i, g.gift_date`,
    (row) => {
      builder.addSoftCredit(row.c, row.d, row.a);
    },
  );
}

async function readCommunications(trx: TenantTransaction, builder: HistoryBuilder): Promise<void> {
  // A send's own channel when the CRM recorded one, else its package's or campaign's.
  const query = sql<{ c: number; d: number; category: string | null; channel: string | null; response: string | null }>`
    WITH ci AS (${contactIndex}), tag AS (${campaignTag})
    SELECT ci.i AS c, (m.sent_on - DATE '1970-01-01') AS d,
      CASE WHEN pt.external_id IS NOT NULL THEN pt.category ELSE ct.category END AS category,
      coalesce(m.channel, CASE WHEN pt.external_id IS NOT NULL THEN pt.channel ELSE ct.channel END) AS channel,
      m.response
    FROM communication m JOIN ci ON ci.id = m.contact_id
      LEFT JOIN tag pt ON pt.external_id = m.package_external_id
      LEFT JOIN tag ct ON ct.external_id = m.campaign_external_id
    ORDER BY ci.i, m.sent_on`;
  await streamRows(trx, 'features_communications', query, (row) => {
    builder.addCommunication(row.c, row.d, codes.category(row.category), codes.channel(row.channel), codes.response(row.response));
  });
}

/**
 * Reads an organisation's history inside a tenant transaction (row-level security shows one
 * organisation): contacts' analytical columns, plans with their amount records and failures,
 * gifts with their campaign's effective tag, soft credits and communications, each streamed
 * straight into typed columns sorted by contact, then day. Every query numbers the contacts
 * itself, so the transaction must see one snapshot (REPEATABLE READ, as `loadContactHistory`
 * opens it): an import committing between two queries would shift the numbering.
 */
export async function readContactHistory(trx: TenantTransaction): Promise<ContactHistory> {
  // A cursor is planned for its first 10 % of rows by default (nested loops into the tag view);
  // every row is read here, so plan for all of them.
  await sql`SET LOCAL cursor_tuple_fraction = 1`.execute(trx);
  const { rows } = await sql<{ level: string }>`SELECT current_setting('transaction_isolation') AS level`.execute(trx);
  if (!['repeatable read', 'serializable'].includes(rows[0]?.level ?? '')) {
    throw new AppError('INTERNAL', 'A history is read in one snapshot: open the tenant transaction with { snapshot: true }');
  }
  const builder = new HistoryBuilder();
  await readContacts(trx, builder);
  const plans = await readPlans(trx, builder);
  await readGifts(trx, builder, plans.byExternalId);
  await readCommunications(trx, builder);
  return builder.finish();
}

/** `readContactHistory` in its own read-only snapshot transaction for the organisation. */
export async function loadContactHistory(db: Kysely<Database>, orgId: string): Promise<ContactHistory> {
  return withTenant(db, { orgId }, readContactHistory, { snapshot: true });
}
