import { describe, expect, it } from 'vitest';
import type { InspectedFile } from './imports-api';
import {
  attributeName,
  choiceGroups,
  choiceValue,
  initialReview,
  mappingProblems,
  needsMapping,
  parseChoiceValue,
  reviewProblems,
  startRequest,
  suggestedPreset,
  withChoice,
  withEntity,
} from './mapping-state';

const supporters: InspectedFile = {
  uploadId: 'up-1',
  fileName: 'supporters.csv',
  entity: 'contacts',
  presetMatches: [],
  headers: ['Supporter ID', 'First name', 'Surname', 'Loyalty score (%)', 'Membership'],
  mapping: {
    entity: 'contacts',
    columns: [
      { header: 'Supporter ID', target: { field: 'external_id' } },
      { header: 'First name', target: { field: 'given_names' } },
      { header: 'Surname', target: { field: 'family_name' } },
      { header: 'Loyalty score (%)', target: null },
      { header: 'Membership', target: { attribute: 'Membership', kind: 'categorical' } },
    ],
  },
  missingRequired: [],
  duplicateHeaders: [],
  problem: null,
};

const npspGifts: InspectedFile = {
  uploadId: 'up-2',
  fileName: 'Opportunity.csv',
  entity: 'gifts',
  presetMatches: ['npsp'],
  headers: ['Id', 'Amount'],
  mapping: null,
  missingRequired: ['date'],
  duplicateHeaders: [],
  problem: null,
};

describe('the review of uploaded files', () => {
  it('starts from the saved or suggested mapping, and the preset that knows most files', () => {
    const review = initialReview([supporters, npspGifts]);
    expect(review.preset).toBe('npsp');
    expect(review.mode).toBe('delta');
    const [file] = review.files;
    expect(file?.choices.map(choiceValue)).toEqual(['field:external_id', 'field:given_names', 'field:family_name', 'skip', 'attribute:categorical']);
    expect(review.files[1]?.presetMissing).toEqual(['date']);
    expect(suggestedPreset([supporters])).toBe('custom');
    // Headers that name no entity: the suggested mapping's entity is the starting point.
    expect(initialReview([{ ...supporters, entity: null }]).files[0]?.entity).toBe('contacts');
    expect(initialReview([{ ...supporters, entity: null, mapping: null }]).files[0]?.entity).toBeNull();
  });

  it('asks for a mapping only for files the chosen preset does not know', () => {
    const [file, gifts] = initialReview([supporters, npspGifts]).files;
    if (!file || !gifts) throw new Error('two files expected');
    expect(needsMapping(file, 'npsp')).toBe(true);
    expect(needsMapping(gifts, 'npsp')).toBe(false);
    expect(needsMapping(gifts, 'custom')).toBe(true);
  });

  it('names the required fields no column is chosen for, and a field chosen twice', () => {
    const [file] = initialReview([supporters]).files;
    if (!file) throw new Error('a file expected');
    expect(mappingProblems(file)).toEqual([]);
    const noId = withChoice(file, 0, { kind: 'skip' });
    expect(mappingProblems(noId)).toEqual(['Choose a column for “CRM id of the contact”.']);
    const twice = withChoice(file, 2, { kind: 'field', field: 'given_names' });
    expect(mappingProblems(twice)).toEqual(['“First names” is chosen for “First name” and “Surname”: choose it for one column only.']);
    const asGifts = withEntity(file, 'gifts');
    expect(mappingProblems(asGifts)).toEqual(['Choose a column for “CRM id of the donor”, “Gift date” and “Amount”.']);
  });

  it('keeps custom attributes to contacts, and only fields the new entity has when the entity changes', () => {
    const [file] = initialReview([supporters]).files;
    if (!file) throw new Error('a file expected');
    const asGifts = withEntity(file, 'gifts');
    expect(asGifts.choices.map(choiceValue)).toEqual(['field:external_id', 'skip', 'skip', 'skip', 'skip']);
    expect(choiceGroups('gifts').map((group) => group.group)).toEqual(['Import as', 'Leave out']);
    expect(choiceGroups('contacts').map((group) => group.group)).toEqual(['Import as', 'Keep as a custom attribute', 'Leave out']);
    expect(choiceGroups('contacts')[0]?.items[0]).toEqual({ value: 'field:external_id', label: 'CRM id of the contact (required)' });
  });

  it('refuses to map a file whose header row repeats a name, and one that cannot be read', () => {
    const repeated = initialReview([{ ...supporters, duplicateHeaders: ['Surname'] }]);
    expect(repeated.files[0]?.choices.map(choiceValue)[2]).toBe('skip');
    expect(reviewProblems(repeated)).toEqual([
      { fileName: 'supporters.csv', problems: ['The header row names “Surname” more than once. Rename the repeated columns in the file and upload it again.'] },
    ]);
    const unreadable = initialReview([{ ...npspGifts, problem: 'Opportunity.csv line 1: not a text file.' }]);
    expect(reviewProblems(unreadable)).toEqual([{ fileName: 'Opportunity.csv', problems: ['Opportunity.csv line 1: not a text file.'] }]);
  });

  it('builds the start request: one upload per zip, a mapping per unknown file, attributes named from headers, answers when given', () => {
    const zipped = { ...npspGifts, fileName: 'export.zip/Opportunity.csv', presetMatches: ['npsp' as const], missingRequired: [] };
    const review = initialReview([supporters, zipped, { ...zipped, fileName: 'export.zip/Contact.csv', entity: 'contacts' }]);
    const file = review.files[0];
    if (!file) throw new Error('a file expected');
    const changed = { ...review, mode: 'complete' as const, files: [withChoice(file, 3, parseChoiceValue('attribute:numeric')), ...review.files.slice(1)] };
    const request = startRequest(changed, { 'supporters.csv': ['dmy'] });
    expect(request).toEqual({
      uploadIds: ['up-1', 'up-2'],
      preset: 'npsp',
      mode: 'complete',
      saveMappings: true,
      answers: { 'supporters.csv': ['dmy'] },
      mappings: [
        {
          fileName: 'supporters.csv',
          mapping: {
            entity: 'contacts',
            columns: [
              { header: 'Supporter ID', target: { field: 'external_id' } },
              { header: 'First name', target: { field: 'given_names' } },
              { header: 'Surname', target: { field: 'family_name' } },
              { header: 'Loyalty score (%)', target: { attribute: 'Loyalty score', kind: 'numeric' } },
              { header: 'Membership', target: { attribute: 'Membership', kind: 'categorical' } },
            ],
          },
        },
      ],
    });
    expect(startRequest({ ...review, files: review.files.slice(1) })).toEqual({ uploadIds: ['up-2'], preset: 'npsp', mode: 'delta' });
  });

  it('names attributes the way the server accepts: a letter first, no symbols, at most 100 characters', () => {
    expect(attributeName('Loyalty score (%)')).toBe('Loyalty score');
    expect(attributeName('2024 band')).toBe('Attribute 2024 band');
    expect(attributeName('Région / zone')).toBe('Région zone');
    expect(attributeName('x'.repeat(300))).toHaveLength(100);
  });
});
