import type { PlannedCampaign, PlannedPackage } from '../simulation/campaign-plan.js';

/** How a CRM spells its record ids; the demo writes ids that look like the real thing. */
export interface IdScheme {
  contact(serial: number): string;
  organisation(serial: number): string;
  gift(serial: number): string;
  plan(serial: number): string;
  member(serial: number): string;
  campaign(campaign: PlannedCampaign): string;
  package(pkg: PlannedPackage): string;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 18-character Salesforce-shaped ids: key prefix, pod bits, base-62 serial, suffix. */
function salesforceId(prefix: string, serial: number): string {
  let digits = '';
  for (let rest = serial; digits.length < 10; rest = Math.floor(rest / 62)) digits = base62.charAt(rest % 62) + digits;
  return `${prefix}8d${digits}AAA`;
}

function mix(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb_352d);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x846c_a68b);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** A version-4-shaped GUID derived from a salt and serial, so it is the same on every run. */
function guid(salt: number, serial: number): string {
  const words = [0, 1, 2, 3].map((part) => mix(Math.imul(serial, 0x9e37_79b1) ^ mix(salt * 4 + part)).toString(16).padStart(8, '0')).join('');
  return `${words.slice(0, 8)}-${words.slice(8, 12)}-4${words.slice(13, 16)}-a${words.slice(17, 20)}-${words.slice(20, 32)}`;
}

export const genericIds: IdScheme = {
  contact: (serial) => `C${pad(serial, 7)}`,
  organisation: (serial) => `C${pad(serial, 7)}`,
  gift: (serial) => `G${pad(serial, 8)}`,
  plan: (serial) => `R${pad(serial, 7)}`,
  member: (serial) => `M${pad(serial, 8)}`,
  campaign: (campaign) => campaign.code,
  package: (pkg) => pkg.code,
};

export const npspIds: IdScheme = {
  contact: (serial) => salesforceId('003', serial),
  organisation: (serial) => salesforceId('001', serial),
  gift: (serial) => salesforceId('006', serial),
  plan: (serial) => salesforceId('a0C', serial),
  member: (serial) => salesforceId('00v', serial),
  campaign: (campaign) => salesforceId('701', campaign.index + 1),
  package: (pkg) => salesforceId('701', 1_000_000 + pkg.index),
};

export const reNxtIds: IdScheme = {
  contact: (serial) => String(100_000 + serial),
  organisation: (serial) => String(100_000 + serial),
  gift: (serial) => String(serial),
  plan: (serial) => String(900_000_000 + serial),
  member: (serial) => String(serial),
  campaign: (campaign) => campaign.code,
  package: (pkg) => pkg.code,
};

export const dynamicsIds: IdScheme = {
  contact: (serial) => guid(1, serial),
  organisation: (serial) => guid(2, serial),
  gift: (serial) => guid(3, serial),
  plan: (serial) => guid(4, serial),
  member: (serial) => guid(5, serial),
  campaign: (campaign) => guid(6, campaign.index),
  package: (pkg) => guid(7, pkg.index),
};
