import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, withTenant } from '@kindling/db';
import { openEnd, type ContactHistory } from './contact-history.js';
import { dayFromIso } from './day-numbers.js';
import { featuriseAt } from './featuriser.js';
import { loadContactHistory, readContactHistory } from './history-loader.js';
import { outcomeNames } from './outcomes.js';
import { buildTrainingSet } from './training-set.js';
import { isoFromDayFirst, parseCsv, toCsv } from './test-support/csv-text.js';
import { createFeatureTestDatabase, generateDemoFiles, type FeatureTestDatabase } from './test-support/feature-test-database.js';
import { naiveContext, naiveFeatures, naiveInPopulation, naiveLabel, readNaiveRows, type NaiveContext } from './test-support/naive-oracle.js';

let t: FeatureTestDatabase;
beforeAll(async () => {
  t = await createFeatureTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
});
afterAll(async () => {
  await t.close();
});

const same = (a: number | undefined, b: number | undefined): boolean =>
  a !== undefined && b !== undefined && ((Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

/** Splits a generated export at a cutoff: what the CRM held on that day, and the delta that came after. */
function splitAtCutoff(files: ReadonlyMap<string, string>, cutoff: string): { before: Map<string, string>; after: Map<string, string> } {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const dated: Record<string, string> = { 'gifts.csv': 'date', 'payment_failures.csv': 'date', 'communications.csv': 'date', 'contacts.csv': 'created_on', 'campaigns.csv': 'start_date', 'recurring_plans.csv': 'start_date' };
  for (const [name, text] of files) {
    const [header = [], ...rows] = parseCsv(text).filter((row) => row.length > 1);
    const column = (field: string) => header.indexOf(field);
    const dateColumn = column(dated[name] ?? '');
    const early = rows.filter((row) => {
      const iso = isoFromDayFirst(row[dateColumn] ?? '');
      return iso !== '' && iso <= cutoff;
    });
    let late = rows.filter((row) => !early.includes(row));
    if (name === 'recurring_plans.csv') {
      // On the cutoff day the CRM showed these plans running, with no failures counted yet.
      const end = column('end_date');
      const status = column('status');
      const failures = column('payment_failures');
      const reason = column('cancellation_reason');
      const amount = column('amount');
      const asThen = early.map((row) => row.map((cell, i) => (i === end || i === reason) && isoFromDayFirst(row[end] ?? '') > cutoff ? '' : i === status && isoFromDayFirst(row[end] ?? '') > cutoff ? 'active' : i === failures ? '0' : cell));
      before.set(name, toCsv([header, ...asThen]));
      // Today every plan is as exported, and a few current amounts went up (an undated change).
      late = rows.map((row, r) => (r % 4 === 0 ? row.map((cell, i) => (i === amount ? (Number(cell) + 3).toFixed(2) : cell)) : row));
    } else if (name === 'contacts.csv') {
      // Undated current-state columns change after the cutoff too: they must not move any feature.
      const deceased = column('deceased');
      const doNotMail = column('do_not_mail');
      before.set(name, toCsv([header, ...early]));
      late = rows.map((row, r) => (r % 5 === 0 ? row.map((cell, i) => (i === deceased || i === doNotMail ? 'true' : cell)) : row));
    } else {
      before.set(name, toCsv([header, ...early]));
    }
    after.set(name, toCsv([header, ...late]));
  }
  return { before, after };
}

describe('point in time: nothing dated after the cutoff changes a feature', () => {
  it('featurises identically before and after a delta import of later gifts, plans, failures, communications and contacts', async () => {
    const cutoff = '2023-06-30';
    const files = await generateDemoFiles({ contacts: 250, years: 6, seed: 'leakage', quirkRate: 0 });
    const { before, after } = splitAtCutoff(files, cutoff);
    const orgId = await t.createOrganisation('Leakage Trust');
    await t.importFiles(orgId, before, 'complete');
    const early = await loadContactHistory(t.db.appDb, orgId);
    const atBefore = featuriseAt(early, dayFromIso(cutoff));
    await t.importFiles(orgId, after, 'delta');
    const late = await loadContactHistory(t.db.appDb, orgId);
    const atAfter = featuriseAt(late, dayFromIso(cutoff));

    // The delta did land: more of everything, including contacts created after the cutoff.
    expect(late.gifts.day.length).toBeGreaterThan(early.gifts.day.length);
    expect(late.communications.day.length).toBeGreaterThan(early.communications.day.length);
    expect(late.failures.day.length).toBeGreaterThan(early.failures.day.length);
    expect(late.plans.startDay.length).toBeGreaterThan(early.plans.startDay.length);
    expect(late.contactCount).toBeGreaterThan(early.contactCount);
    expect(late.plans.endDay.filter((day) => day !== openEnd).length).toBeGreaterThan(early.plans.endDay.filter((day) => day !== openEnd).length);
    expect(late.plans.amount.reduce((a, b) => a + b, 0)).toBeGreaterThan(early.plans.amount.reduce((a, b) => a + b, 0));

    expect(atAfter.matrix.rowCount).toBe(atBefore.matrix.rowCount);
    expect([...atAfter.contacts].map((c) => late.contactIds[c])).toEqual([...atBefore.contacts].map((c) => early.contactIds[c]));
    const differing: string[] = [];
    atBefore.matrix.features.forEach((feature, j) => {
      const x = atBefore.matrix.columns[j];
      const y = atAfter.matrix.columns[j];
      if (x === undefined || y === undefined) return;
      for (let r = 0; r < x.length; r++) {
        if (!Object.is(x[r], y[r])) {
          differing.push(feature.name);
          return;
        }
      }
    });
    expect(differing).toEqual([]);
    // … while a later cutoff does see the delta.
    const lastDay = dayFromIso('2025-12-31');
    expect(featuriseAt(late, lastDay).matrix.rowCount).toBeGreaterThan(featuriseAt(early, lastDay).matrix.rowCount);
  }, 240_000);
});

describe('on a synthetic charity', () => {
  let orgId: string;
  let history: ContactHistory;
  let naive: NaiveContext;
  let files: Map<string, string>;
  const cutoffs = ['2023-12-31', '2024-09-15'];

  beforeAll(async () => {
    files = await generateDemoFiles({ contacts: 400, years: 6, seed: 'oracle', quirkRate: 0 });
    orgId = await t.createOrganisation('Oracle Fund');
    await t.importFiles(orgId, files, 'complete');
    await withTenant(t.db.appDb, { orgId }, async (trx) => {
      await trx.insertInto('contact_attribute').values([{ org_id: orgId, name: 'Wealth score', kind: 'numeric' }, { org_id: orgId, name: 'Segment', kind: 'categorical' }]).execute();
      await sql`UPDATE contact SET custom_attributes = jsonb_build_object('Wealth score', birth_year % 7, 'Segment', CASE WHEN birth_year % 2 = 0 THEN 'even' ELSE 'odd' END) WHERE birth_year IS NOT NULL`.execute(trx);
    });
    history = await loadContactHistory(t.db.appDb, orgId);
    naive = naiveContext(await readNaiveRows(t.db.appDb, orgId));
  }, 240_000);

  it('loads every contact, gift, plan and communication of the organisation', () => {
    expect(history.contactCount).toBe(naive.rows.contacts.length);
    expect(history.gifts.day.length).toBe(naive.rows.gifts.length);
    expect(history.plans.startDay.length).toBe(naive.rows.plans.length);
    expect(history.failures.day.length).toBe(naive.rows.failures.length);
    expect(history.communications.day.length).toBe(naive.rows.communications.length);
    expect(naive.rows.failures.length).toBeGreaterThan(0);
    expect(naive.rows.gifts.some((gift) => gift.category === 'Appeal')).toBe(true);
  });

  it('holds no personal field: no name, e-mail, postcode or district of any contact', () => {
    const [header = [], ...rows] = parseCsv(files.get('contacts.csv') ?? '').filter((row) => row.length > 1);
    const personal = new Set<string>();
    for (const field of ['given_names', 'family_name', 'email', 'postcode', 'phone']) {
      for (const row of rows) {
        const value = row[header.indexOf(field)]?.trim() ?? '';
        if (value !== '') personal.add(value.toLowerCase());
        if (field === 'postcode' && value !== '') personal.add(value.split(' ')[0]?.toLowerCase() ?? '');
      }
    }
    expect(personal.size).toBeGreaterThan(100);
    const held = [...history.contactIds, ...history.regionLevels, ...history.countryLevels, ...history.customAttributes.flatMap((attribute) => attribute.levels)].map((text) => text.toLowerCase());
    expect(held.filter((text) => personal.has(text))).toEqual([]);
    expect(history.regionLevels.length).toBeGreaterThan(0);
  });

  it.each(cutoffs)('equals a naive computation over the rows for a sample of features across families at %s', (cutoff) => {
    const at = featuriseAt(history, dayFromIso(cutoff));
    const rowOf = new Map([...at.contacts].map((c, r) => [history.contactIds[c], r]));
    const expected = naive.rows.contacts.filter((contact) => naiveInPopulation(naive, contact, cutoff));
    expect([...rowOf.keys()].sort()).toEqual(expected.map((contact) => contact.id).sort());
    const columnOf = new Map(at.matrix.features.map((feature, j) => [feature.name, at.matrix.columns[j]]));
    const mismatches: string[] = [];
    let compared = 0;
    for (const contact of expected) {
      const row = rowOf.get(contact.id) ?? -1;
      for (const [name, value] of Object.entries(naiveFeatures(naive, contact, cutoff))) {
        const actual = columnOf.get(name)?.[row];
        compared++;
        if (!same(actual, value) && mismatches.length < 10) mismatches.push(`${name}: ${String(actual)} ≠ ${String(value)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });

  it('refuses to read a history outside a snapshot, where an import could shift contact numbering between queries', async () => {
    await expect(() => withTenant(t.db.appDb, { orgId }, readContactHistory)).rejects.toThrow(/one snapshot/u);
    const inSnapshot = await withTenant(t.db.appDb, { orgId }, readContactHistory, { snapshot: true });
    expect(inSnapshot.gifts.amount).toEqual(history.gifts.amount);
  });

  it('reads custom attributes from the organisation\'s registry', () => {
    const at = featuriseAt(history, dayFromIso('2025-12-31'), { features: ['custom_wealth_score', 'custom_segment', 'age_at_cutoff'] });
    expect(at.matrix.features).toEqual([
      { name: 'custom_wealth_score', kind: 'numeric' },
      { name: 'custom_segment', kind: 'categorical', categoryCount: 2 },
      { name: 'age_at_cutoff', kind: 'numeric' },
    ]);
    const [wealth, segment, age] = at.matrix.columns;
    for (let r = 0; r < at.matrix.rowCount; r++) {
      const birthYear = 2025 - (age?.[r] ?? Number.NaN);
      if (Number.isNaN(birthYear)) expect(wealth?.[r]).toBeNaN();
      else {
        expect(wealth?.[r]).toBe(birthYear % 7);
        expect(segment?.[r]).toBe(birthYear % 2 === 0 ? 0 : 1);
      }
    }
  });

  it.each(outcomeNames)('labels %s like a naive computation, with eligibility decided at each cutoff', (outcome) => {
    const windowMonths = 12;
    const set = buildTrainingSet(history, { outcome, windowMonths, cutoffs: cutoffs.map(dayFromIso), features: ['gift_count_all_time'] });
    const actual = new Map<string, number>();
    for (let r = 0; r < set.matrix.rowCount; r++) actual.set(`${String(set.cutoffIndex[r])}/${history.contactIds[set.contacts[r] ?? 0] ?? ''}`, set.labels[r] ?? Number.NaN);
    const expected = new Map<string, number>();
    cutoffs.forEach((cutoff, k) => {
      for (const contact of naive.rows.contacts) {
        const label = naiveLabel(naive, contact, outcome, cutoff, windowMonths);
        if (label !== undefined) expected.set(`${String(k)}/${contact.id}`, label);
      }
    });
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    const wrong = [...expected].filter(([key, label]) => !same(actual.get(key), label));
    expect(wrong).toEqual([]);
    expect(expected.size).toBeGreaterThan(0);
  });
});
