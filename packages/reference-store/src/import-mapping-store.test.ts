import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mappingSignature, type SavedMapping } from '@kindling/crm-import';
import { withTenant } from '@kindling/db';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@kindling/db/testing';
import { isAppError } from '@kindling/errors';
import { createImportMappingStore, type ImportMappingStore } from './index.js';

let db: TestDatabase;
let store: ImportMappingStore;
const operator = { userId: null, tokenId: null };

beforeAll(async () => {
  db = await createTestDatabase(inject('clusterOwnerUrl'), inject('appRolePassword'));
  store = createImportMappingStore(db.appDb);
});
afterAll(async () => {
  await db.drop();
});

const headers = ['Donor Ref', 'Wealth', 'Branch', 'Notes'];
const columns: SavedMapping['columns'] = [
  { header: 'Donor Ref', target: { field: 'external_id' } },
  { header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } },
  { header: 'Branch', target: { attribute: 'branch', kind: 'categorical' } },
  { header: 'Notes', target: null },
];

async function refusal(attempt: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await attempt();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function auditActions(orgId: string): Promise<string[]> {
  const events = await withTenant(db.appDb, { orgId }, (trx) => trx.selectFrom('audit_event').select('action').where('action', 'like', 'import.mapping%').orderBy('seq').execute());
  return events.map((event) => event.action);
}

describe('the import mapping store', () => {
  it('saves a mapping, finds it again for the same layout in any column order, and replaces it when saved again', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Mapping Trust')).id;
    const saved = await store.saveMapping(orgId, { name: 'Old CRM supporters', entity: 'contacts', headers, columns }, operator);
    expect(saved).toMatchObject({ name: 'Old CRM supporters', entity: 'contacts', headerSignature: mappingSignature(headers), mapping: { entity: 'contacts', columns } });
    expect((await store.findMapping(orgId, ['notes', 'BRANCH', 'wealth', 'donor_ref']))?.id).toBe(saved.id);
    expect(await store.findMapping(orgId, ['Donor Ref', 'Wealth'])).toBeUndefined();

    const renamed: SavedMapping['columns'] = columns.map((column) => (column.header === 'Branch' ? { header: 'Branch', target: { attribute: 'region branch', kind: 'categorical' } } : column));
    const replaced = await store.saveMapping(orgId, { name: 'Supporters v2', entity: 'contacts', headers, columns: renamed }, operator);
    expect(replaced.id).toBe(saved.id);
    expect(await store.listMappings(orgId)).toEqual([expect.objectContaining({ id: saved.id, name: 'Supporters v2', mapping: { entity: 'contacts', columns: renamed } })]);
    expect(await auditActions(orgId)).toEqual(['import.mapping_saved', 'import.mapping_saved']);
  });

  it('refuses a mapping that does not fit its file, or has no name, and saves nothing', async () => {
    const orgId = (await seedOrganisation(db.ownerDb, 'Careful Trust')).id;
    const missing = await refusal(() => store.saveMapping(orgId, { name: 'Broken', entity: 'contacts', headers: ['Wealth'], columns }, operator));
    expect(missing.code).toBe('VALIDATION_FAILED');
    expect(missing.message).toContain('header "Donor Ref" is not in the file');
    expect(await refusal(() => store.saveMapping(orgId, { name: '  ', entity: 'contacts', headers, columns }, operator))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await store.listMappings(orgId)).toEqual([]);
  });

  it('keeps each organisation to its own mappings, and deletes only its own', async () => {
    const orgA = (await seedOrganisation(db.ownerDb, 'Org A mappings')).id;
    const orgB = (await seedOrganisation(db.ownerDb, 'Org B mappings')).id;
    const mappingA = await store.saveMapping(orgA, { name: 'A', entity: 'contacts', headers, columns }, operator);
    expect(await store.findMapping(orgB, headers)).toBeUndefined();
    expect(await store.listMappings(orgB)).toEqual([]);
    expect(await refusal(() => store.deleteMapping(orgB, mappingA.id))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.listMappings(orgA)).toHaveLength(1);
    await store.deleteMapping(orgA, mappingA.id);
    expect(await store.listMappings(orgA)).toEqual([]);
    expect(await auditActions(orgA)).toEqual(['import.mapping_saved', 'import.mapping_deleted']);
    expect(await auditActions(orgB)).toEqual([]);
  });
});
