import { describe, expect, it } from 'vitest';
import { isAppError } from '@kindling/errors';
import { mappingSignature, suggestSavedMapping, validateSavedMapping, type SavedMapping } from './saved-mapping.js';

/** The problems `validateSavedMapping` names for this mapping and file. */
function refusal(mapping: SavedMapping, headers: readonly string[]): string[] {
  try {
    validateSavedMapping(mapping, headers);
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return (error.details as { problems: string[] }).problems;
    throw error;
  }
  throw new Error('expected the mapping to be refused');
}

const contactsMapping = (columns: SavedMapping['columns']): SavedMapping => ({ entity: 'contacts', columns });

describe('mappingSignature', () => {
  it('recognises the same layout whatever the column order, case or punctuation', () => {
    expect(mappingSignature(['Donor ID', 'Wealth Score', 'Segment'])).toBe(mappingSignature(['segment', 'donor_id', 'WEALTH-SCORE']));
    expect(mappingSignature(['Donor ID', 'Wealth Score'])).not.toBe(mappingSignature(['Donor ID', 'Wealth Score', 'Segment']));
    expect(mappingSignature(['a'])).toMatch(/^[0-9a-f]{64}$/u);
  });
});

describe('suggestSavedMapping', () => {
  it('detects the entity, maps the headers it knows and leaves the rest for the person to keep as attributes', () => {
    const suggestion = suggestSavedMapping(['Gift ID', 'Donor ID', 'Gift Date', 'Amount', 'Mood']);
    expect(suggestion.mapping.entity).toBe('gifts');
    expect(suggestion.mapping.columns).toEqual([
      { header: 'Gift ID', target: { field: 'external_id' } },
      { header: 'Donor ID', target: { field: 'contact_external_id' } },
      { header: 'Gift Date', target: { field: 'date' } },
      { header: 'Amount', target: { field: 'amount' } },
      { header: 'Mood', target: null },
    ]);
    expect(suggestion.missingRequired).toEqual([]);
  });

  it('treats a file whose headers name no entity as contacts, and names what is missing and repeated', () => {
    const suggestion = suggestSavedMapping(['ID', 'reg1', 'reg1', 'avhv']);
    expect(suggestion.mapping.entity).toBe('contacts');
    expect(suggestion.mapping.columns.map((column) => column.target)).toEqual([{ field: 'external_id' }, null, null, null]);
    expect(suggestion.duplicateHeaders).toEqual(['reg1']);
    expect(suggestSavedMapping(['reg1', 'avhv']).missingRequired).toEqual(['external_id']);
  });

  it('follows the entity it is given', () => {
    const suggestion = suggestSavedMapping(['Plan ID', 'Date', 'Reason'], 'payment_failures');
    expect(suggestion.mapping.columns.map((column) => column.target)).toEqual([{ field: 'plan_external_id' }, { field: 'date' }, { field: 'reason' }]);
  });
});

describe('validateSavedMapping', () => {
  const headers = ['ID', 'Wealth', 'Segment', 'Email'];

  it('accepts its own suggestion for a file with an unnamed trailing column', () => {
    const trailing = ['ID', 'Wealth', ''];
    expect(() => {
      validateSavedMapping(suggestSavedMapping(trailing).mapping, trailing);
    }).not.toThrow();
  });

  it('accepts a mapping that fits the file', () => {
    const mapping = contactsMapping([
      { header: 'ID', target: { field: 'external_id' } },
      { header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } },
      { header: 'segment', target: { attribute: 'Segment', kind: 'categorical' } },
      { header: 'Email', target: null },
    ]);
    expect(() => {
      validateSavedMapping(mapping, headers);
    }).not.toThrow();
  });

  it('names every problem at once', () => {
    const mapping = contactsMapping([
      { header: 'Wealth', target: { field: 'net_worth' } },
      { header: 'Segment', target: { field: 'email' } },
      { header: 'Email', target: { field: 'email' } },
      { header: 'Postcode', target: { attribute: '1st code', kind: 'categorical' } },
    ]);
    expect(refusal(mapping, headers)).toEqual([
      '"net_worth" (header "Wealth") is not a field of contacts',
      'field email is mapped twice (headers "Segment" and "Email")',
      'attribute name "1st code" (header "Postcode") is not valid: start with a letter, then letters, digits, spaces or _ . - (at most 100)',
      'required field external_id has no column',
      'header "Postcode" is not in the file',
    ]);
  });

  it('refuses attributes on other entities, an attribute twice, a header twice, an unknown entity', () => {
    expect(refusal({ entity: 'gifts', columns: [{ header: 'Mood', target: { attribute: 'mood', kind: 'categorical' } }] }, ['Mood'])).toContain(
      'header "Mood": only contacts have custom attributes',
    );
    const twice = contactsMapping([
      { header: 'ID', target: { field: 'external_id' } },
      { header: 'Wealth', target: { attribute: 'score', kind: 'numeric' } },
      { header: 'Segment', target: { attribute: 'Score', kind: 'numeric' } },
      { header: 'wealth', target: null },
    ]);
    expect(refusal(twice, headers)).toEqual(['attribute Score is mapped twice', 'header "wealth" is mapped twice']);
    expect(refusal(contactsMapping([{ header: 'ID', target: { field: 'external_id' } }, { header: '', target: { attribute: 'extra', kind: 'numeric' } }]), ['ID', ''])).toEqual([
      'a column without a header cannot be mapped',
    ]);
    expect(refusal(contactsMapping([{ header: 'ID', target: { field: 'external_id' } }]), ['ID', 'id'])).toEqual(['header "ID" appears 2 times in the file']);
    expect(refusal({ entity: 'donors' as never, columns: [] }, [])[0]).toMatch(/^"donors" is not a reference entity/u);
  });
});
