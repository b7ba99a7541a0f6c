import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceSchema } from './reference-schema.js';

/** The table docs/reference-schema.md must carry for an entity, rendered from the schema. */
function documentedTable(entity: (typeof referenceSchema)[number]): string {
  const rows = entity.fields.map((field) => {
    const type = field.values === undefined ? field.type : `${field.type}: ${field.values.join(' · ')}`;
    return `| \`${field.name}\` | ${type} | ${field.required ? 'yes' : ''} | ${field.personal ? 'yes (encrypted)' : ''} | ${field.description} |`;
  });
  return ['| field | type | required | personal | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

describe('the reference schema', () => {
  it('is documented field by field in docs/reference-schema.md', () => {
    const document = readFileSync(fileURLToPath(new URL('../../../../docs/reference-schema.md', import.meta.url)), 'utf8');
    for (const entity of referenceSchema) {
      expect(document, `## ${entity.name}`).toContain(`## ${entity.name}\n\n${entity.description}\n\n${documentedTable(entity)}\n`);
    }
  });

  it('has unique field names and aliases per entity, and values for every choice', () => {
    for (const entity of referenceSchema) {
      const names = entity.fields.map((field) => field.name);
      expect(new Set(names).size, entity.name).toBe(names.length);
      const aliases = entity.fields.flatMap((field) => field.aliases);
      expect(new Set(aliases).size, `${entity.name} aliases`).toBe(aliases.length);
      for (const field of entity.fields) expect(field.type === 'choice', `${entity.name}.${field.name}`).toBe(field.values !== undefined);
    }
  });

  it('marks every name, address, contact detail and CRM person id as personal', () => {
    const contacts = referenceSchema.find((entity) => entity.name === 'contacts');
    const personal = contacts?.fields.filter((field) => field.personal).map((field) => field.name);
    expect(personal).toEqual(['external_id', 'given_names', 'family_name', 'organisation_name', 'email', 'phone', 'address_lines', 'postcode', 'date_of_birth', 'notes']);
    for (const entity of referenceSchema) {
      for (const field of entity.fields.filter((candidate) => candidate.name.startsWith('contact_external_id'))) expect(field.personal, `${entity.name}.${field.name}`).toBe(true);
    }
  });
});
