/** What a campaign (or one of its packages) asks for: the categories fundraisers plan by. */
export const campaignCategories = [
  'Appeal',
  'Newsletter',
  'Acquisition',
  'Emergency',
  'Event',
  'Raffle/Lottery',
  'Merchandise',
  'Community',
  'Peer-to-Peer',
  'Gifts in Will',
  'Trusts & Foundations',
  'Major Gifts',
  'Membership',
  'RG Acquisition',
  'RG Upgrade',
  'RG Retention',
  'RG Reactivation',
  'Other',
] as const;

/** How a campaign reaches people. */
export const solicitationChannels = ['Direct Mail', 'Email', 'Phone', 'SMS', 'Face-to-Face', 'Digital/Online', 'Event', 'Other'] as const;

export type CampaignCategory = (typeof campaignCategories)[number];
export type SolicitationChannel = (typeof solicitationChannels)[number];
