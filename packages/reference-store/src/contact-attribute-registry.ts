import type { PresetAttribute } from '@kindling/crm-import';
import type { TenantTransaction } from '@kindling/db';
import { AppError } from '@kindling/errors';

/**
 * Registers the custom attributes an import brings (kind from its mapping). An attribute the
 * organisation already keeps with the other kind refuses the import: one column of numbers and
 * one of categories under the same name would make the feature meaningless.
 */
export async function registerContactAttributes(trx: TenantTransaction, orgId: string, fileName: string, attributes: readonly PresetAttribute[]): Promise<void> {
  if (attributes.length === 0) return;
  await trx
    .insertInto('contact_attribute')
    .values(attributes.map((attribute) => ({ org_id: orgId, name: attribute.name, kind: attribute.kind })))
    .onConflict((conflict) => conflict.columns(['org_id', 'name']).doNothing())
    .execute();
  const stored = await trx.selectFrom('contact_attribute').select(['name', 'kind']).where('org_id', '=', orgId).where('name', 'in', attributes.map((attribute) => attribute.name)).execute();
  const kindOf = new Map(stored.map((row) => [row.name, row.kind]));
  const clashes = attributes.filter((attribute) => kindOf.get(attribute.name) !== attribute.kind);
  if (clashes.length > 0) {
    const named = clashes.map((attribute) => `${attribute.name} is ${kindOf.get(attribute.name) ?? 'unknown'}, the mapping says ${attribute.kind}`).join('; ');
    throw new AppError('VALIDATION_FAILED', `${fileName}: custom attributes already kept with another kind (${named}). Rename the attribute in the mapping. Nothing was changed.`);
  }
}
