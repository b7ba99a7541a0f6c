import type { ImportPresetId } from '@kindling/crm-import';
import type { Locale } from '../population/personal-details.js';
import type { BooleanStyle } from './cell-formats.js';
import { dynamicsIds, genericIds, npspIds, reNxtIds, type IdScheme } from './id-scheme.js';

export const demoFormats = ['generic', 'npsp', 're-nxt', 'dynamics'] as const;
export type DemoFormat = (typeof demoFormats)[number];

/** Which preset file (by label) each kind of row goes to, and the file name it gets on disk. */
export interface LayoutFile {
  readonly label: string;
  readonly fileName: string;
}

export interface FormatLayout {
  readonly preset: ImportPresetId;
  readonly locale: Locale;
  readonly currency: string;
  readonly currencySymbol: string;
  readonly booleans: BooleanStyle;
  readonly byteOrderMark: boolean;
  readonly lineEnding: '\n' | '\r\n';
  readonly ids: IdScheme;
  readonly allowOrganisations: boolean;
  readonly files: {
    readonly individuals: LayoutFile;
    readonly organisations: LayoutFile;
    readonly gifts: LayoutFile;
    readonly plans: LayoutFile;
    readonly campaigns: LayoutFile;
    readonly packages: LayoutFile;
    readonly communications: LayoutFile;
    /** Payment failures, one row per failed collection: only where the preset has a file for them. */
    readonly failures?: LayoutFile;
  };
  /**
   * Whether a communication appears in the export at all: Dynamics keeps campaign responses
   * only, so its layout drops sends nobody answered.
   */
  readonly keepsCommunication: (response: string) => boolean;
}

const file = (label: string, fileName: string): LayoutFile => ({ label, fileName });
const everyCommunication = (): boolean => true;

export const formatLayouts: Readonly<Record<DemoFormat, FormatLayout>> = {
  generic: {
    preset: 'generic', locale: 'uk', currency: 'GBP', currencySymbol: '£', booleans: ['true', 'false'], byteOrderMark: false, lineEnding: '\n', ids: genericIds, allowOrganisations: true,
    files: {
      individuals: file('contacts.csv', 'contacts.csv'), organisations: file('contacts.csv', 'contacts.csv'), gifts: file('gifts.csv', 'gifts.csv'),
      plans: file('recurring_plans.csv', 'recurring_plans.csv'), campaigns: file('campaigns.csv', 'campaigns.csv'), packages: file('campaigns.csv', 'campaigns.csv'),
      communications: file('communications.csv', 'communications.csv'), failures: file('payment_failures.csv', 'payment_failures.csv'),
    },
    keepsCommunication: everyCommunication,
  },
  npsp: {
    preset: 'npsp', locale: 'us', currency: 'USD', currencySymbol: '$', booleans: ['true', 'false'], byteOrderMark: false, lineEnding: '\n', ids: npspIds, allowOrganisations: false,
    files: {
      individuals: file('Contact', 'Contact.csv'), organisations: file('Account', 'Account.csv'), gifts: file('Opportunity', 'Opportunity.csv'),
      plans: file('Recurring Donation', 'npe03__Recurring_Donation__c.csv'), campaigns: file('Campaign', 'Campaign.csv'), packages: file('Campaign', 'Campaign.csv'),
      communications: file('Campaign Member', 'CampaignMember.csv'),
    },
    keepsCommunication: everyCommunication,
  },
  're-nxt': {
    // Exports saved through Excel on Windows: a byte-order mark and CRLF line ends.
    preset: 're-nxt', locale: 'uk', currency: 'GBP', currencySymbol: '£', booleans: ['Yes', 'No'], byteOrderMark: true, lineEnding: '\r\n', ids: reNxtIds, allowOrganisations: true,
    files: {
      individuals: file('Constituents', 'constituents.csv'), organisations: file('Constituents', 'constituents.csv'), gifts: file('Gifts', 'gifts.csv'),
      plans: file('Recurring gifts', 'recurring_gifts.csv'), campaigns: file('Appeals', 'appeals.csv'), packages: file('Packages', 'packages.csv'),
      communications: file('Constituent appeals', 'constituent_appeals.csv'),
    },
    keepsCommunication: everyCommunication,
  },
  dynamics: {
    preset: 'dynamics', locale: 'uk', currency: 'GBP', currencySymbol: '£', booleans: ['True', 'False'], byteOrderMark: false, lineEnding: '\n', ids: dynamicsIds, allowOrganisations: true,
    files: {
      individuals: file('contact', 'contact.csv'), organisations: file('account', 'account.csv'), gifts: file('transaction', 'msnfp_transaction.csv'),
      plans: file('payment schedule', 'msnfp_paymentschedule.csv'), campaigns: file('campaign', 'campaign.csv'), packages: file('package', 'msnfp_package.csv'),
      communications: file('campaign response', 'campaignresponse.csv'),
    },
    keepsCommunication: (response) => response === 'responded' || response === 'declined' || response === 'unsubscribed' || response === 'bounced',
  },
};
