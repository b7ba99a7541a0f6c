import type { ImportPreset } from './preset-types.js';

/*
 * Blackbaud Raiser's Edge NXT: the column headings of its list and query exports (database view
 * queries write "Constituent ID", "Gift date" …; the web view's lists write the same words in
 * sentence case). Confident: Constituent ID, First/Last name, Gift ID/date/amount/type, Appeal ID,
 * Package ID and the gift type values (Cash, Pay-Cash, Recurring Gift, Recurring Gift Pay-Cash,
 * MG Pay-Cash, Pledge …), installment frequencies and recurring gift statuses. Less sure: the exact
 * spelling of the solicit-code columns (organisations export them as "Do not mail" or "Requests no
 * mail"), "Recurring gift ID" on payments and the package "Channel" — check against a real export.
 * Organisations choose their query columns, so a file may hold more or fewer; extra ones stay unmatched.
 * Actions are interactions (calls, meetings), not solicitations: communications come from the
 * constituent appeals export instead. Package IDs repeat across appeals in RE; export them
 * prefixed by their appeal (e.g. "XMAS24-A") so each is unique.
 * Files are matched in order, so the more specific names come first.
 */
export const reNxtPreset: ImportPreset = {
  id: 're-nxt',
  name: "Blackbaud Raiser's Edge NXT",
  // UK databases (the ones this preset was written for) write day first; US ones month first.
  dayMonthOrder: 'dmy',
  decimalSeparator: '.',
  files: [
    {
      entity: 'communications',
      label: 'Constituent appeals',
      fileName: /constituent[ _-]?appeals?/iu,
      columns: [
        { header: 'Constituent ID', field: 'contact_external_id' },
        { header: 'Appeal ID', field: 'campaign_external_id' },
        { header: 'Package ID', field: 'package_external_id' },
        { header: 'Date', field: 'date' },
        { header: 'Response', field: 'response' },
      ],
      vocabularies: {
        response: { Responded: 'responded', Gave: 'responded', 'No response': 'no response', Declined: 'declined', 'Returned mail': 'bounced', Unsubscribed: 'unsubscribed' },
      },
    },
    {
      entity: 'contacts',
      label: 'Constituents',
      fileName: /constituents?/iu,
      columns: [
        { header: 'Constituent ID', field: 'external_id' },
        { header: 'Type', field: 'kind' },
        { header: 'Title' },
        { header: 'First name', field: 'given_names' },
        { header: 'Last name', field: 'family_name' },
        { header: 'Organization name', field: 'organisation_name' },
        { header: 'Email address', field: 'email' },
        { header: 'Phone number', field: 'phone' },
        { header: 'Address', field: 'address_lines' },
        { header: 'City' },
        { header: 'County', field: 'region' },
        { header: 'Postcode', field: 'postcode' },
        { header: 'Country', field: 'country' },
        { header: 'Birthdate', field: 'date_of_birth' },
        { header: 'Gender', field: 'gender' },
        { header: 'Deceased', field: 'deceased' },
        { header: 'Do not mail', field: 'do_not_mail' },
        { header: 'Do not email', field: 'do_not_email' },
        { header: 'Do not call', field: 'do_not_phone' },
        { header: 'Date added', field: 'created_on' },
      ],
      vocabularies: {
        kind: { Individual: 'individual', Organization: 'organisation', Organisation: 'organisation' },
        gender: { Female: 'female', Male: 'male', Unknown: 'unknown', Other: 'other' },
      },
    },
    {
      entity: 'recurring_plans',
      label: 'Recurring gifts',
      fileName: /recurring/iu,
      columns: [
        { header: 'Gift ID', field: 'external_id' },
        { header: 'Constituent ID', field: 'contact_external_id' },
        { header: 'Gift date', field: 'start_date' },
        { header: 'Gift amount', field: 'amount' },
        { header: 'Gift type' },
        { header: 'Installment frequency', field: 'frequency' },
        { header: 'Recurring gift status', field: 'status' },
        { header: 'Status date' },
      ],
      vocabularies: {
        frequency: { Weekly: 'weekly', Monthly: 'monthly', Quarterly: 'quarterly', 'Semi-Annually': 'half-yearly', Annually: 'yearly' },
        // Held: collections suspended at the donor's or bank's request; Terminated: cancelled.
        status: { Active: 'active', Held: 'paused', Terminated: 'cancelled', Completed: 'completed' },
      },
      rowFilter: { column: 'Gift type', keep: ['Recurring Gift'], why: 'The recurring gift record is the commitment; its payments are gifts of type Recurring Gift Pay-Cash.' },
    },
    {
      entity: 'gifts',
      label: 'Gifts',
      fileName: /gifts?/iu,
      columns: [
        { header: 'Gift ID', field: 'external_id' },
        { header: 'Constituent ID', field: 'contact_external_id' },
        { header: 'Gift date', field: 'date' },
        { header: 'Gift amount', field: 'amount' },
        { header: 'Gift type', field: 'type' },
        { header: 'Gift subtype' },
        { header: 'Payment method', field: 'payment_method' },
        { header: 'Fund ID' },
        { header: 'Campaign ID' },
        { header: 'Appeal ID', field: 'campaign_external_id' },
        { header: 'Package ID', field: 'package_external_id' },
        { header: 'Recurring gift ID', field: 'recurring_plan_external_id' },
      ],
      vocabularies: {
        type: {
          Cash: 'one-off',
          'Pay-Cash': 'pledge payment',
          'MG Pay-Cash': 'pledge payment',
          'Recurring Gift Pay-Cash': 'recurring instalment',
          'Stock/Property': 'other',
          'Stock/Property (Sold)': 'other',
          'Gift-in-Kind': 'other',
          Other: 'other',
        },
      },
      rowFilter: {
        column: 'Gift type',
        keep: ['Cash', 'Pay-Cash', 'MG Pay-Cash', 'Recurring Gift Pay-Cash', 'Stock/Property', 'Stock/Property (Sold)', 'Gift-in-Kind', 'Other'],
        why: 'Pledges and recurring gift records are promises, not money; write-offs cancel them.',
      },
      // RE has no bequest gift type: organisations mark legacies with a gift subtype.
      derived: [{ field: 'type', value: 'bequest', column: 'Gift subtype', when: ['Legacy', 'Bequest'] }],
    },
    {
      entity: 'campaigns',
      label: 'Packages',
      fileName: /packages?/iu,
      columns: [
        { header: 'Package ID', field: 'external_id' },
        { header: 'Appeal ID', field: 'parent_external_id' },
        { header: 'Description', field: 'name' },
        { header: 'Channel', field: 'channel' },
        { header: 'Start date', field: 'start_date' },
        { header: 'End date', field: 'end_date' },
        { header: 'Cost', field: 'cost' },
      ],
      vocabularies: {
        channel: { 'Direct mail': 'Direct Mail', Email: 'Email', Phone: 'Phone', Telemarketing: 'Phone', SMS: 'SMS', 'Face to face': 'Face-to-Face', Online: 'Digital/Online', Event: 'Event', Other: 'Other' },
      },
    },
    {
      entity: 'campaigns',
      label: 'Appeals',
      fileName: /appeals?/iu,
      columns: [
        { header: 'Appeal ID', field: 'external_id' },
        { header: 'Description', field: 'name' },
        { header: 'Category', field: 'category' },
        { header: 'Start date', field: 'start_date' },
        { header: 'End date', field: 'end_date' },
        { header: 'Goal' },
      ],
      vocabularies: {
        // Appeal categories are an organisation's own table; these are the usual UK entries.
        category: {
          Appeal: 'Appeal',
          'Cash appeal': 'Appeal',
          Newsletter: 'Newsletter',
          Acquisition: 'Acquisition',
          'Emergency appeal': 'Emergency',
          Emergency: 'Emergency',
          Event: 'Event',
          Raffle: 'Raffle/Lottery',
          Lottery: 'Raffle/Lottery',
          Legacy: 'Gifts in Will',
          'Gifts in Will': 'Gifts in Will',
          'Major gifts': 'Major Gifts',
          'Regular giving acquisition': 'RG Acquisition',
          'Regular giving upgrade': 'RG Upgrade',
          'Regular giving retention': 'RG Retention',
          'Regular giving reactivation': 'RG Reactivation',
          Other: 'Other',
        },
      },
    },
  ],
};
