import { campaignCategories, solicitationChannels } from './campaign-tags.js';

/**
 * The reference schema: the one normalised picture of an organisation's CRM data that every
 * import produces and every model reads. It is data, not prose: the mapping step suggests
 * columns from `aliases`, validation reads `type`/`required`/`values`, the storage layer encrypts
 * exactly the fields marked `personal`, and docs/reference-schema.md is checked against it.
 */
export type FieldType = 'external-id' | 'text' | 'date' | 'amount' | 'currency' | 'boolean' | 'integer' | 'choice';

export interface ReferenceField {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  /**
   * Personal data: stored encrypted under the organisation's key, never in logs or model
   * features. External ids are personal too — a CRM id finds the person in the CRM.
   */
  readonly personal: boolean;
  /** Allowed values of a `choice` field, in the words the app shows. */
  readonly values?: readonly string[];
  /** Header spellings that map to this field without asking (compared case- and punctuation-blind). */
  readonly aliases: readonly string[];
  readonly description: string;
}

export interface ReferenceEntity {
  readonly name: 'contacts' | 'campaigns' | 'gifts' | 'recurring_plans' | 'payment_failures' | 'communications';
  readonly description: string;
  readonly fields: readonly ReferenceField[];
}

const field = (name: string, type: FieldType, description: string, options: Partial<Omit<ReferenceField, 'name' | 'type' | 'description'>> = {}): ReferenceField => ({
  name,
  type,
  description,
  required: options.required ?? false,
  personal: options.personal ?? false,
  aliases: options.aliases ?? [],
  ...(options.values === undefined ? {} : { values: options.values }),
});

export const giftTypes = ['one-off', 'recurring instalment', 'pledge payment', 'bequest', 'in memoriam', 'event income', 'other'] as const;
export const planFrequencies = ['weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly'] as const;
export const planStatuses = ['active', 'paused', 'cancelled', 'completed', 'failed'] as const;
export const communicationResponses = ['no response', 'responded', 'opened', 'clicked', 'bounced', 'unsubscribed', 'declined'] as const;

