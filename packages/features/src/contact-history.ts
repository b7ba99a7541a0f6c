import { AppError } from '@kindling/errors';
import { monthIndexOf, type Day } from './day-numbers.js';
import { GrowableFloat64, GrowableInt32, GrowableUint8 } from './growable-columns.js';
import { noCode } from './vocabularies.js';

/** A day that is not known (a contact without a creation date). */
export const noDay = -2_147_483_648;
/** The end of a plan that has not ended. */
export const openEnd = 2_147_483_647;

/**
 * Events of one kind for every contact, columnar: rows sorted by contact, then day; the rows of
 * contact `c` are `start[c] … start[c + 1] - 1`.
 */
interface EventColumns {
  readonly start: Int32Array;
  readonly day: Int32Array;
}

export interface GiftColumns extends EventColumns {
  /** Months since January 1970 of each gift: distinct giving months and the month of the year. */
  readonly month: Int32Array;
  readonly amount: Float64Array;
  /** Codes into `giftTypeCodes`, `categoryCodes`, `channelCodes`; `noCode` when absent. */
  readonly type: Uint8Array;
  readonly category: Uint8Array;
  readonly channel: Uint8Array;
  /** Index into the plan table for an instalment of a known plan; -1 otherwise. */
  readonly plan: Int32Array;
}

export interface SoftCreditColumns extends EventColumns {
  readonly amount: Float64Array;
}

export interface CommunicationColumns extends EventColumns {
  readonly category: Uint8Array;
  readonly channel: Uint8Array;
  readonly response: Uint8Array;
}

export interface FailureColumns extends EventColumns {
  readonly plan: Int32Array;
}

/** Plans sorted by contact, then start day; `start[c]` indexes the plans of contact `c`. */
export interface PlanColumns {
  readonly start: Int32Array;
  readonly contact: Int32Array;
  readonly startDay: Int32Array;
  /** `openEnd` while the plan runs. */
  readonly endDay: Int32Array;
  readonly frequency: Uint8Array;
  /** The plan's amount history: rows `amountStart[p] … amountStart[p + 1] - 1`, by observation day. */
  readonly amountStart: Int32Array;
  readonly amountDay: Int32Array;
  readonly amount: Float64Array;
}

export interface CustomAttributeColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** The value (numeric) or the code into `levels` (categorical); NaN when the contact has none. */
  readonly values: Float64Array;
  readonly levels: readonly string[];
}

/**
 * An organisation's history in memory, read once and featurised at any number of cutoffs.
 * Only dated facts and non-identifying contact attributes: no personal field is ever loaded.
 */
export interface ContactHistory {
  readonly contactCount: number;
  /** The contact's row id (uuid) by contact index: how scores find their way back. */
  readonly contactIds: readonly string[];
  /** `noDay` when the CRM does not say. */
  readonly createdOn: Int32Array;
  /** Codes into `contactKindCodes` and `genderCodes`; `noCode` when absent. */
  readonly kind: Uint8Array;
  readonly gender: Uint8Array;
  /** NaN when absent. */
  readonly birthYear: Float64Array;
  /** Codes into `regionLevels` / `countryLevels` (sorted); -1 when absent. */
  readonly region: Int32Array;
  readonly regionLevels: readonly string[];
  readonly country: Int32Array;
  readonly countryLevels: readonly string[];
  readonly customAttributes: readonly CustomAttributeColumn[];
  readonly gifts: GiftColumns;
  readonly softCredits: SoftCreditColumns;
  readonly plans: PlanColumns;
  readonly failures: FailureColumns;
  readonly communications: CommunicationColumns;
  /** The latest dated fact (gift, communication, plan start or end, failure): the export's "today". */
  readonly lastDay: Day;
}

export interface ContactInput {
  readonly id: string;
  readonly kind: number;
  readonly createdOn: Day | null;
  readonly birthYear: number | null;
  readonly gender: number;
  readonly region: string | null;
  readonly country: string | null;
  readonly customAttributes?: Readonly<Record<string, unknown>>;
}

