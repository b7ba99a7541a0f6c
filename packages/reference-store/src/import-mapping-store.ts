import { mappingSignature, validateSavedMapping, type SavedMapping } from '@kindling/crm-import';
import { appendAuditEvent, withTenant, type Database, type Kysely } from '@kindling/db';
import { AppError } from '@kindling/errors';

/** Who changes a mapping: a person or an API token (neither for the operator's command line). */
export interface MappingActor {
  readonly userId: string | null;
  readonly tokenId: string | null;
}

export interface StoredImportMapping {
  readonly id: string;
  readonly name: string;
  readonly entity: SavedMapping['entity'];
  /** `mappingSignature` of the file's headers: the same export layout finds this mapping again. */
  readonly headerSignature: string;
  readonly mapping: SavedMapping;
  readonly createdByUserId: string | null;
  readonly updatedByUserId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface MappingToSave {
  readonly name: string;
  readonly entity: SavedMapping['entity'];
  /** The file's headers, as read: the mapping is checked against them and keyed by their signature. */
  readonly headers: readonly string[];
  readonly columns: SavedMapping['columns'];
}

export interface ImportMappingStore {
  /** Saves (or replaces: same layout and entity) a mapping after checking it against the headers; audited. */
  saveMapping(orgId: string, mapping: MappingToSave, actor: MappingActor): Promise<StoredImportMapping>;
  /** The mapping saved for this layout (any column order), the most recently changed when several entities have one. */
  findMapping(orgId: string, headers: readonly string[]): Promise<StoredImportMapping | undefined>;
  listMappings(orgId: string): Promise<StoredImportMapping[]>;
  /** NOT_FOUND for an id the organisation does not have; audited. */
  deleteMapping(orgId: string, id: string, actor?: MappingActor): Promise<void>;
}

const maxNameLength = 200;
const columnsOfRow = ['id', 'name', 'entity', 'header_signature', 'columns', 'created_by_user_id', 'updated_by_user_id', 'created_at', 'updated_at'] as const;

interface MappingRow {
  id: string;
  name: string;
  entity: string;
  header_signature: string;
  columns: unknown;
  created_by_user_id: string | null;
  updated_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
}

function storedOf(row: MappingRow): StoredImportMapping {
  // Written only by saveMapping, after validation: the stored JSON has the checked shape.
  const entity = row.entity as SavedMapping['entity'];
  return {
    id: row.id,
    name: row.name,
    entity,
    headerSignature: row.header_signature,
    mapping: { entity, columns: row.columns as SavedMapping['columns'] },
    createdByUserId: row.created_by_user_id,
    updatedByUserId: row.updated_by_user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An organisation's saved mappings for export layouts no preset knows; always inside its tenant context. */
export function createImportMappingStore(db: Kysely<Database>): ImportMappingStore {
  return {
    async saveMapping(orgId, mapping, actor) {
      const name = mapping.name.trim();
      if (name === '' || name.length > maxNameLength) throw new AppError('VALIDATION_FAILED', `Give the mapping a name of 1 to ${String(maxNameLength)} characters.`);
      validateSavedMapping({ entity: mapping.entity, columns: mapping.columns }, mapping.headers);
      const columns = JSON.stringify(mapping.columns.map(({ header, target }) => ({ header, target })));
      return withTenant(db, { orgId }, async (trx) => {
        const row = await trx
          .insertInto('import_mapping')
          .values({
            org_id: orgId,
            name,
            entity: mapping.entity,
            header_signature: mappingSignature(mapping.headers),
            columns,
            created_by_user_id: actor.userId,
            created_by_token_id: actor.tokenId,
            updated_by_user_id: actor.userId,
            updated_by_token_id: actor.tokenId,
          })
          .onConflict((conflict) =>
            conflict.columns(['org_id', 'header_signature', 'entity']).doUpdateSet({ name, columns, updated_by_user_id: actor.userId, updated_by_token_id: actor.tokenId, updated_at: new Date() }),
          )
          .returning(columnsOfRow)
          .executeTakeFirstOrThrow();
        await appendAuditEvent(trx, {
          orgId,
          action: 'import.mapping_saved',
          actorUserId: actor.userId,
          actorTokenId: actor.tokenId,
          target: { type: 'import_mapping', id: row.id },
          details: { entity: mapping.entity, columns: mapping.columns.length },
        });
        return storedOf(row);
      });
    },

    async findMapping(orgId, headers) {
      const row = await withTenant(db, { orgId }, (trx) =>
        trx.selectFrom('import_mapping').select(columnsOfRow).where('org_id', '=', orgId).where('header_signature', '=', mappingSignature(headers)).orderBy('updated_at', 'desc').executeTakeFirst(),
      );
      return row === undefined ? undefined : storedOf(row);
    },

    async listMappings(orgId) {
      const rows = await withTenant(db, { orgId }, (trx) => trx.selectFrom('import_mapping').select(columnsOfRow).where('org_id', '=', orgId).orderBy('name').orderBy('id').execute());
      return rows.map(storedOf);
    },

    async deleteMapping(orgId, id, actor = { userId: null, tokenId: null }) {
      await withTenant(db, { orgId }, async (trx) => {
        const deleted = await trx.deleteFrom('import_mapping').where('org_id', '=', orgId).where('id', '=', id).returning('entity').executeTakeFirst();
        if (deleted === undefined) throw new AppError('NOT_FOUND', 'No such import mapping.');
        await appendAuditEvent(trx, { orgId, action: 'import.mapping_deleted', actorUserId: actor.userId, actorTokenId: actor.tokenId, target: { type: 'import_mapping', id }, details: { entity: deleted.entity } });
      });
    },
  };
}
