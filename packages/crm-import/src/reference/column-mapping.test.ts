import { describe, expect, it } from 'vitest';
import { detectEntity, headerKey, suggestMapping } from './column-mapping.js';

describe('suggestMapping', () => {
  it('maps headers whatever their case, spacing and punctuation', () => {
    expect(headerKey('First Name')).toBe(headerKey('first_name'));
    expect(headerKey('npe03__Contact__c')).toBe(headerKey('npe03__contact__c'));
    const suggestion = suggestMapping('gifts', ['Gift ID', 'Constituent ID', 'Gift Date', 'Gift Amount', 'Fund', 'Appeal ID']);
    expect(suggestion.mapping.columns).toEqual({ external_id: 0, contact_external_id: 1, date: 2, amount: 3, campaign_external_id: 5 });
    expect(suggestion.unmatchedHeaders).toEqual(['Fund']);
    expect(suggestion.missingRequired).toEqual([]);
  });

  it('names the required fields a file lacks, and headers that appear twice', () => {
    const suggestion = suggestMapping('gifts', ['Id', 'Amount', 'amount', 'Date']);
    expect(suggestion.missingRequired).toEqual(['contact_external_id', 'amount']);
    expect(suggestion.duplicateHeaders).toEqual(['Amount']);
  });

  it('keeps the first of two headers for one field and leaves the other to the user', () => {
    const suggestion = suggestMapping('contacts', ['Id', 'Contact Id', 'Email', 'Email Address']);
    expect(suggestion.mapping.columns).toEqual({ external_id: 0, email: 2 });
    expect(suggestion.unmatchedHeaders).toEqual(['Contact Id', 'Email Address']);
  });
});

describe('detectEntity', () => {
  it.each([
    [['Id', 'FirstName', 'LastName', 'Email', 'MailingPostalCode', 'Birthdate'], 'contacts'],
    [['Id', 'npsp__Primary_Contact__c', 'CloseDate', 'Amount', 'CampaignId'], 'gifts'],
    [['Id', 'npe03__Contact__c', 'npe03__Amount__c', 'npe03__Installment_Period__c', 'npe03__Date_Established__c', 'npsp__Status__c'], 'recurring_plans'],
    [['Id', 'Name', 'ParentId', 'Type', 'StartDate', 'ActualCost'], 'campaigns'],
    [['CampaignId', 'ContactId', 'HasResponded', 'CreatedDate'], 'communications'],
  ])('recognises %j as %s', (headers, entity) => {
    expect(detectEntity(headers)).toBe(entity);
  });

  it('recognises nothing in a file that is none of them', () => {
    expect(detectEntity(['TargetB', 'ID', 'TargetD', 'GiftCnt36'])).toBeUndefined();
  });
});