/** Interns free-text levels (regions, a custom segment) and re-codes them alphabetically at the end. */
class LevelTable {
  private readonly codes = new Map<string, number>();
  readonly values = new GrowableInt32();

  push(value: string | null): void {
    if (value === null) {
      this.values.push(-1);
      return;
    }
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(value, code);
    }
    this.values.push(code);
  }

  finish(): { codes: Int32Array; levels: string[] } {
    const levels = [...this.codes.keys()].sort();
    const recode = new Int32Array(levels.length);
    levels.forEach((level, sorted) => (recode[this.codes.get(level) ?? 0] = sorted));
    const codes = this.values.toArray();
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] ?? -1;
      if (code >= 0) codes[i] = recode[code] ?? -1;
    }
    return { codes, levels };
  }
}

interface AttributeBuilder {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly numbers: GrowableFloat64;
  readonly levels: LevelTable;
}

/**
 * Collects a history row by row into growable columns, then sorts and indexes it. The database
 * loader and tests (hand-built histories) fill it the same way.
 */
export class HistoryBuilder {
  private readonly contactIds: string[] = [];
  private readonly createdOn = new GrowableInt32();
  private readonly kind = new GrowableUint8();
  private readonly gender = new GrowableUint8();
  private readonly birthYear = new GrowableFloat64();
  private readonly region = new LevelTable();
  private readonly country = new LevelTable();
  private readonly attributes: AttributeBuilder[] = [];
  private readonly gift = { contact: new GrowableInt32(), day: new GrowableInt32(), amount: new GrowableFloat64(), type: new GrowableUint8(), category: new GrowableUint8(), channel: new GrowableUint8(), plan: new GrowableInt32() };
  private readonly softCredit = { contact: new GrowableInt32(), day: new GrowableInt32(), amount: new GrowableFloat64() };
  private readonly plan = { contact: new GrowableInt32(), startDay: new GrowableInt32(), endDay: new GrowableInt32(), frequency: new GrowableUint8() };
  private readonly planAmount = { plan: new GrowableInt32(), day: new GrowableInt32(), amount: new GrowableFloat64() };
  private readonly failure = { plan: new GrowableInt32(), day: new GrowableInt32() };
  private readonly communication = { contact: new GrowableInt32(), day: new GrowableInt32(), category: new GrowableUint8(), channel: new GrowableUint8(), response: new GrowableUint8() };

  /** Registers the organisation's custom attributes before any contact is added. */
  defineAttribute(name: string, kind: 'numeric' | 'categorical'): void {
    if (this.contactIds.length > 0) throw new AppError('INTERNAL', 'Custom attributes are defined before contacts are added');
    this.attributes.push({ name, kind, numbers: new GrowableFloat64(), levels: new LevelTable() });
  }

  addContact(contact: ContactInput): number {
    this.contactIds.push(contact.id);
    this.createdOn.push(contact.createdOn ?? noDay);
    this.kind.push(contact.kind);
    this.gender.push(contact.gender);
    this.birthYear.push(contact.birthYear ?? Number.NaN);
    this.region.push(contact.region);
    this.country.push(contact.country);
    for (const attribute of this.attributes) {
      const value = contact.customAttributes?.[attribute.name];
      if (attribute.kind === 'numeric') attribute.numbers.push(typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN);
      else attribute.levels.push(typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);
    }
    return this.contactIds.length - 1;
  }

  /** Returns the plan's index in insertion order (what `addGift`, `addPlanAmount` and `addFailure` refer to). */
  addPlan(contact: number, startDay: Day, endDay: Day | null, frequency: number): number {
    this.plan.contact.push(contact);
    this.plan.startDay.push(startDay);
    this.plan.endDay.push(endDay ?? openEnd);
    this.plan.frequency.push(frequency);
    return this.plan.contact.length - 1;
  }