export const referenceSchema: readonly ReferenceEntity[] = [
  {
    name: 'contacts',
    description: 'The people and organisations in the CRM, one row per CRM record.',
    fields: [
      field('external_id', 'external-id', 'The CRM record id (Contact Id, Constituent ID, contactid …); unique per organisation.', { required: true, personal: true, aliases: ['id', 'contact id', 'constituent id', 'contactid', 'supporter id', 'donor id', 'record id'] }),
      field('kind', 'choice', 'An individual or an organisation (company, trust, church, school …).', { values: ['individual', 'organisation'], aliases: ['type', 'contact type', 'constituent type', 'record type'] }),
      field('created_on', 'date', 'When the record was created in the CRM (the supporter\'s first appearance).', { aliases: ['created date', 'createddate', 'date added', 'createdon'] }),
      field('given_names', 'text', 'First and middle names.', { personal: true, aliases: ['first name', 'firstname', 'forename', 'given name'] }),
      field('family_name', 'text', 'Last name.', { personal: true, aliases: ['last name', 'lastname', 'surname'] }),
      field('organisation_name', 'text', 'Name of an organisation contact.', { personal: true, aliases: ['organisation name', 'organization name', 'account name', 'company'] }),
      field('email', 'text', 'Preferred e-mail address; also looked up exactly (by a keyed blind index).', { personal: true, aliases: ['email', 'e-mail', 'email address', 'emailaddress1', 'preferred email'] }),
      field('phone', 'text', 'Preferred phone number.', { personal: true, aliases: ['phone', 'telephone', 'mobile', 'mobilephone', 'home phone'] }),
      field('address_lines', 'text', 'Street address lines and town.', { personal: true, aliases: ['address', 'street', 'mailing street', 'address line 1', 'address1_line1'] }),
      field('postcode', 'text', 'Full postcode or ZIP. Stored encrypted; only its district (outward code) is kept readable for models.', { personal: true, aliases: ['postcode', 'post code', 'zip', 'zip code', 'postal code', 'mailing postal code'] }),
      field('region', 'text', 'County, state or region.', { aliases: ['region', 'county', 'state', 'mailing state', 'province'] }),
      field('country', 'text', 'Country (name or ISO code).', { aliases: ['country', 'mailing country'] }),
      field('date_of_birth', 'date', 'Date of birth. Stored encrypted; only the year is kept readable for models.', { personal: true, aliases: ['date of birth', 'birthdate', 'dob', 'birthday'] }),
      field('birth_year', 'integer', 'Year of birth when the CRM holds only the year.', { aliases: ['birth year', 'year of birth'] }),
      field('gender', 'choice', 'As recorded in the CRM.', { values: ['female', 'male', 'other', 'unknown'], aliases: ['gender', 'sex', 'gendercode'] }),
      field('deceased', 'boolean', 'The supporter has died: never solicited, still counted in history.', { aliases: ['deceased', 'is deceased', 'npsp__deceased__c'] }),
      field('do_not_mail', 'boolean', 'No postal mail.', { aliases: ['do not mail', 'donotpostalmail', 'no mail'] }),
      field('do_not_email', 'boolean', 'No e-mail.', { aliases: ['do not email', 'donotemail', 'email opt out', 'hasoptedoutofemail'] }),
      field('do_not_phone', 'boolean', 'No phone calls.', { aliases: ['do not phone', 'do not call', 'donotphone', 'donotcall'] }),
      field('no_address', 'boolean', 'No valid postal address (gone away).', { aliases: ['no address', 'gone away', 'invalid address'] }),
      field('notes', 'text', 'Free-text notes.', { personal: true, aliases: ['notes', 'description', 'comments'] }),
    ],
  },
  {
    name: 'campaigns',
    description: 'Campaigns and, one level down, their packages (appeal segments, mailing versions).',
    fields: [
      field('external_id', 'external-id', 'The CRM campaign, appeal or package id.', { required: true, aliases: ['id', 'campaign id', 'appeal id', 'package id', 'campaignid'] }),
      field('parent_external_id', 'external-id', 'For a package: the campaign it belongs to. Blank for a campaign.', { aliases: ['parent id', 'parentid', 'parent campaign', 'appeal', 'campaign'] }),
      field('name', 'text', 'The name fundraisers know it by.', { required: true, aliases: ['name', 'campaign name', 'appeal name', 'description'] }),
      field('code', 'text', 'Short code printed on response forms.', { aliases: ['code', 'campaign code', 'appeal code', 'source code', 'package code'] }),
      field('start_date', 'date', 'First day.', { aliases: ['start date', 'startdate', 'launch date', 'actualstart'] }),
      field('end_date', 'date', 'Last day.', { aliases: ['end date', 'enddate', 'actualend'] }),
      field('category', 'choice', 'What it asks for.', { values: campaignCategories, aliases: ['category', 'campaign type', 'type', 'appeal category'] }),
      field('channel', 'choice', 'How it reaches people.', { values: solicitationChannels, aliases: ['channel', 'medium', 'solicitation channel'] }),
      field('cost', 'amount', 'What it cost, for return on investment.', { aliases: ['cost', 'actual cost', 'actualcost', 'budgeted cost'] }),
    ],
  },
  {
    name: 'gifts',
    description: 'Money received: one row per gift or instalment, with its soft credits.',
    fields: [
      field('external_id', 'external-id', 'The CRM gift, opportunity or transaction id.', { required: true, aliases: ['id', 'gift id', 'opportunity id', 'transaction id', 'opportunityid'] }),
      field('contact_external_id', 'external-id', 'Who gave it (the contact\'s CRM id).', { required: true, personal: true, aliases: ['contact id', 'constituent id', 'donor id', 'supporter id', 'npsp__primary_contact__c', 'contactid'] }),
      field('date', 'date', 'When the gift was received.', { required: true, aliases: ['date', 'gift date', 'close date', 'closedate', 'received date', 'transaction date'] }),
      field('amount', 'amount', 'The amount, in `currency`.', { required: true, aliases: ['amount', 'gift amount', 'value', 'total'] }),
      field('currency', 'currency', 'ISO 4217 code; the organisation\'s currency when blank.', { aliases: ['currency', 'currency code', 'currencyisocode'] }),
      field('payment_method', 'text', 'Cash, cheque, card, direct debit …', { aliases: ['payment method', 'payment type', 'method'] }),
      field('campaign_external_id', 'external-id', 'The campaign that solicited it.', { aliases: ['campaign id', 'campaignid', 'appeal id', 'campaign'] }),
      field('package_external_id', 'external-id', 'The package (appeal segment) that solicited it.', { aliases: ['package id', 'package', 'segment'] }),
      field('type', 'choice', 'What kind of income it is.', { values: giftTypes, aliases: ['type', 'gift type', 'record type', 'income type'] }),
      field('recurring_plan_external_id', 'external-id', 'For an instalment: its recurring plan.', { aliases: ['recurring donation id', 'npe03__recurring_donation__c', 'commitment id', 'plan id'] }),
      field('soft_credit_contact_external_ids', 'text', 'Contacts who get credit without paying (e.g. a spouse), CRM ids separated by ";".', { personal: true, aliases: ['soft credits', 'soft credit contacts'] }),
    ],
  },
  {
    name: 'recurring_plans',
    description: 'Regular-giving commitments (direct debits, standing orders, recurring card payments).',
    fields: [
      field('external_id', 'external-id', 'The CRM recurring donation or commitment id.', { required: true, aliases: ['id', 'recurring donation id', 'commitment id', 'plan id'] }),
      field('contact_external_id', 'external-id', 'Who gives.', { required: true, personal: true, aliases: ['contact id', 'npe03__contact__c', 'constituent id', 'donor id'] }),
      field('start_date', 'date', 'First instalment due.', { required: true, aliases: ['start date', 'npe03__date_established__c', 'date established'] }),
      field('end_date', 'date', 'When it ended or was cancelled.', { aliases: ['end date', 'cancellation date', 'closed date', 'npsp__enddate__c'] }),
      field('cancellation_reason', 'text', 'Why it ended, in the CRM\'s words.', { aliases: ['cancellation reason', 'closed reason', 'npsp__closedreason__c'] }),
      field('frequency', 'choice', 'How often it pays.', { values: planFrequencies, aliases: ['frequency', 'installment period', 'npe03__installment_period__c', 'period'] }),
      field('amount', 'amount', 'The current instalment amount.', { required: true, aliases: ['amount', 'npe03__amount__c', 'instalment amount', 'installment amount'] }),
      field('currency', 'currency', 'ISO 4217 code; the organisation\'s currency when blank.', { aliases: ['currency', 'currencyisocode'] }),
      field('status', 'choice', 'Where it stands today.', { values: planStatuses, aliases: ['status', 'npsp__status__c', 'commitment status'] }),
      field('payment_failures', 'integer', 'Failed collections so far.', { aliases: ['payment failures', 'failed payments', 'failures'] }),
    ],
  },
  {
    name: 'payment_failures',
    description: 'Failed collections of recurring plans, one row per failure: when failures happen says more about churn than their count.',
    fields: [
      field('external_id', 'external-id', 'The CRM id of the failed payment, when it has one; else a failure is known by its plan and day.', { aliases: ['id', 'failure id', 'payment id', 'transaction id'] }),
      field('plan_external_id', 'external-id', 'The recurring plan whose collection failed.', { required: true, aliases: ['plan id', 'recurring plan id', 'recurring donation id', 'commitment id', 'recurring_plan_external_id'] }),
      field('date', 'date', 'When the collection failed.', { required: true, aliases: ['date', 'failed on', 'failure date', 'collection date', 'due date'] }),
      field('amount', 'amount', 'The amount that was not collected, in the plan\'s currency.', { aliases: ['amount', 'failed amount', 'instalment amount'] }),
      field('reason', 'text', 'Why it failed, in the bank\'s or the CRM\'s words (insufficient funds, instruction cancelled …).', { aliases: ['reason', 'failure reason', 'return reason', 'bacs reason'] }),
    ],
  },
  {
    name: 'communications',
    description: 'Who was sent what (campaign members): the solicitations behind response and channel models.',
    fields: [
      field('contact_external_id', 'external-id', 'Who was contacted.', { required: true, personal: true, aliases: ['contact id', 'contactid', 'constituent id', 'donor id', 'leadid'] }),
      field('campaign_external_id', 'external-id', 'The campaign.', { required: true, aliases: ['campaign id', 'campaignid', 'appeal id'] }),
      field('package_external_id', 'external-id', 'The package (segment, version) within it.', { aliases: ['package id', 'package', 'segment'] }),
      field('date', 'date', 'When it was sent.', { required: true, aliases: ['date', 'sent date', 'first responded date', 'createddate', 'action date'] }),
      field('channel', 'choice', 'How it was sent; the campaign\'s channel when blank.', { values: solicitationChannels, aliases: ['channel', 'medium'] }),
      field('response', 'choice', 'What came of it.', { values: communicationResponses, aliases: ['response', 'status', 'hasresponded', 'outcome'] }),
    ],
  },
];

export function entityNamed(name: ReferenceEntity['name']): ReferenceEntity {
  const entity = referenceSchema.find((candidate) => candidate.name === name);
  if (entity === undefined) throw new Error(`no reference entity ${name}`);
  return entity;
}
