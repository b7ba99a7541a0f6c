import type { ImportPreset } from './preset-types.js';

/*
 * Donorfy (UK). Headings follow Donorfy's import templates and list exports, which write field
 * names run together ("FirstName", "PostalCode"). Least certain of the presets: Donorfy lets each
 * organisation shape its exports, campaigns are referred to by name rather than an id, and the
 * recurring-payment export's headings were not checked against a live account. Treat it as a
 * starting point that the mapping screen corrects.
 */
export const donorfyPreset: ImportPreset = {
  id: 'donorfy',
  name: 'Donorfy',
  dayMonthOrder: 'dmy',
  decimalSeparator: '.',
  files: [
    {
      entity: 'contacts',
      label: 'Constituents',
      fileName: /constituents?/iu,
      columns: [
        { header: 'ConstituentNumber', field: 'external_id' },
        { header: 'ConstituentType', field: 'kind' },
        { header: 'Title' },
        { header: 'FirstName', field: 'given_names' },
        { header: 'LastName', field: 'family_name' },
        { header: 'OrganisationName', field: 'organisation_name' },
        { header: 'AddressLine1', field: 'address_lines' },
        { header: 'Town' },
        { header: 'County', field: 'region' },
        { header: 'PostalCode', field: 'postcode' },
        { header: 'Country', field: 'country' },
        { header: 'EmailAddress', field: 'email' },
        { header: 'Phone1', field: 'phone' },
        { header: 'DateOfBirth', field: 'date_of_birth' },
        { header: 'Gender', field: 'gender' },
        { header: 'RecordedDeceased', field: 'deceased' },
        { header: 'CreatedDateTime', field: 'created_on' },
      ],
      vocabularies: {
        kind: { Individual: 'individual', Organisation: 'organisation', Company: 'organisation', Trust: 'organisation' },
        gender: { Female: 'female', Male: 'male', Other: 'other', Unknown: 'unknown' },
      },
    },
    {
      entity: 'recurring_plans',
      label: 'Recurring payments',
      fileName: /recurring|direct[ _-]?debit|standing[ _-]?order/iu,
      columns: [
        { header: 'RecurringPaymentId', field: 'external_id' },
        { header: 'ConstituentNumber', field: 'contact_external_id' },
        { header: 'StartDate', field: 'start_date' },
        { header: 'EndDate', field: 'end_date' },
        { header: 'Amount', field: 'amount' },
        { header: 'Frequency', field: 'frequency' },
        { header: 'Status', field: 'status' },
        { header: 'CancellationReason', field: 'cancellation_reason' },
      ],
      vocabularies: {
        frequency: { Weekly: 'weekly', Monthly: 'monthly', Quarterly: 'quarterly', 'Half Yearly': 'half-yearly', Annually: 'yearly', Yearly: 'yearly' },
        status: { Active: 'active', Live: 'active', Paused: 'paused', Cancelled: 'cancelled', Completed: 'completed', Failed: 'failed' },
      },
    },
    {
      entity: 'gifts',
      label: 'Transactions',
      fileName: /transactions?|donations?/iu,
      columns: [
        { header: 'TransactionId', field: 'external_id' },
        { header: 'ConstituentNumber', field: 'contact_external_id' },
        { header: 'Date', field: 'date' },
        { header: 'Amount', field: 'amount' },
        { header: 'Product', field: 'type' },
        { header: 'PaymentMethod', field: 'payment_method' },
        { header: 'Campaign', field: 'campaign_external_id' },
        { header: 'Fund' },
        { header: 'RecurringPaymentId', field: 'recurring_plan_external_id' },
      ],
      vocabularies: {
        type: { Donation: 'one-off', 'Regular Donation': 'recurring instalment', Legacy: 'bequest', 'In Memory': 'in memoriam', 'Event Income': 'event income', Other: 'other' },
      },
      defaults: { type: 'one-off' },
    },
    {
      entity: 'campaigns',
      label: 'Campaigns',
      fileName: /campaigns?/iu,
      columns: [
        { header: 'Campaign', field: 'external_id' },
        { header: 'CampaignName', field: 'name' },
        { header: 'CampaignType', field: 'category' },
        { header: 'StartDate', field: 'start_date' },
        { header: 'EndDate', field: 'end_date' },
        { header: 'Cost', field: 'cost' },
      ],
    },
    {
      entity: 'communications',
      label: 'Activities',
      fileName: /activit(?:y|ies)/iu,
      columns: [
        { header: 'ConstituentNumber', field: 'contact_external_id' },
        { header: 'Campaign', field: 'campaign_external_id' },
        { header: 'ActivityDate', field: 'date' },
        { header: 'ActivityType', field: 'channel' },
      ],
      vocabularies: { channel: { Email: 'Email', Letter: 'Direct Mail', Mailing: 'Direct Mail', 'Phone Call': 'Phone', SMS: 'SMS', Event: 'Event', Other: 'Other' } },
    },
  ],
};