  addGift(contact: number, day: Day, amount: number, type: number, category: number, channel: number, plan: number): void {
    const g = this.gift;
    g.contact.push(contact);
    g.day.push(day);
    g.amount.push(amount);
    g.type.push(type);
    g.category.push(category);
    g.channel.push(channel);
    g.plan.push(plan);
  }

  addSoftCredit(contact: number, day: Day, amount: number): void {
    this.softCredit.contact.push(contact);
    this.softCredit.day.push(day);
    this.softCredit.amount.push(amount);
  }

  addPlanAmount(plan: number, day: Day, amount: number): void {
    this.planAmount.plan.push(plan);
    this.planAmount.day.push(day);
    this.planAmount.amount.push(amount);
  }

  addFailure(plan: number, day: Day): void {
    this.failure.plan.push(plan);
    this.failure.day.push(day);
  }

  addCommunication(contact: number, day: Day, category: number, channel: number, response: number): void {
    const c = this.communication;
    c.contact.push(contact);
    c.day.push(day);
    c.category.push(category);
    c.channel.push(channel);
    c.response.push(response);
  }

  finish(): ContactHistory {
    const contactCount = this.contactIds.length;
    const region = this.region.finish();
    const country = this.country.finish();
    const plans = this.finishPlans(contactCount);
    const gifts = this.finishGifts(contactCount, plans.newIndex);
    const softCredits = this.finishSoftCredits(contactCount);
    const failures = this.finishFailures(contactCount, plans.columns.contact, plans.newIndex);
    const communications = this.finishCommunications(contactCount);
    return {
      contactCount,
      contactIds: this.contactIds,
      createdOn: this.createdOn.toArray(),
      kind: this.kind.toArray(),
      gender: this.gender.toArray(),
      birthYear: this.birthYear.toArray(),
      region: region.codes,
      regionLevels: region.levels,
      country: country.codes,
      countryLevels: country.levels,
      customAttributes: this.attributes.map(finishAttribute),
      gifts,
      softCredits,
      plans: plans.columns,
      failures,
      communications,
      lastDay: lastDayOf([gifts.day, communications.day, failures.day, plans.columns.startDay, plans.columns.endDay.filter((day) => day !== openEnd)]),
    };
  }

  private finishPlans(contactCount: number): { columns: PlanColumns; newIndex: Int32Array } {
    const contact = this.plan.contact.toArray();
    const startDay = this.plan.startDay.toArray();
    const order = sortedOrder(contact, startDay);
    const newIndex = new Int32Array(order.length);
    order.forEach((oldIndex, position) => (newIndex[oldIndex] = position));
    const sortedContact = gather(contact, order);
    const amountPlan = remap(this.planAmount.plan.toArray(), newIndex);
    const amountOrder = sortedOrder(amountPlan, this.planAmount.day.toArray());
    return {
      newIndex,
      columns: {
        start: offsetsOf(sortedContact, contactCount),
        contact: sortedContact,
        startDay: gather(startDay, order),
        endDay: gather(this.plan.endDay.toArray(), order),
        frequency: gather(this.plan.frequency.toArray(), order),
        amountStart: offsetsOf(gather(amountPlan, amountOrder), order.length),
        amountDay: gather(this.planAmount.day.toArray(), amountOrder),
        amount: gather(this.planAmount.amount.toArray(), amountOrder),
      },
    };
  }

  private finishGifts(contactCount: number, planIndex: Int32Array): GiftColumns {
    const g = this.gift;
    const contact = g.contact.toArray();
    const day = g.day.toArray();
    const order = sortedOrder(contact, day);
    const sortedDay = gather(day, order);
    return {
      start: offsetsOf(gather(contact, order), contactCount),
      day: sortedDay,
      month: sortedDay.map(monthIndexOf),
      amount: gather(g.amount.toArray(), order),
      type: gather(g.type.toArray(), order),
      category: gather(g.category.toArray(), order),
      channel: gather(g.channel.toArray(), order),
      plan: remap(gather(g.plan.toArray(), order), planIndex),
    };
  }

