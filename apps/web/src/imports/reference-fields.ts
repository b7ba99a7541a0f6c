/**
 * The reference schema's entities and fields in the words staff use, for the mapping table. The
 * schema itself lives in @kindling/crm-import (the web app reaches it only through the API);
 * reference-fields.test.ts holds this list equal to it, field by field.
 */

export interface FieldLabel {
  name: string;
  label: string;
  required: boolean;
}

export interface EntityLabels {
  name: string;
  /** "Contacts (supporters)": what a file of these rows holds. */
  label: string;
  /** One row, for sentences: "1 contact". */
  singular: string;
  plural: string;
  fields: readonly FieldLabel[];
}

const required = (name: string, label: string): FieldLabel => ({ name, label, required: true });
const optional = (name: string, label: string): FieldLabel => ({ name, label, required: false });

export const ENTITY_LABELS: readonly EntityLabels[] = [
  {
    name: 'contacts',
    label: 'Contacts (supporters)',
    singular: 'contact',
    plural: 'contacts',
    fields: [
      required('external_id', 'CRM id of the contact'),
      optional('kind', 'Individual or organisation'),
      optional('created_on', 'Date created in the CRM'),
      optional('given_names', 'First names'),
      optional('family_name', 'Last name'),
      optional('organisation_name', 'Organisation name'),
      optional('email', 'E-mail address'),
      optional('phone', 'Phone number'),
      optional('address_lines', 'Street address'),
      optional('postcode', 'Postcode or ZIP'),
      optional('region', 'County, state or region'),
      optional('country', 'Country'),
      optional('date_of_birth', 'Date of birth'),
      optional('birth_year', 'Year of birth'),
      optional('gender', 'Gender'),
      optional('deceased', 'Deceased'),
      optional('do_not_mail', 'Do not mail'),
      optional('do_not_email', 'Do not e-mail'),
      optional('do_not_phone', 'Do not phone'),
      optional('no_address', 'No valid address'),
      optional('notes', 'Notes'),
    ],
  },
  {
    name: 'campaigns',
    label: 'Campaigns and packages',
    singular: 'campaign',
    plural: 'campaigns',
    fields: [
      required('external_id', 'CRM id of the campaign or package'),
      optional('parent_external_id', 'Campaign a package belongs to'),
      required('name', 'Name'),
      optional('code', 'Code'),
      optional('start_date', 'Start date'),
      optional('end_date', 'End date'),
      optional('category', 'Category'),
      optional('channel', 'Channel'),
      optional('cost', 'Cost'),
    ],
  },
  {
    name: 'gifts',
    label: 'Gifts',
    singular: 'gift',
    plural: 'gifts',
    fields: [
      required('external_id', 'CRM id of the gift'),
      required('contact_external_id', 'CRM id of the donor'),
      required('date', 'Gift date'),
      required('amount', 'Amount'),
      optional('currency', 'Currency'),
      optional('payment_method', 'Payment method'),
      optional('campaign_external_id', 'Campaign id'),
      optional('package_external_id', 'Package id'),
      optional('type', 'Gift type'),
      optional('recurring_plan_external_id', 'Recurring plan id'),
      optional('soft_credit_contact_external_ids', 'Soft credits (contact ids)'),
    ],
  },
  {
    name: 'recurring_plans',
    label: 'Recurring plans (regular giving)',
    singular: 'recurring plan',
    plural: 'recurring plans',
    fields: [
      required('external_id', 'CRM id of the plan'),
      required('contact_external_id', 'CRM id of the donor'),
      required('start_date', 'Start date'),
      optional('end_date', 'End or cancellation date'),
      optional('cancellation_reason', 'Cancellation reason'),
      optional('frequency', 'Frequency'),
      required('amount', 'Instalment amount'),
      optional('currency', 'Currency'),
      optional('status', 'Status'),
      optional('payment_failures', 'Failed payments so far'),
    ],
  },
  {
    name: 'payment_failures',
    label: 'Failed payments',
    singular: 'failed payment',
    plural: 'failed payments',
    fields: [
      optional('external_id', 'CRM id of the failed payment'),
      required('plan_external_id', 'Recurring plan id'),
      required('date', 'Date it failed'),
      optional('amount', 'Amount not collected'),
      optional('reason', 'Reason'),
    ],
  },
  {
    name: 'communications',
    label: 'Communications (campaign members)',
    singular: 'communication',
    plural: 'communications',
    fields: [
      required('contact_external_id', 'CRM id of the contact'),
      required('campaign_external_id', 'Campaign id'),
      optional('package_external_id', 'Package id'),
      required('date', 'Date sent'),
      optional('channel', 'Channel'),
      optional('response', 'Response'),
    ],
  },
];

export function entityLabels(name: string): EntityLabels | null {
  return ENTITY_LABELS.find((entity) => entity.name === name) ?? null;
}

/** "Contacts (supporters)", or the raw name for an entity this version does not know. */
export function entityLabel(name: string): string {
  return entityLabels(name)?.label ?? name.replaceAll('_', ' ');
}

/** A field's label within its entity, or its raw name. */
export function fieldLabel(entity: string, field: string): string {
  return entityLabels(entity)?.fields.find((candidate) => candidate.name === field)?.label ?? field.replaceAll('_', ' ');
}

/** "1 contact", "2,500 gifts". */
export function countOf(entity: string, count: number): string {
  const labels = entityLabels(entity);
  const noun = labels ? (count === 1 ? labels.singular : labels.plural) : entity.replaceAll('_', ' ');
  return `${count.toLocaleString('en-GB')} ${noun}`;
}
