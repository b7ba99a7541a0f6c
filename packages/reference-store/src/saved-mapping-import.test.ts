import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importPresetNamed, presetFromMappings, type SavedMapping } from '@kindling/crm-import';
import { createDataProtection, createLocalRootKeyProvider } from '@kindling/crypto';
import { createPostgresKeyStore } from '@kindling/crypto/postgres';
import { sql, withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { createEncryptedObjectStore, createLocalFolderStore } from '@kindling/object-store';
import { runImport, type ImportDependencies, type ImportRequest } from './index.js';

let db: TestDatabase;
let folder: string;
let deps: ImportDependencies;

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-mapping-import-test-'));
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: db.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: folder });
  deps = { db: db.appDb, fields, objectStore: (orgId) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId }) };
});
afterAll(async () => {
  await db.drop();
  await fs.rm(folder, { recursive: true, force: true });
});

async function* bytes(content: string | Uint8Array): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

function request(orgId: string, preset: ImportRequest['preset'], files: ImportRequest['files'], overrides: Partial<ImportRequest> = {}): ImportRequest {
  return {
    orgId,
    preset,
    mode: 'complete',
    organisationCurrency: 'USD',
    files,
    actor: { userId: null, tokenId: null },
    maxRejectedShare: 0.05,
    limits: { maxEntries: 100, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 200 },
    ...overrides,
  };
}

/** A real file from ../test-fixtures (see SOURCE.md there), with its records split here, independently of the importer. */
function fixture(name: string, lineEnd: string): { content: Buffer; header: string[]; records: string[][] } {
  const content = readFileSync(fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url)));
  const [header = [], ...records] = content
    .toString('utf8')
    .split(lineEnd)
    .filter((line) => line !== '')
    .map(splitCsvLine);
  return { content, header, records };
}

