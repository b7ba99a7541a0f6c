import { sql, withTenant, type Database, type Kysely } from '@kindling/db';

/**
 * An independent reading of an organisation's reference rows as plain objects (ISO date strings,
 * amounts as numbers), and naive loops over them: what the featuriser and the labels must equal.
 * Written apart from the featuriser on purpose: string dates, calendar arithmetic of its own, no
 * shared helpers.
 */
export interface NaiveGift { id: string; contactId: string; date: string; amount: number; type: string; category: string | null; channel: string | null; planExternalId: string | null }
export interface NaivePlan { id: string; externalId: string; contactId: string; start: string; end: string | null; frequency: string | null }
export interface NaiveCommunication { contactId: string; date: string; category: string | null; channel: string | null; response: string | null }
export interface NaiveContact { id: string; kind: string; createdOn: string | null; birthYear: number | null; gender: string | null }
export interface NaiveRows {
  contacts: NaiveContact[];
  gifts: NaiveGift[];
  plans: NaivePlan[];
  amounts: { planId: string; date: string; amount: number }[];
  failures: { planId: string; date: string }[];
  communications: NaiveCommunication[];
}

export async function readNaiveRows(db: Kysely<Database>, orgId: string): Promise<NaiveRows> {
  return withTenant(db, { orgId }, async (trx) => {
    const iso = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
    const campaigns = await trx.selectFrom('campaign').select(['id', 'external_id']).execute();
    const tags = await trx.selectFrom('campaign_effective_tag').select(['campaign_id', 'category', 'channel']).execute();
    const tagById = new Map(tags.map((tag) => [tag.campaign_id, tag]));
    const tagOf = new Map(campaigns.map((campaign) => [campaign.external_id, tagById.get(campaign.id) ?? { category: null, channel: null }]));
    const tagFor = (campaign: string | null, pkg: string | null) => (pkg !== null && tagOf.has(pkg) ? tagOf.get(pkg) : campaign !== null ? tagOf.get(campaign) : undefined);
    const contacts = await trx.selectFrom('contact').select(['id', 'kind', 'birth_year', 'gender']).select(iso('created_on').as('created')).execute();
    const gifts = await trx.selectFrom('gift').select(['id', 'contact_id', 'amount', 'gift_type', 'campaign_external_id', 'package_external_id', 'recurring_plan_external_id']).select(iso('gift_date').as('date')).execute();
    const plans = await trx.selectFrom('recurring_plan').select(['id', 'external_id', 'contact_id', 'frequency']).select([iso('start_date').as('start'), iso('end_date').as('end')]).execute();
    const amounts = await trx.selectFrom('recurring_plan_amount').select(['plan_id', 'amount']).select(iso('observed_on').as('date')).execute();
    const failures = await trx.selectFrom('recurring_plan_payment_failure').select(['plan_id']).select(iso('failed_on').as('date')).execute();
    const communications = await trx.selectFrom('communication').select(['contact_id', 'campaign_external_id', 'package_external_id', 'channel', 'response']).select(iso('sent_on').as('date')).execute();
    return {
      contacts: contacts.map((row) => ({ id: row.id, kind: row.kind, createdOn: row.created, birthYear: row.birth_year, gender: row.gender })),
      gifts: gifts.map((row) => {
        const tag = tagFor(row.campaign_external_id, row.package_external_id);
        return { id: row.id, contactId: row.contact_id, date: row.date, amount: Number(row.amount), type: row.gift_type, category: tag?.category ?? null, channel: tag?.channel ?? null, planExternalId: row.recurring_plan_external_id };
      }),
      plans: plans.map((row) => ({ id: row.id, externalId: row.external_id, contactId: row.contact_id, start: row.start, end: row.end, frequency: row.frequency })),
      amounts: amounts.map((row) => ({ planId: row.plan_id, date: row.date, amount: Number(row.amount) })),
      failures: failures.map((row) => ({ planId: row.plan_id, date: row.date })),
      communications: communications.map((row) => {
        const tag = tagFor(row.campaign_external_id, row.package_external_id);
        return { contactId: row.contact_id, date: row.date, category: tag?.category ?? null, channel: row.channel ?? tag?.channel ?? null, response: row.response };
      }),
    };
  });
}