  private finishSoftCredits(contactCount: number): SoftCreditColumns {
    const contact = this.softCredit.contact.toArray();
    const day = this.softCredit.day.toArray();
    const order = sortedOrder(contact, day);
    return { start: offsetsOf(gather(contact, order), contactCount), day: gather(day, order), amount: gather(this.softCredit.amount.toArray(), order) };
  }

  private finishFailures(contactCount: number, planContact: Int32Array, planIndex: Int32Array): FailureColumns {
    const plan = remap(this.failure.plan.toArray(), planIndex);
    const contact = plan.map((p) => planContact[p] ?? 0);
    const day = this.failure.day.toArray();
    const order = sortedOrder(contact, day);
    return { start: offsetsOf(gather(contact, order), contactCount), day: gather(day, order), plan: gather(plan, order) };
  }

  private finishCommunications(contactCount: number): CommunicationColumns {
    const c = this.communication;
    const contact = c.contact.toArray();
    const day = c.day.toArray();
    const order = sortedOrder(contact, day);
    return {
      start: offsetsOf(gather(contact, order), contactCount),
      day: gather(day, order),
      category: gather(c.category.toArray(), order),
      channel: gather(c.channel.toArray(), order),
      response: gather(c.response.toArray(), order),
    };
  }
}

function finishAttribute(attribute: AttributeBuilder): CustomAttributeColumn {
  if (attribute.kind === 'numeric') return { name: attribute.name, kind: 'numeric', values: attribute.numbers.toArray(), levels: [] };
  const { codes, levels } = attribute.levels.finish();
  return { name: attribute.name, kind: 'categorical', values: Float64Array.from(codes, (code) => (code < 0 ? Number.NaN : code)), levels };
}

/** Row order by (key, day), stable; the identity without sorting when the rows came sorted (the loader's case). */
function sortedOrder(key: Int32Array, day: Int32Array): Int32Array {
  const order = new Int32Array(key.length);
  let sorted = true;
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
    if (i > 0 && ((key[i] ?? 0) < (key[i - 1] ?? 0) || (key[i] === key[i - 1] && (day[i] ?? 0) < (day[i - 1] ?? 0)))) sorted = false;
  }
  if (!sorted) order.sort((a, b) => (key[a] ?? 0) - (key[b] ?? 0) || (day[a] ?? 0) - (day[b] ?? 0) || a - b);
  return order;
}

function gather<T extends Int32Array | Float64Array | Uint8Array>(values: T, order: Int32Array): T {
  const out = values.slice(0, 0) as T;
  const result = new (out.constructor as new (length: number) => T)(order.length);
  for (let i = 0; i < order.length; i++) result[i] = values[order[i] ?? 0] ?? 0;
  return result;
}

function remap(plans: Int32Array, newIndex: Int32Array): Int32Array {
  return plans.map((plan) => (plan < 0 ? -1 : (newIndex[plan] ?? -1)));
}

/** `keys` sorted ascending in 0…count-1 → offsets: rows of key k are offsets[k] … offsets[k + 1] - 1. */
function offsetsOf(keys: Int32Array, count: number): Int32Array {
  const offsets = new Int32Array(count + 1);
  for (const key of keys) {
    if (key < 0 || key >= count) throw new AppError('INTERNAL', 'A history row points at an unknown contact or plan');
    offsets[key + 1] = (offsets[key + 1] ?? 0) + 1;
  }
  for (let k = 0; k < count; k++) offsets[k + 1] = (offsets[k + 1] ?? 0) + (offsets[k] ?? 0);
  return offsets;
}

function lastDayOf(columns: readonly Int32Array[]): Day {
  let last = noDay;
  for (const column of columns) for (const day of column) if (day > last) last = day;
  return last;
}

export { noCode };
