import { referenceSchema } from '@kindling/crm-import';
import { describe, expect, it } from 'vitest';
import { ENTITY_LABELS, countOf, entityLabel, fieldLabel } from './reference-fields';

describe('the mapping table’s field labels', () => {
  it('name exactly the reference schema’s entities and fields, required ones marked', () => {
    const labelled = ENTITY_LABELS.map((entity) => ({ name: entity.name, fields: entity.fields.map(({ name, required }) => ({ name, required })) }));
    const schema = referenceSchema.map((entity) => ({ name: entity.name, fields: entity.fields.map(({ name, required }) => ({ name, required })) }));
    expect(labelled).toEqual(schema);
  });

  it('fall back to readable raw names for what this version does not know', () => {
    expect(entityLabel('gifts')).toBe('Gifts');
    expect(entityLabel('event_tickets')).toBe('event tickets');
    expect(fieldLabel('gifts', 'contact_external_id')).toBe('CRM id of the donor');
    expect(fieldLabel('gifts', 'gift_aid')).toBe('gift aid');
    expect(countOf('contacts', 1)).toBe('1 contact');
    expect(countOf('recurring_plans', 2_500)).toBe('2,500 recurring plans');
  });
});