/** `2025-03-31` minus n months, clamped to the month's end (`2024-12-31` for 3), as a string. */
export function monthsBefore(iso: string, months: number): string {
  const [year = 0, month = 0, day = 0] = iso.split('-').map(Number);
  let y = year;
  let m = month - months;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  while (m > 12) {
    m -= 12;
    y += 1;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 31;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, length)).padStart(2, '0')}`;
}

export const monthsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000 / 30.436875;

/** Rows grouped by contact, each list in date order (same-day gifts in id order, as the CRM's own order is unknown). */
export function byContact<T extends { contactId: string; date: string; id?: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.contactId) ?? [];
    list.push(row);
    map.set(row.contactId, list);
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const list of map.values()) list.sort((a, b) => order(a.date, b.date) || order(a.id ?? '', b.id ?? ''));
  return map;
}

export interface NaiveContext {
  readonly rows: NaiveRows;
  readonly gifts: Map<string, NaiveGift[]>;
  readonly communications: Map<string, NaiveCommunication[]>;
  readonly plans: Map<string, NaivePlan[]>;
}

export function naiveContext(rows: NaiveRows): NaiveContext {
  const plans = new Map<string, NaivePlan[]>();
  for (const plan of rows.plans) plans.set(plan.contactId, [...(plans.get(plan.contactId) ?? []), plan]);
  return { rows, gifts: byContact(rows.gifts), communications: byContact(rows.communications), plans };
}

/** In the population at the cutoff: created on or before it, or gave on or before it. */
export function naiveInPopulation(context: NaiveContext, contact: NaiveContact, cutoff: string): boolean {
  if (contact.createdOn !== null && contact.createdOn <= cutoff) return true;
  return (context.gifts.get(contact.id) ?? []).some((gift) => gift.date <= cutoff);
}

function runningAt(plan: NaivePlan, day: string): boolean {
  return plan.start <= day && (plan.end === null || plan.end > day);
}

export function naivePlanAmountAt(context: NaiveContext, plan: NaivePlan, day: string): number {
  const instalments = (context.gifts.get(plan.contactId) ?? []).filter((gift) => gift.planExternalId === plan.externalId && gift.date <= day);
  const lastInstalment = instalments.at(-1);
  const records = context.rows.amounts.filter((record) => record.planId === plan.id && record.date <= day).sort((a, b) => a.date.localeCompare(b.date));
  const lastRecord = records.at(-1);
  if (lastRecord !== undefined && (lastInstalment === undefined || lastRecord.date >= lastInstalment.date)) return lastRecord.amount;
  return lastInstalment?.amount ?? Number.NaN;
}

/** A sample of features across families, computed with plain loops. */
export function naiveFeatures(context: NaiveContext, contact: NaiveContact, cutoff: string): Record<string, number> {
  const gifts = (context.gifts.get(contact.id) ?? []).filter((gift) => gift.date <= cutoff);
  const within = (months: number) => gifts.filter((gift) => gift.date > monthsBefore(cutoff, months));
  const sum = (list: readonly { amount: number }[]) => list.reduce((total, gift) => total + gift.amount, 0);
  const all = gifts;
  const last = all.at(-1);
  const first = all[0];
  const mean = all.length > 0 ? sum(all) / all.length : Number.NaN;
  const std = all.length >= 2 ? Math.sqrt(all.reduce((total, gift) => total + (gift.amount - mean) ** 2, 0) / (all.length - 1)) : Number.NaN;
  const lastOf = (list: readonly NaiveGift[]) => list.at(-1);
  const appealLast12 = within(12).filter((gift) => gift.category === 'Appeal');
  const emailAll = all.filter((gift) => gift.channel === 'Email');
  const instalments36 = within(36).filter((gift) => gift.type === 'recurring instalment');
  const untagged = all.filter((gift) => gift.category === null);
  const lastUntagged = lastOf(untagged);
  const months24 = new Set(within(24).map((gift) => gift.date.slice(0, 7)));
  const december = all.filter((gift) => gift.date.slice(5, 7) === '12');
  const plans = (context.plans.get(contact.id) ?? []).filter((plan) => plan.start <= cutoff);
  const running = plans.filter((plan) => runningAt(plan, cutoff));
  const runningAmounts = running.map((plan) => naivePlanAmountAt(context, plan, cutoff)).filter((amount) => !Number.isNaN(amount));
  const failures = context.rows.failures.filter((failure) => plans.some((plan) => plan.id === failure.planId) && failure.date <= cutoff);
  let upgrades = 0;
  for (const plan of plans) {
    const instalments = all.filter((gift) => gift.planExternalId === plan.externalId);
    for (let i = 1; i < instalments.length; i++) if ((instalments[i]?.amount ?? 0) > (instalments[i - 1]?.amount ?? 0)) upgrades++;
  }
  const comms = (context.communications.get(contact.id) ?? []).filter((comm) => comm.date <= cutoff);
  const comms12 = comms.filter((comm) => comm.date > monthsBefore(cutoff, 12));
  const responded = comms.filter((comm) => comm.response === 'responded');
  const channels = ['Direct Mail', 'Email', 'Phone', 'SMS', 'Face-to-Face', 'Digital/Online', 'Event', 'Other'];
  const prior12 = gifts.filter((gift) => gift.date > monthsBefore(cutoff, 24) && gift.date <= monthsBefore(cutoff, 12));
  return {
    gift_count_3m: within(3).length,
    gift_count_12m: within(12).length,
    gift_count_all_time: all.length,
    gift_sum_36m: sum(within(36)),
    gift_mean_60m: within(60).length > 0 ? sum(within(60)) / within(60).length : Number.NaN,
    gift_max_12m: within(12).length > 0 ? Math.max(...within(12).map((gift) => gift.amount)) : Number.NaN,
    months_since_last_gift: last === undefined ? Number.NaN : monthsBetween(last.date, cutoff),
    first_gift_amount: first?.amount ?? Number.NaN,
    gift_count_category_appeal_12m: appealLast12.length,
    gift_sum_channel_email_all_time: sum(emailAll),
    gift_count_type_recurring_instalment_36m: instalments36.length,
    months_since_last_gift_category_none: lastUntagged === undefined ? Number.NaN : monthsBetween(lastUntagged.date, cutoff),
    giving_months_24m: months24.size,
    gift_amount_std_all_time: std,
    december_share_all_time: all.length > 0 ? december.length / all.length : Number.NaN,
    gift_count_change_12m: within(12).length - prior12.length,
    gift_sum_change_12m: sum(within(12)) - sum(prior12),
    months_since_first_gift: first === undefined ? Number.NaN : monthsBetween(first.date, cutoff),
    months_since_created: contact.createdOn !== null && contact.createdOn <= cutoff ? monthsBetween(contact.createdOn, cutoff) : Number.NaN,
    acquisition_channel: first === undefined ? Number.NaN : first.channel === null ? channels.length : channels.indexOf(first.channel),
    active_plans: running.length,
    current_plan_amount: runningAmounts.length > 0 ? Math.max(...runningAmounts) : Number.NaN,
    payment_failures_12m: failures.filter((failure) => failure.date > monthsBefore(cutoff, 12)).length,
    plans_started_36m: plans.filter((plan) => plan.start > monthsBefore(cutoff, 36)).length,
    plan_endings_all_time: plans.filter((plan) => plan.end !== null && plan.end <= cutoff).length,
    plan_upgrades_all_time: upgrades,
    communications_12m: comms12.length,
    responses_channel_email_all_time: responded.filter((comm) => comm.channel === 'Email').length,
    communications_category_appeal_12m: comms12.filter((comm) => comm.category === 'Appeal').length,
    response_rate_all_time: comms.length > 0 ? responded.length / comms.length : Number.NaN,
    months_since_last_communication: comms.length > 0 ? monthsBetween(comms.at(-1)?.date ?? '', cutoff) : Number.NaN,
    age_at_cutoff: contact.birthYear === null ? Number.NaN : Number(cutoff.slice(0, 4)) - contact.birthYear,
    gender: contact.gender === null ? Number.NaN : ['female', 'male', 'other', 'unknown'].indexOf(contact.gender),
    contact_kind: ['individual', 'organisation'].indexOf(contact.kind),
  };
}

function monthsAfter(iso: string, months: number): string {
  return monthsBefore(iso, -months);
}

/**
 * The label of one contact for one outcome at a cutoff, or undefined when the contact is not
 * eligible (deciding from facts on or before the cutoff) or has no label (a mean over nothing).
 */
export function naiveLabel(context: NaiveContext, contact: NaiveContact, outcome: string, cutoff: string, windowMonths: number): number | undefined {
  if (!naiveInPopulation(context, contact, cutoff)) return undefined;
  const end = monthsAfter(cutoff, windowMonths);
  const gifts = context.gifts.get(contact.id) ?? [];
  const before = gifts.filter((gift) => gift.date <= cutoff);
  const after = gifts.filter((gift) => gift.date > cutoff && gift.date <= end);
  const plans = context.plans.get(contact.id) ?? [];
  const running = plans.filter((plan) => runningAt(plan, cutoff));
  const startsInWindow = plans.some((plan) => plan.start > cutoff && plan.start <= end);
  const flag = (value: boolean) => (value ? 1 : 0);
  const notBequest = (gift: NaiveGift) => gift.type !== 'bequest';
  switch (outcome) {
    case 'responds-to-appeal':
      return flag(after.some((gift) => gift.amount > 10 && ['Appeal', 'Newsletter', 'Acquisition', 'Emergency'].includes(gift.category ?? '')));
    case 'large-gift':
      return flag(after.some((gift) => gift.amount >= 500 && gift.type !== 'recurring instalment' && gift.type !== 'bequest'));
    case 'reactivation': {
      const lastGift = before.at(-1);
      if (lastGift === undefined || running.length > 0 || lastGift.date > monthsBefore(cutoff, 24)) return undefined;
      return flag(after.length > 0 || startsInWindow);
    }
    case 'convert-to-monthly':
      if (plans.some((plan) => plan.start <= cutoff)) return undefined;
      return flag(startsInWindow);
    case 'rg-upgrade': {
      const known = running.filter((plan) => !Number.isNaN(naivePlanAmountAt(context, plan, cutoff)));
      if (known.length === 0) return undefined;
      return flag(
        known.some((plan) => {
          const base = naivePlanAmountAt(context, plan, cutoff);
          const raised = after.some((gift) => gift.planExternalId === plan.externalId && gift.amount >= base + 5);
          const recorded = context.rows.amounts.some((record) => record.planId === plan.id && record.date > cutoff && record.date <= end && record.amount >= base + 5);
          return raised || recorded;
        }),
      );
    }
    case 'rg-churn': {
      if (running.length === 0) return undefined;
      const interval: Record<string, number> = { weekly: 12 / 52, monthly: 1, quarterly: 3, 'half-yearly': 6, yearly: 12 };
      const survives = running.some((plan) => {
        if (plan.end !== null && plan.end <= end) return false;
        if (windowMonths < (interval[plan.frequency ?? 'monthly'] ?? 1)) return true;
        return after.some((gift) => gift.planExternalId === plan.externalId);
      });
      return flag(!survives);
    }
    case 'mid-level':
    case 'major-gift': {
      const threshold = outcome === 'mid-level' ? 1_000 : 10_000;
      if (before.some((gift) => notBequest(gift) && gift.amount >= threshold)) return undefined;
      return flag(after.some((gift) => notBequest(gift) && gift.amount >= threshold));
    }
    case 'gift-in-will':
      if (before.some((gift) => gift.type === 'bequest')) return undefined;
      return flag(after.some((gift) => gift.type === 'bequest'));
    case 'gift-amount-sum':
      return after.reduce((total, gift) => total + gift.amount, 0);
    case 'gift-amount-mean':
      return after.length === 0 ? undefined : after.reduce((total, gift) => total + gift.amount, 0) / after.length;
    default:
      throw new Error(`no naive label for ${outcome}`);
  }
}
