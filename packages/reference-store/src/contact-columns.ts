import type { ReferenceRow } from '@kindling/crm-import';

/** What an imported contact row stores in plain columns: the analytical parts, never the personal ones. */
export interface ContactPlainColumns {
  readonly kind: 'individual' | 'organisation';
  readonly created_on: string | null;
  readonly postcode_district: string | null;
  readonly region: string | null;
  readonly country: string | null;
  readonly birth_year: number | null;
  readonly gender: 'female' | 'male' | 'other' | 'unknown' | null;
  readonly deceased: boolean;
  readonly do_not_mail: boolean;
  readonly do_not_email: boolean;
  readonly do_not_phone: boolean;
  readonly no_address: boolean;
  /** The organisation's own attributes (name → number or text): model features, not personal data. */
  readonly custom_attributes: Readonly<Record<string, unknown>>;
}

/** The personal values of an imported contact, each stored encrypted in the named column. */
export const personalContactColumns = {
  given_names: 'given_names_ciphertext',
  family_name: 'family_name_ciphertext',
  organisation_name: 'organisation_name_ciphertext',
  email: 'email_ciphertext',
  phone: 'phone_ciphertext',
  postal_address: 'postal_address_ciphertext',
  date_of_birth: 'date_of_birth_ciphertext',
  notes: 'notes_ciphertext',
} as const;

export type PersonalContactValues = Record<keyof typeof personalContactColumns, string | null>;

// Country names CRMs write most often, to ISO 3166-1 alpha-2; anything else stays in the address.
const countryCodes: Readonly<Record<string, string>> = {
  'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB',
  'united states': 'US', 'united states of america': 'US', usa: 'US', ireland: 'IE', 'republic of ireland': 'IE', canada: 'CA',
  australia: 'AU', 'new zealand': 'NZ', france: 'FR', germany: 'DE', deutschland: 'DE', netherlands: 'NL', spain: 'ES', italy: 'IT',
};

const text = (row: ReferenceRow, field: string): string | null => {
  const value = row[field];
  return typeof value === 'string' && value !== '' ? value : null;
};
const flag = (row: ReferenceRow, field: string): boolean => row[field] === true;

function countryCode(country: string | null): string | null {
  if (country === null) return null;
  const trimmed = country.trim();
  if (/^[A-Za-z]{2}$/u.test(trimmed)) return trimmed.toUpperCase();
  return countryCodes[trimmed.toLowerCase()] ?? null;
}

/**
 * The district of a postcode that models may see: a UK outward code ("SW1A" of "SW1A 1AA"), a US
 * ZIP's first three digits; null for anything else. The full postcode identifies a handful of
 * households, so it only ever goes into the encrypted address.
 */
export function postcodeDistrict(postcode: string | null, country: string | null): string | null {
  if (postcode === null) return null;
  const compact = postcode.toUpperCase().replaceAll(/\s+/gu, '');
  const uk = /^([A-Z]{1,2}\d[A-Z\d]?)\d[A-Z]{2}$/u.exec(compact);
  if (uk?.[1] !== undefined && (country === null || country === 'GB')) return uk[1];
  const zip = /^(\d{3})\d{2}$|^(\d{3})\d{2}-?\d{4}$/u.exec(compact);
  const zip3 = zip?.[1] ?? zip?.[2];
  if (zip3 !== undefined && (country === null || country === 'US')) return zip3;
  return null;
}

export function contactPlainColumns(row: ReferenceRow): ContactPlainColumns {
  const country = countryCode(text(row, 'country'));
  const dateOfBirth = text(row, 'date_of_birth');
  const birthYear = typeof row['birth_year'] === 'number' && row['birth_year'] >= 1850 && row['birth_year'] <= 2200 ? row['birth_year'] : null;
  return {
    kind: row['kind'] === 'organisation' ? 'organisation' : 'individual',
    created_on: text(row, 'created_on'),
    postcode_district: postcodeDistrict(text(row, 'postcode'), country),
    region: text(row, 'region')?.slice(0, 100) ?? null,
    country,
    birth_year: dateOfBirth === null ? birthYear : Number(dateOfBirth.slice(0, 4)),
    gender: (text(row, 'gender') as ContactPlainColumns['gender']) ?? null,
    deceased: flag(row, 'deceased'),
    do_not_mail: flag(row, 'do_not_mail'),
    do_not_email: flag(row, 'do_not_email'),
    do_not_phone: flag(row, 'do_not_phone'),
    no_address: flag(row, 'no_address'),
    custom_attributes: typeof row['custom_attributes'] === 'object' ? (row['custom_attributes'] ?? {}) : {},
  };
}

export function personalContactValues(row: ReferenceRow): PersonalContactValues {
  // The address keeps everything an envelope needs: the lines, the full postcode, the country as written.
  const addressLines = [text(row, 'address_lines'), text(row, 'postcode'), text(row, 'country')].filter((line): line is string => line !== null);
  return {
    given_names: text(row, 'given_names'),
    family_name: text(row, 'family_name'),
    organisation_name: text(row, 'organisation_name'),
    email: text(row, 'email'),
    phone: text(row, 'phone'),
    postal_address: addressLines.length === 0 ? null : addressLines.join('\n'),
    date_of_birth: text(row, 'date_of_birth'),
    notes: text(row, 'notes'),
  };
}
