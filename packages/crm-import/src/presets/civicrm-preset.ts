import type { ImportPreset } from './preset-types.js';

/*
 * CiviCRM: the headings its search-results export ("Export Contacts", "Export Contributions")
 * writes, which are the fields' labels. Confident: Contact ID, Contact Type, the name, e-mail and
 * address labels, the privacy flags, Contribution ID, Date Received, Total Amount, Financial Type,
 * Contribution Status and their shipped values. Less sure: the recurring-contribution and campaign
 * exports, which come from SearchKit/API4 where headings are whatever the saved search names them.
 * Households are neither individuals nor organisations here: their rows are asked about.
 * Recurring contributions every 3 months are "month" with interval 3: the interval column is not
 * read, so such plans need their frequency mapped by hand.
 */
export const civicrmPreset: ImportPreset = {
  id: 'civicrm',
  name: 'CiviCRM',
  // CiviCRM exports write ISO dates with a time ("2024-03-31 14:05:00").
  dayMonthOrder: null,
  decimalSeparator: '.',
  files: [
    {
      entity: 'recurring_plans',
      label: 'Recurring contributions',
      fileName: /recur/iu,
      columns: [
        { header: 'ID', field: 'external_id' },
        { header: 'Contact ID', field: 'contact_external_id' },
        { header: 'Amount', field: 'amount' },
        { header: 'Currency', field: 'currency' },
        { header: 'Frequency Unit', field: 'frequency' },
        { header: 'Frequency Interval' },
        { header: 'Start Date', field: 'start_date' },
        { header: 'Cancel Date', field: 'end_date' },
        { header: 'Cancel Reason', field: 'cancellation_reason' },
        { header: 'Status', field: 'status' },
        { header: 'Failure Count', field: 'payment_failures' },
      ],
      vocabularies: {
        frequency: { week: 'weekly', month: 'monthly', year: 'yearly' },
        status: { 'In Progress': 'active', Pending: 'active', Overdue: 'failed', Failed: 'failed', Cancelled: 'cancelled', Completed: 'completed' },
      },
    },
    {
      entity: 'gifts',
      label: 'Contributions',
      fileName: /contributions?/iu,
      columns: [
        { header: 'Contribution ID', field: 'external_id' },
        { header: 'Contact ID', field: 'contact_external_id' },
        { header: 'Date Received', field: 'date' },
        { header: 'Total Amount', field: 'amount' },
        { header: 'Currency', field: 'currency' },
        { header: 'Financial Type', field: 'type' },
        { header: 'Payment Method', field: 'payment_method' },
        { header: 'Contribution Status' },
        { header: 'Campaign ID', field: 'campaign_external_id' },
        { header: 'Recurring Contribution ID', field: 'recurring_plan_external_id' },
      ],
      vocabularies: { type: { Donation: 'one-off', 'Campaign Contribution': 'one-off', 'Event Fee': 'event income', 'Member Dues': 'other' } },
      defaults: { type: 'one-off' },
      rowFilter: { column: 'Contribution Status', keep: ['Completed'], why: 'Pending, cancelled, failed and refunded contributions are not money received.' },
      derived: [{ field: 'type', value: 'recurring instalment', column: 'Recurring Contribution ID', when: 'non-blank' }],
    },
    {
      entity: 'campaigns',
      label: 'Campaigns',
      fileName: /campaigns?/iu,
      columns: [
        { header: 'ID', field: 'external_id' },
        { header: 'Parent ID', field: 'parent_external_id' },
        { header: 'Title', field: 'name' },
        { header: 'External ID', field: 'code' },
        { header: 'Campaign Type', field: 'category' },
        { header: 'Start Date', field: 'start_date' },
        { header: 'End Date', field: 'end_date' },
      ],
      vocabularies: { category: { 'Direct Mail': 'Appeal', 'Referral Program': 'Acquisition', Constituent_Engagement: 'Community', Constituent_engagement: 'Community', Other: 'Other' } },
    },
    {
      entity: 'communications',
      label: 'Activities',
      fileName: /activit(?:y|ies)|mailings?/iu,
      columns: [
        { header: 'Activity ID' },
        { header: 'Target Contact ID', field: 'contact_external_id' },
        { header: 'Campaign ID', field: 'campaign_external_id' },
        { header: 'Activity Date', field: 'date' },
        { header: 'Activity Type', field: 'channel' },
        { header: 'Activity Status' },
      ],
      vocabularies: { channel: { Email: 'Email', 'Bulk Email': 'Email', 'Phone Call': 'Phone', SMS: 'SMS', 'Mass SMS': 'SMS', Meeting: 'Face-to-Face', 'Print PDF Letter': 'Direct Mail' } },
    },
    {
      entity: 'contacts',
      label: 'Contacts',
      fileName: /contacts?/iu,
      columns: [
        { header: 'Contact ID', field: 'external_id' },
        { header: 'Contact Type', field: 'kind' },
        { header: 'First Name', field: 'given_names' },
        { header: 'Last Name', field: 'family_name' },
        { header: 'Organization Name', field: 'organisation_name' },
        { header: 'Email', field: 'email' },
        { header: 'Phone', field: 'phone' },
        { header: 'Street Address', field: 'address_lines' },
        { header: 'City' },
        { header: 'State', field: 'region' },
        { header: 'Postal Code', field: 'postcode' },
        { header: 'Country', field: 'country' },
        { header: 'Birth Date', field: 'date_of_birth' },
        { header: 'Gender', field: 'gender' },
        { header: 'Deceased', field: 'deceased' },
        { header: 'Do Not Email', field: 'do_not_email' },
        { header: 'Do Not Phone', field: 'do_not_phone' },
        { header: 'Do Not Mail', field: 'do_not_mail' },
        { header: 'Created Date', field: 'created_on' },
      ],
      vocabularies: {
        kind: { Individual: 'individual', Organization: 'organisation' },
        gender: { Female: 'female', Male: 'male', Other: 'other' },
      },
    },
  ],
};
