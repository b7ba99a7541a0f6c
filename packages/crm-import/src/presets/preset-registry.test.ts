import { describe, expect, it } from 'vitest';
import { headerKey } from '../reference/column-mapping.js';
import { entityNamed } from '../reference/reference-schema.js';
import { presetChoiceValue, presetColumnMapping, presetFileFor, presetKeepsRow } from './preset-application.js';
import { importPresetNamed, importPresets } from './preset-registry.js';
import type { PresetFile } from './preset-types.js';

const everyFile = importPresets.flatMap((preset) => preset.files.map((file) => ({ preset: preset.id, label: file.label, file })));

function allowedValues(file: PresetFile, fieldName: string): readonly string[] | undefined {
  return entityNamed(file.entity).fields.find((field) => field.name === fieldName)?.values;
}

describe('import presets are valid data', () => {
  it.each(everyFile)('$preset $label maps only reference fields, each once, from distinct headers', ({ file }) => {
    const names = new Set(entityNamed(file.entity).fields.map((field) => field.name));
    const mapped = file.columns.flatMap((column) => (column.field === undefined ? [] : [column.field]));
    expect(mapped.filter((field) => !names.has(field))).toEqual([]);
    expect(new Set(mapped).size).toBe(mapped.length);
    const keys = file.columns.map((column) => headerKey(column.header));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(everyFile)('$preset $label covers the required fields of its entity', ({ file }) => {
    const suggestion = presetColumnMapping(file, file.columns.map((column) => column.header));
    expect(suggestion.missingRequired).toEqual([]);
    expect(suggestion.unmatchedHeaders).toEqual([]);
  });

  it.each(everyFile)('$preset $label maps CRM values only to allowed choice values', ({ file }) => {
    const targets = [
      ...Object.entries(file.vocabularies ?? {}).flatMap(([field, vocabulary]) => Object.values(vocabulary).map((value) => ({ field, value }))),
      ...Object.entries(file.defaults ?? {}).map(([field, value]) => ({ field, value })),
      ...(file.derived ?? []).map((rule) => ({ field: rule.field, value: rule.value })),
    ];
    for (const { field, value } of targets) {
      expect(allowedValues(file, field), `${field} is a choice field`).toBeDefined();
      expect(allowedValues(file, field)).toContain(value);
    }
  });

  it.each(everyFile)('$preset $label steers rules only by columns it has', ({ file }) => {
    const headers = new Set(file.columns.map((column) => column.header));
    const ruleColumns = [...(file.rowFilter === undefined ? [] : [file.rowFilter.column]), ...(file.derived ?? []).map((rule) => rule.column)];
    expect(ruleColumns.filter((column) => !headers.has(column))).toEqual([]);
    if (file.rowFilter !== undefined) expect(file.rowFilter.keep.length).toBeGreaterThan(0);
  });

  it('has one preset per id, each with at least contacts and gifts', () => {
    expect(new Set(importPresets.map((preset) => preset.id)).size).toBe(importPresets.length);
    for (const preset of importPresets) {
      const entities = new Set(preset.files.map((file) => file.entity));
      expect([...entities].sort(), preset.id).toEqual(expect.arrayContaining(['contacts', 'gifts', 'campaigns']));
    }
  });
});

describe('recognising files in a zip', () => {
  it.each([
    ['generic', 'exports/recurring_plans.csv', 'recurring_plans.csv'],
    ['npsp', 'Contact.csv', 'Contact'],
    ['npsp', 'npe03__Recurring_Donation__c.csv', 'Recurring Donation'],
    ['npsp', 'CampaignMember.csv', 'Campaign Member'],
    ['npsp', 'Campaign.csv', 'Campaign'],
    ['re-nxt', 'Constituent appeals 2024.csv', 'Constituent appeals'],
    ['re-nxt', 'constituents.csv', 'Constituents'],
    ['re-nxt', 'recurring_gifts.csv', 'Recurring gifts'],
    ['re-nxt', 'gifts.csv', 'Gifts'],
    ['dynamics', 'msnfp_transaction.csv', 'transaction'],
    ['civicrm', 'contributions.csv', 'Contributions'],
    ['civicrm', 'contribution_recur.csv', 'Recurring contributions'],
  ] as const)('%s: %s is the %s export', (presetId, fileName, label) => {
    expect(presetFileFor(importPresetNamed(presetId), fileName)?.label).toBe(label);
  });

  it('knows nothing of a file the CRM does not write', () => {
    expect(presetFileFor(importPresetNamed('npsp'), 'Lead.csv')).toBeUndefined();
  });
});

describe('applying a preset to rows', () => {
  const npsp = importPresetNamed('npsp');
  const opportunity = npsp.files.find((file) => file.label === 'Opportunity');
  const recurring = npsp.files.find((file) => file.label === 'Recurring Donation');
  const reGifts = importPresetNamed('re-nxt').files.find((file) => file.label === 'Gifts');
  if (opportunity === undefined || recurring === undefined || reGifts === undefined) throw new Error('preset files missing');
  const row = (cells: Record<string, string>) => (header: string) => cells[header];

  it('maps exact headers case-blind, reports unknown and repeated ones', () => {
    const suggestion = presetColumnMapping(opportunity, ['ID', 'npsp__primary_contact__c', 'CloseDate', 'Amount', 'StageName', 'Custom__c', 'CampaignId', 'campaignid']);
    expect(suggestion.mapping.columns).toEqual({ external_id: 0, contact_external_id: 1, date: 2, amount: 3 });
    expect(suggestion.unmatchedHeaders).toEqual(['Custom__c']);
    expect(suggestion.duplicateHeaders).toEqual(['CampaignId']);
    expect(presetColumnMapping(opportunity, ['Id', 'Amount']).missingRequired).toEqual(['contact_external_id', 'date']);
  });

  it('keeps only won opportunities and only money-bearing RE gift types', () => {
    expect(presetKeepsRow(opportunity, row({ StageName: 'Closed Won' }))).toBe(true);
    expect(presetKeepsRow(opportunity, row({ StageName: ' closed won ' }))).toBe(true);
    expect(presetKeepsRow(opportunity, row({ StageName: 'Closed Lost' }))).toBe(false);
    expect(presetKeepsRow(opportunity, row({ StageName: 'Pledged' }))).toBe(false);
    expect(presetKeepsRow(reGifts, row({ 'Gift type': 'Recurring Gift Pay-Cash' }))).toBe(true);
    expect(presetKeepsRow(reGifts, row({ 'Gift type': 'Pledge' }))).toBe(false);
  });

  it('reads choice values through vocabularies, derived rules and defaults', () => {
    expect(presetChoiceValue(recurring, 'frequency', row({ npe03__Installment_Period__c: 'Monthly' }))).toBe('monthly');
    expect(presetChoiceValue(recurring, 'frequency', row({ npe03__Installment_Period__c: '1st and 15th' }))).toBeUndefined();
    expect(presetChoiceValue(opportunity, 'type', row({ npe03__Recurring_Donation__c: 'a0A000000000001AAA', Type: 'Donation' }))).toBe('recurring instalment');
    expect(presetChoiceValue(opportunity, 'type', row({ npe03__Recurring_Donation__c: '', Type: '' }))).toBe('one-off');
    expect(presetChoiceValue(reGifts, 'type', row({ 'Gift type': 'Recurring Gift Pay-Cash', 'Gift subtype': '' }))).toBe('recurring instalment');
    expect(presetChoiceValue(reGifts, 'type', row({ 'Gift type': 'Cash', 'Gift subtype': 'Legacy' }))).toBe('bequest');
  });

  it('gives each preset a date-order default and a decimal separator', () => {
    expect(npsp.dayMonthOrder).toBe('mdy');
    expect(importPresetNamed('re-nxt').dayMonthOrder).toBe('dmy');
    expect(importPresetNamed('dynamics').dayMonthOrder).toBeNull();
  });
});
