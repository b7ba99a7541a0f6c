import type { DemoContact } from '../population/population.js';
import type { CampaignPlan, PlannedCampaign, PlannedPackage } from '../simulation/campaign-plan.js';
import type { CommunicationEvent, ContactState, GiftEvent, PlanState } from '../simulation/contact-state.js';
import { isoOf, type Day } from '../simulation/day-numbers.js';
import type { FormatLayout } from './format-layouts.js';
import type { ReferenceRow } from './preset-row-writer.js';

/*
 * Simulation records → reference rows. Keys starting with "_" are not reference fields: they feed
 * the layout's extra columns (city, member ids, stage names).
 */

export interface ContactIds {
  readonly contactId: string;
  readonly planSerialBase: number;
}

export function contactRow(contact: DemoContact, state: ContactState, externalId: string, layout: FormatLayout): ReferenceRow {
  const person = contact.person;
  const organisation = contact.kind === 'organisation';
  const separateCity = layout.preset !== 'generic';
  return {
    external_id: externalId,
    kind: contact.kind,
    created_on: contact.acquisitionDay,
    given_names: organisation ? undefined : person.givenNames,
    family_name: organisation ? undefined : person.familyName,
    organisation_name: organisation ? contact.organisationName : undefined,
    email: contact.hasEmail ? person.email : undefined,
    phone: contact.hasPhone ? person.phone : undefined,
    address_lines: contact.noAddress ? undefined : separateCity ? person.addressLine : `${person.addressLine}, ${person.town}`,
    postcode: contact.noAddress ? undefined : person.postcode,
    region: person.region,
    country: person.country,
    date_of_birth: contact.dateOfBirth,
    gender: organisation ? undefined : person.gender,
    deceased: state.deathDay !== undefined,
    do_not_mail: contact.doNotMail,
    do_not_email: contact.doNotEmail || state.unsubscribed,
    do_not_phone: contact.doNotPhone,
    no_address: contact.noAddress,
    _town: contact.noAddress ? undefined : person.town,
  };
}

/** A second record of the same person, as a duplicate entry would be: a name initial, the e-mail shouted. */
export function duplicateRow(row: ReferenceRow, externalId: string): ReferenceRow {
  const given = row['given_names'];
  const email = row['email'];
  return {
    ...row,
    external_id: externalId,
    given_names: typeof given === 'string' ? given.charAt(0) : given,
    email: typeof email === 'string' ? email.toUpperCase() : email,
    deceased: false,
  };
}

/** Campaign and package external ids by plan index, computed once per run instead of once per row. */
export interface CampaignIdTable {
  readonly campaigns: readonly string[];
  readonly packages: readonly string[];
}

export function campaignIdTable(plan: CampaignPlan, layout: FormatLayout): CampaignIdTable {
  return { campaigns: plan.campaigns.map((campaign) => layout.ids.campaign(campaign)), packages: plan.packages.map((pkg) => layout.ids.package(pkg)) };
}

export function giftRow(gift: GiftEvent, giftId: string, ids: ContactIds, table: CampaignIdTable, layout: FormatLayout): ReferenceRow {
  return {
    external_id: giftId,
    contact_external_id: ids.contactId,
    date: gift.day,
    amount: gift.amount,
    currency: layout.currency,
    payment_method: gift.paymentMethod,
    campaign_external_id: gift.campaignIndex === undefined ? undefined : table.campaigns[gift.campaignIndex],
    package_external_id: gift.packageIndex === undefined ? undefined : table.packages[gift.packageIndex],
    type: gift.type,
    recurring_plan_external_id: gift.planLocalIndex === undefined ? undefined : layout.ids.plan(ids.planSerialBase + gift.planLocalIndex),
    _name: layout.preset === 'npsp' ? `Donation ${isoOf(gift.day)}` : undefined,
  };
}

export function planRow(planState: PlanState, ids: ContactIds, layout: FormatLayout): ReferenceRow {
  return {
    external_id: layout.ids.plan(ids.planSerialBase + planState.localIndex),
    contact_external_id: ids.contactId,
    start_date: planState.startDay,
    end_date: planState.endDay,
    cancellation_reason: planState.cancellationReason,
    frequency: planState.frequency,
    amount: planState.amount,
    currency: layout.currency,
    status: planState.status,
    payment_failures: planState.totalFailures,
  };
}

/** A failed collection; the generic layout has no id for it (a failure is known by its plan and day). */
export function failureRow(failure: PlanState['failures'][number], planState: PlanState, ids: ContactIds, layout: FormatLayout): ReferenceRow {
  return {
    plan_external_id: layout.ids.plan(ids.planSerialBase + planState.localIndex),
    date: failure.day,
    amount: failure.amount,
    reason: 'Insufficient funds',
  };
}

export function communicationRow(event: CommunicationEvent, memberId: string, ids: ContactIds, table: CampaignIdTable): ReferenceRow {
  return {
    contact_external_id: ids.contactId,
    campaign_external_id: table.campaigns[event.campaignIndex],
    package_external_id: table.packages[event.packageIndex],
    date: event.day,
    channel: event.channel,
    response: event.response,
    _member_id: memberId,
    _status: event.response === 'responded' ? 'Responded' : 'Sent',
  };
}

export function campaignRow(campaign: PlannedCampaign, layout: FormatLayout, lastDay: Day): ReferenceRow {
  return {
    external_id: layout.ids.campaign(campaign),
    name: campaign.name,
    code: campaign.code,
    start_date: campaign.startDay,
    end_date: Math.min(campaign.endDay, lastDay),
    category: campaign.category,
    channel: campaign.channel,
    _status: campaign.endDay < lastDay ? 'Completed' : 'In Progress',
    _active: campaign.endDay >= lastDay,
  };
}

/** Packages carry the cost (pieces sent × unit cost), so a campaign's cost is never counted twice. */
export function packageRow(pkg: PlannedPackage, campaign: PlannedCampaign, cost: number, layout: FormatLayout, lastDay: Day): ReferenceRow {
  return {
    external_id: layout.ids.package(pkg),
    parent_external_id: layout.ids.campaign(campaign),
    name: `${campaign.name}: ${pkg.name}`,
    code: pkg.code,
    start_date: campaign.startDay,
    end_date: Math.min(campaign.endDay, lastDay),
    category: campaign.category,
    channel: pkg.channel,
    cost: Math.round(cost * 100) / 100,
    _status: campaign.endDay < lastDay ? 'Completed' : 'In Progress',
    _active: campaign.endDay >= lastDay,
  };
}