/** One CSV line: commas outside double quotes separate cells. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const character of line) {
    if (character === '"') quoted = !quoted;
    else if (character === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += character;
  }
  return [...cells, cell];
}

const dollars = (cell: string): number => Number(cell.replaceAll(/[$,]/gu, ''));

function mappingOf(header: readonly string[], targets: Readonly<Record<string, SavedMapping['columns'][number]['target']>>): SavedMapping {
  return { entity: 'contacts', columns: header.map((column) => ({ header: column, target: targets[column] ?? null })) };
}

async function attributeTotals(orgId: string, name: string): Promise<{ contacts: number; withValue: number; sum: number }> {
  const { rows } = await withTenant(db.appDb, { orgId }, (trx) =>
    sql<{ contacts: number; with_value: number; sum: string | null }>`
      SELECT count(*)::int AS contacts, count(custom_attributes -> ${name})::int AS with_value, sum((custom_attributes ->> ${name})::numeric)::text AS sum
      FROM contact WHERE org_id = ${orgId}`.execute(trx),
  );
  const row = rows[0];
  return { contacts: row?.contacts ?? 0, withValue: row?.with_value ?? 0, sum: Number(row?.sum ?? 0) };
}

async function valueCounts(orgId: string, sqlColumn: 'gender' | 'attribute', name = ''): Promise<Record<string, number>> {
  const { rows } = await withTenant(db.appDb, { orgId }, (trx) =>
    sql<{ value: string; n: number }>`
      SELECT ${sqlColumn === 'gender' ? sql`gender` : sql`custom_attributes ->> ${name}`} AS value, count(*)::int AS n FROM contact WHERE org_id = ${orgId} GROUP BY 1`.execute(trx),
  );
  return Object.fromEntries(rows.map((row) => [row.value, row.n]));
}

function countsOf(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe('importing real files through a saved mapping', () => {
  it('imports the formatted PVA97NK file: currency strings and blanks as numeric attributes, codes as categories, gender codes', async () => {
    const file = fixture('pva97nk-formatted-300.csv', '\r\n');
    const column = (name: string): string[] => file.records.map((record) => record[file.header.indexOf(name)] ?? '');
    const numeric = { kind: 'numeric' } as const;
    const mapping = mappingOf(file.header, {
      ID: { field: 'external_id' },
      DemGender: { field: 'gender' },
      TargetD: { attribute: 'TargetD', ...numeric },
      GiftAvgCard36: { attribute: 'GiftAvgCard36', ...numeric },
      DemMedHomeValue: { attribute: 'DemMedHomeValue', ...numeric },
      DemAge: { attribute: 'DemAge', ...numeric },
      StatusCat96NK: { attribute: 'StatusCat96NK', kind: 'categorical' },
      DemCluster: { attribute: 'DemCluster', kind: 'categorical' },
    });
    const preset = presetFromMappings([{ fileName: 'pva97nk.csv', mapping }]);
    const orgId = (await seedOrganisation(db.ownerDb, 'Veterans Sample')).id;
    const outcome = await runImport(deps, request(orgId, preset, [{ name: 'pva97nk.csv', bytes: bytes(file.content) }]));
    expect(outcome).toMatchObject({ status: 'applied', read: file.records.length, accepted: file.records.length, rejected: 0 });
    expect(outcome.entities['contacts']).toEqual({ inserted: file.records.length, updated: 0, unchanged: 0, deleted: 0 });

    for (const name of ['TargetD', 'GiftAvgCard36', 'DemMedHomeValue', 'DemAge']) {
      const given = column(name).filter((cell) => cell !== '');
      const totals = await attributeTotals(orgId, name);
      expect({ name, ...totals }).toEqual({ name, contacts: file.records.length, withValue: given.length, sum: expect.closeTo(given.reduce((sum, cell) => sum + dollars(cell), 0), 2) as number });
    }
    expect(await valueCounts(orgId, 'attribute', 'StatusCat96NK')).toEqual(countsOf(column('StatusCat96NK')));
    expect(await valueCounts(orgId, 'attribute', 'DemCluster')).toEqual(countsOf(column('DemCluster')));
    const genders = { F: 'female', M: 'male', U: 'unknown' } as Record<string, string>;
    expect(await valueCounts(orgId, 'gender')).toEqual(countsOf(column('DemGender').map((code) => genders[code] ?? code)));
    const attributes = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('contact_attribute').select(['name', 'kind']).orderBy('name').execute());
    expect(attributes).toEqual([
      { name: 'DemAge', kind: 'numeric' },
      { name: 'DemCluster', kind: 'categorical' },
      { name: 'DemMedHomeValue', kind: 'numeric' },
      { name: 'GiftAvgCard36', kind: 'numeric' },
      { name: 'StatusCat96NK', kind: 'categorical' },
      { name: 'TargetD', kind: 'numeric' },
    ]);

    // The same file again changes nothing; an attribute the organisation keeps as numeric cannot come back as a category.
    const again = await runImport(deps, request(orgId, preset, [{ name: 'pva97nk.csv', bytes: bytes(file.content) }]));
    expect(again.entities['contacts']).toEqual({ inserted: 0, updated: 0, unchanged: file.records.length, deleted: 0 });
    const clash = presetFromMappings([{ fileName: 'pva97nk.csv', mapping: mappingOf(file.header, { ID: { field: 'external_id' }, DemAge: { attribute: 'DemAge', kind: 'categorical' } }) }]);
    const refused = await runImport(deps, request(orgId, clash, [{ name: 'pva97nk.csv', bytes: bytes(file.content) }]));
    expect(refused).toMatchObject({ status: 'refused', problem: expect.stringContaining('DemAge is numeric, the mapping says categorical') as string });
  });

  it('imports the bare-CR charity file, refusing NA in a numeric attribute by line, column and value', async () => {
    const file = fixture('charity-bare-cr-300.csv', '\r');
    const column = (name: string): string[] => file.records.map((record) => record[file.header.indexOf(name)] ?? '');
    const numericAttributes = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, { attribute: name, kind: 'numeric' as const }]));
    const features = file.header.filter((name) => !['ID', 'part', 'donr', 'damt'].includes(name));
    const withTargets = mappingOf(file.header, { ID: { field: 'external_id' }, part: { attribute: 'part', kind: 'categorical' }, ...numericAttributes([...features, 'donr', 'damt']) });
    const orgId = (await seedOrganisation(db.ownerDb, 'Charity Course')).id;
    const files = () => [{ name: 'charity.csv', bytes: bytes(file.content) }];

    // NA is not a number: every such cell is named, and with a quarter of the rows refused nothing changes.
    const naCells = file.records.flatMap((record, index) =>
      ['donr', 'damt'].filter((name) => record[file.header.indexOf(name)] === 'NA').map((name) => ({ line: index + 2, column_name: name })),
    );
    const naRows = new Set(naCells.map((cell) => cell.line)).size;
    expect(naRows).toBeGreaterThan(0);
    const refused = await runImport(deps, request(orgId, presetFromMappings([{ fileName: 'charity.csv', mapping: withTargets }]), files()));
    expect(refused).toMatchObject({ status: 'refused', read: file.records.length, rejected: naRows });
    expect(refused.problem).toContain(`${String(naRows)} of ${String(file.records.length)} rows`);
    expect(refused.rejectedByReason).toEqual({ 'is not a number': naCells.length });
    const stored = await withTenant(db.appDb, { orgId }, (trx) =>
      trx.selectFrom('import_rejection').select(['file', 'line', 'column_name', 'reason']).where('import_run_id', '=', refused.runId).orderBy('line').orderBy('column_name').execute(),
    );
    expect(stored.map(({ line, column_name }) => ({ line, column_name }))).toEqual(naCells.sort((a, b) => a.line - b.line || a.column_name.localeCompare(b.column_name)));
    expect(new Set(stored.map((row) => `${row.file}: ${row.reason}`))).toEqual(new Set(naCells.map((cell) => `charity.csv: is not a number (the custom attribute ${cell.column_name} is numeric)`)));
    expect(await attributeTotals(orgId, 'avhv')).toEqual({ contacts: 0, withValue: 0, sum: 0 });

    // The targets left unmapped, every row is a contact with its features.
    const featuresOnly = mappingOf(file.header, { ID: { field: 'external_id' }, part: { attribute: 'part', kind: 'categorical' }, ...numericAttributes(features) });
    const applied = await runImport(deps, request(orgId, presetFromMappings([{ fileName: 'charity.csv', mapping: featuresOnly }]), files()));
    expect(applied).toMatchObject({ status: 'applied', read: file.records.length, accepted: file.records.length, rejected: 0 });
    expect(applied.entities['contacts']?.inserted).toBe(file.records.length);
    for (const name of ['avhv', 'agif', 'tgif']) {
      expect({ name, ...(await attributeTotals(orgId, name)) }).toEqual({ name, contacts: file.records.length, withValue: file.records.length, sum: expect.closeTo(column(name).reduce((sum, cell) => sum + Number(cell), 0), 2) as number });
    }
    expect(await valueCounts(orgId, 'attribute', 'part')).toEqual(countsOf(column('part')));
  });
});

describe('payment failures', () => {
  const contacts = ['external_id,kind', 'C1,individual', 'C2,individual'].join('\n');
  const plans = ['external_id,contact_external_id,start_date,amount,frequency,status', 'P1,C1,2023-01-01,10,monthly,active', 'P2,C2,2023-02-01,5,monthly,failed'].join('\n');
  const failures = (rows: readonly string[]) => ['external_id,plan_external_id,date,amount,reason', ...rows].join('\n');
  const files = (failureRows: readonly string[]) => [
    { name: 'payment_failures.csv', bytes: bytes(failures(failureRows)) },
    { name: 'recurring_plans.csv', bytes: bytes(plans) },
    { name: 'contacts.csv', bytes: bytes(contacts) },
  ];
  const stored = (orgId: string) =>
    withTenant(db.appDb, { orgId }, (trx) =>
      trx
        .selectFrom('recurring_plan_payment_failure as f')
        .innerJoin('recurring_plan as p', 'p.id', 'f.plan_id')
        .select(['p.external_id as plan', 'f.external_id', sql<string>`to_char(f.failed_on, 'YYYY-MM-DD')`.as('failed_on'), 'f.amount', 'f.reason'])
        .orderBy('f.failed_on')
        .execute(),
    );

  it('keeps each failure with its plan, after the plans, merged by id or by plan and day; a failure of an unknown plan is refused', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Direct Debit Trust')).id;
    const rows = ['F1,P1,2024-03-01,10.00,Insufficient funds', ',P2,2024-04-01,,Instruction cancelled', ',P2,2024-05-01,5,Instruction cancelled'];
    const first = await runImport(deps, request(orgId, importPresetNamed('generic'), files([...rows, 'F9,P404,2024-06-01,5,Refer to payer']), { maxRejectedShare: 0.5 }));
    expect(first).toMatchObject({ status: 'applied', rejected: 1, rejectedByReason: { 'refers to a recurring plan that the organisation does not have': 1 } });
    expect(first.entities['payment_failures']).toEqual({ inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
    expect(await stored(orgId)).toEqual([
      { plan: 'P1', external_id: 'F1', failed_on: '2024-03-01', amount: '10.00', reason: 'Insufficient funds' },
      { plan: 'P2', external_id: null, failed_on: '2024-04-01', amount: null, reason: 'Instruction cancelled' },
      { plan: 'P2', external_id: null, failed_on: '2024-05-01', amount: '5.00', reason: 'Instruction cancelled' },
    ]);

    const again = await runImport(deps, request(orgId, importPresetNamed('generic'), files(rows)));
    expect(again.entities['payment_failures']).toEqual({ inserted: 0, updated: 0, unchanged: 3, deleted: 0 });
    const changed = await runImport(deps, request(orgId, importPresetNamed('generic'), files(['F1,P1,2024-03-02,10.00,Insufficient funds', ',P2,2024-04-01,5,Instruction cancelled'])));
    expect(changed.entities['payment_failures']).toEqual({ inserted: 0, updated: 2, unchanged: 0, deleted: 1 });
    expect((await stored(orgId)).map((row) => [row.external_id, row.failed_on, row.amount])).toEqual([
      ['F1', '2024-03-02', '10.00'],
      [null, '2024-04-01', '5.00'],
    ]);
  });
});
