import type { ImportPreset } from './preset-types.js';

/*
 * Salesforce Nonprofit Success Pack. Headers are API names, as Data Loader and the weekly Data
 * Export write them (file names: Data Export names files after the object; Data Loader writes
 * whatever the person chose, so rename to the object name). Confident: the standard fields and
 * the npe03__/npsp__ fields named below, which NPSP installs. Org-specific: picklist values —
 * StageName, Campaign Type and Opportunity Type are customised by most orgs; the vocabularies hold
 * the shipped defaults and common renamings, and anything else is asked, never guessed.
 * Not mapped: gender (no standard NPSP field), payment method (lives on npe01__OppPayment__c),
 * campaign category (no standard field; Campaign.Type is, by Salesforce's defaults, a channel).
 */
export const npspPreset: ImportPreset = {
  id: 'npsp',
  name: 'Salesforce Nonprofit Success Pack (NPSP)',
  // Data Loader and Data Export write ISO dates; report exports follow the user's locale, and US
  // orgs (the common case) write month first.
  dayMonthOrder: 'mdy',
  decimalSeparator: '.',
  files: [
    {
      entity: 'contacts',
      label: 'Contact',
      fileName: /^contacts?\.csv$/iu,
      columns: [
        { header: 'Id', field: 'external_id' },
        { header: 'AccountId' },
        { header: 'Salutation' },
        { header: 'FirstName', field: 'given_names' },
        { header: 'LastName', field: 'family_name' },
        { header: 'Email', field: 'email' },
        { header: 'Phone', field: 'phone' },
        { header: 'MobilePhone' },
        { header: 'MailingStreet', field: 'address_lines' },
        { header: 'MailingCity' },
        { header: 'MailingState', field: 'region' },
        { header: 'MailingPostalCode', field: 'postcode' },
        { header: 'MailingCountry', field: 'country' },
        { header: 'Birthdate', field: 'date_of_birth' },
        { header: 'npsp__Deceased__c', field: 'deceased' },
        { header: 'HasOptedOutOfEmail', field: 'do_not_email' },
        { header: 'DoNotCall', field: 'do_not_phone' },
        { header: 'npsp__Do_Not_Contact__c' },
        { header: 'CreatedDate', field: 'created_on' },
        { header: 'Description', field: 'notes' },
      ],
      defaults: { kind: 'individual' },
    },
    {
      entity: 'contacts',
      label: 'Account',
      fileName: /^accounts?\.csv$/iu,
      columns: [
        { header: 'Id', field: 'external_id' },
        { header: 'Name', field: 'organisation_name' },
        { header: 'Type' },
        { header: 'npe01__SYSTEMIsIndividual__c' },
        { header: 'BillingStreet', field: 'address_lines' },
        { header: 'BillingCity' },
        { header: 'BillingState', field: 'region' },
        { header: 'BillingPostalCode', field: 'postcode' },
        { header: 'BillingCountry', field: 'country' },
        { header: 'Phone', field: 'phone' },
        { header: 'CreatedDate', field: 'created_on' },
        { header: 'Description', field: 'notes' },
      ],
      defaults: { kind: 'organisation' },
      rowFilter: {
        column: 'npe01__SYSTEMIsIndividual__c',
        keep: ['false', '0'],
        why: 'Household accounts group individual contacts; only organisation accounts are donors in their own right.',
      },
    },
    {
      entity: 'gifts',
      label: 'Opportunity',
      fileName: /^opportunit(?:y|ies)\.csv$/iu,
      columns: [
        { header: 'Id', field: 'external_id' },
        { header: 'AccountId' },
        // Organisation gifts have an AccountId and no primary contact; they need the Account file's id mapped by hand.
        { header: 'npsp__Primary_Contact__c', field: 'contact_external_id' },
        { header: 'Name' },
        { header: 'StageName' },
        { header: 'CloseDate', field: 'date' },
        { header: 'Amount', field: 'amount' },
        { header: 'CurrencyIsoCode', field: 'currency' },
        { header: 'CampaignId', field: 'campaign_external_id' },
        { header: 'Type', field: 'type' },
        { header: 'npe03__Recurring_Donation__c', field: 'recurring_plan_external_id' },
      ],
      vocabularies: {
        type: {
          Donation: 'one-off',
          'Major Gift': 'one-off',
          Bequest: 'bequest',
          Legacy: 'bequest',
          'In Memoriam': 'in memoriam',
          Tribute: 'in memoriam',
          'Event Income': 'event income',
          'Pledge Payment': 'pledge payment',
          Other: 'other',
        },
      },
      defaults: { type: 'one-off' },
      rowFilter: {
        column: 'StageName',
        keep: ['Closed Won', 'Posted'],
        why: 'Only won opportunities are money received; open stages are asks and pledges, Closed Lost never arrived.',
      },
      derived: [{ field: 'type', value: 'recurring instalment', column: 'npe03__Recurring_Donation__c', when: 'non-blank' }],
    },
    {
      entity: 'recurring_plans',
      label: 'Recurring Donation',
      fileName: /^npe03__recurring_donation__c\.csv$|^recurring[ _-]?donations?\.csv$/iu,
      columns: [
        { header: 'Id', field: 'external_id' },
        { header: 'Name' },
        { header: 'npe03__Contact__c', field: 'contact_external_id' },
        { header: 'npe03__Organization__c' },
        { header: 'npe03__Amount__c', field: 'amount' },
        { header: 'CurrencyIsoCode', field: 'currency' },
        { header: 'npe03__Installment_Period__c', field: 'frequency' },
        { header: 'npe03__Date_Established__c', field: 'start_date' },
        { header: 'npsp__EndDate__c', field: 'end_date' },
        { header: 'npsp__Status__c', field: 'status' },
        { header: 'npsp__ClosedReason__c', field: 'cancellation_reason' },
      ],
      vocabularies: {
        frequency: { Weekly: 'weekly', Monthly: 'monthly', Quarterly: 'quarterly', Yearly: 'yearly' },
        // Enhanced Recurring Donations: Lapsed means missed instalments, which is a failing plan here.
        status: { Active: 'active', Paused: 'paused', Lapsed: 'failed', Closed: 'cancelled' },
      },
    },
    {
      entity: 'campaigns',
      label: 'Campaign',
      fileName: /^campaigns?\.csv$/iu,
      columns: [
        { header: 'Id', field: 'external_id' },
        { header: 'ParentId', field: 'parent_external_id' },
        { header: 'Name', field: 'name' },
        { header: 'Type', field: 'channel' },
        { header: 'Status' },
        { header: 'StartDate', field: 'start_date' },
        { header: 'EndDate', field: 'end_date' },
        { header: 'ActualCost', field: 'cost' },
        { header: 'IsActive' },
      ],
      vocabularies: {
        // Salesforce's shipped Campaign Type values describe the medium.
        channel: {
          'Direct Mail': 'Direct Mail',
          Email: 'Email',
          Telemarketing: 'Phone',
          Advertisement: 'Digital/Online',
          'Banner Ads': 'Digital/Online',
          Webinar: 'Digital/Online',
          Conference: 'Event',
          'Trade Show': 'Event',
          Event: 'Event',
          'Face-to-Face': 'Face-to-Face',
          Other: 'Other',
        },
      },
    },
    {
      entity: 'communications',
      label: 'Campaign Member',
      fileName: /^campaign[ _-]?members?\.csv$/iu,
      columns: [
        { header: 'Id' },
        { header: 'CampaignId', field: 'campaign_external_id' },
        { header: 'ContactId', field: 'contact_external_id' },
        { header: 'LeadId' },
        { header: 'Status' },
        { header: 'HasResponded', field: 'response' },
        { header: 'CreatedDate', field: 'date' },
        { header: 'FirstRespondedDate' },
      ],
      // Data Loader writes checkboxes as true/false. (Numeric keys would also reorder the object.)
      vocabularies: { response: { true: 'responded', false: 'no response' } },
    },
  ],
};
