import type { ImportPreset } from './preset-types.js';

/*
 * Microsoft Dynamics 365 with Fundraising and Engagement (the msnfp_ solution of Microsoft Cloud
 * for Nonprofit). Headers are Dataverse logical names, as Azure Synapse Link, the Data Export
 * Service and API-based exports write them; Excel exports from views write display names instead
 * and are mapped by hand. Choice columns are written as their labels (exports with raw option-set
 * integers need mapping by hand). Confident: the standard contact, account and campaign columns
 * (contactid, firstname, emailaddress1, address1_postalcode, donotemail, createdon, campaignid,
 * actualstart, totalactualcost, campaignresponse's regardingobjectid/responsecode/channeltypecode),
 * msnfp_transaction and msnfp_paymentschedule ids, msnfp_customerid, msnfp_amount,
 * msnfp_bookdate. Less sure: msnfp_package's columns, msnfp_recurringamount, msnfp_cancelationcode,
 * msnfp_isdeceased and the exported name of a campaign response's customer party. Campaign responses
 * record responses only: Dynamics keeps no row per person mailed, so response rates need the
 * marketing-list members as well (not mapped yet).
 */
export const dynamicsPreset: ImportPreset = {
  id: 'dynamics',
  name: 'Microsoft Dynamics 365 Fundraising and Engagement',
  // Dataverse exports write ISO 8601; a day-month column (an Excel export) is inferred from its cells.
  dayMonthOrder: null,
  decimalSeparator: '.',
  files: [
    {
      entity: 'contacts',
      label: 'contact',
      fileName: /^contacts?\.csv$/iu,
      columns: [
        { header: 'contactid', field: 'external_id' },
        { header: 'firstname', field: 'given_names' },
        { header: 'lastname', field: 'family_name' },
        { header: 'emailaddress1', field: 'email' },
        { header: 'telephone1', field: 'phone' },
        { header: 'address1_line1', field: 'address_lines' },
        { header: 'address1_city' },
        { header: 'address1_stateorprovince', field: 'region' },
        { header: 'address1_postalcode', field: 'postcode' },
        { header: 'address1_country', field: 'country' },
        { header: 'birthdate', field: 'date_of_birth' },
        { header: 'gendercode', field: 'gender' },
        { header: 'msnfp_isdeceased', field: 'deceased' },
        { header: 'donotpostalmail', field: 'do_not_mail' },
        { header: 'donotemail', field: 'do_not_email' },
        { header: 'donotphone', field: 'do_not_phone' },
        { header: 'createdon', field: 'created_on' },
      ],
      vocabularies: { gender: { Male: 'male', Female: 'female' } },
      defaults: { kind: 'individual' },
    },
    {
      entity: 'contacts',
      label: 'account',
      fileName: /^accounts?\.csv$/iu,
      columns: [
        { header: 'accountid', field: 'external_id' },
        { header: 'name', field: 'organisation_name' },
        { header: 'emailaddress1', field: 'email' },
        { header: 'telephone1', field: 'phone' },
        { header: 'address1_line1', field: 'address_lines' },
        { header: 'address1_postalcode', field: 'postcode' },
        { header: 'address1_country', field: 'country' },
        { header: 'createdon', field: 'created_on' },
      ],
      defaults: { kind: 'organisation' },
    },
    {
      entity: 'gifts',
      label: 'transaction',
      fileName: /^(?:msnfp_)?transactions?\.csv$/iu,
      columns: [
        { header: 'msnfp_transactionid', field: 'external_id' },
        { header: 'msnfp_customerid', field: 'contact_external_id' },
        { header: 'msnfp_bookdate', field: 'date' },
        { header: 'msnfp_amount', field: 'amount' },
        { header: 'msnfp_paymenttypecode', field: 'payment_method' },
        { header: 'msnfp_originatingcampaignid', field: 'campaign_external_id' },
        { header: 'msnfp_packageid', field: 'package_external_id' },
        { header: 'msnfp_transaction_paymentscheduleid', field: 'recurring_plan_external_id' },
        { header: 'statuscode' },
      ],
      defaults: { type: 'one-off' },
      rowFilter: { column: 'statuscode', keep: ['Completed'], why: 'Pending, failed and refunded transactions are not money received.' },
      derived: [{ field: 'type', value: 'recurring instalment', column: 'msnfp_transaction_paymentscheduleid', when: 'non-blank' }],
    },
    {
      entity: 'recurring_plans',
      label: 'payment schedule',
      fileName: /^(?:msnfp_)?payment[ _-]?schedules?\.csv$|^donor[ _-]?commitments?\.csv$/iu,
      columns: [
        { header: 'msnfp_paymentscheduleid', field: 'external_id' },
        { header: 'msnfp_customerid', field: 'contact_external_id' },
        { header: 'msnfp_firstpaymentdate', field: 'start_date' },
        { header: 'msnfp_cancelledon', field: 'end_date' },
        { header: 'msnfp_cancelationcode', field: 'cancellation_reason' },
        { header: 'msnfp_frequency', field: 'frequency' },
        { header: 'msnfp_recurringamount', field: 'amount' },
        { header: 'statuscode', field: 'status' },
      ],
      vocabularies: {
        frequency: { Weekly: 'weekly', Monthly: 'monthly', Quarterly: 'quarterly', 'Semi-Annually': 'half-yearly', Annually: 'yearly' },
        status: { Active: 'active', Paused: 'paused', Cancelled: 'cancelled', Canceled: 'cancelled', Completed: 'completed', Failed: 'failed' },
      },
    },
    {
      entity: 'campaigns',
      label: 'campaign',
      fileName: /^campaigns?\.csv$/iu,
      columns: [
        { header: 'campaignid', field: 'external_id' },
        { header: 'name', field: 'name' },
        { header: 'codename', field: 'code' },
        { header: 'typecode', field: 'category' },
        { header: 'actualstart', field: 'start_date' },
        { header: 'actualend', field: 'end_date' },
        { header: 'totalactualcost', field: 'cost' },
      ],
      // Dynamics' shipped campaign types; nonprofits usually add their own, which are asked.
      vocabularies: { category: { Event: 'Event', Other: 'Other', Advertisement: 'Acquisition', 'Direct Marketing': 'Appeal' } },
    },
    {
      entity: 'campaigns',
      label: 'package',
      fileName: /^(?:msnfp_)?packages?\.csv$/iu,
      columns: [
        { header: 'msnfp_packageid', field: 'external_id' },
        { header: 'msnfp_campaignid', field: 'parent_external_id' },
        { header: 'msnfp_name', field: 'name' },
        { header: 'msnfp_identifier', field: 'code' },
        { header: 'msnfp_startdate', field: 'start_date' },
        { header: 'msnfp_enddate', field: 'end_date' },
        { header: 'msnfp_costamount', field: 'cost' },
      ],
    },
    {
      entity: 'communications',
      label: 'campaign response',
      fileName: /^campaign[ _-]?responses?\.csv$/iu,
      columns: [
        { header: 'activityid' },
        { header: 'regardingobjectid', field: 'campaign_external_id' },
        { header: 'customer', field: 'contact_external_id' },
        { header: 'receivedon', field: 'date' },
        { header: 'channeltypecode', field: 'channel' },
        { header: 'responsecode', field: 'response' },
      ],
      vocabularies: {
        channel: { Phone: 'Phone', Email: 'Email', Letter: 'Direct Mail', Fax: 'Other', Appointment: 'Face-to-Face', Others: 'Other' },
        response: { Interested: 'responded', 'Not Interested': 'declined', 'Do Not Send Marketing Materials': 'unsubscribed', Error: 'bounced' },
      },
      defaults: { response: 'responded' },
    },
  ],
};
