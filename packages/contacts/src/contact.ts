import type { ContactGender, ContactKind } from '@kindling/db';

/**
 * The personal fields of a contact: stored only as ciphertext, decrypted only for the people who
 * work with the record (never for models, logs or exports without a reason).
 */
export interface ContactPersonalFields {
  readonly givenNames?: string | null;
  readonly familyName?: string | null;
  readonly organisationName?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  /** Address lines, first to last; stored as one encrypted value. */
  readonly postalAddress?: readonly string[] | null;
  /** `YYYY-MM-DD`. Models get `birthYear` instead. */
  readonly dateOfBirth?: string | null;
  readonly notes?: string | null;
}

/** Contact preferences and states every contact has; all false unless the CRM says otherwise. */
export interface ContactFlags {
  readonly deceased: boolean;
  readonly doNotMail: boolean;
  readonly doNotEmail: boolean;
  readonly doNotPhone: boolean;
  readonly noAddress: boolean;
}

/** What a CRM record says about a contact, as an import hands it to the store. */
export interface ContactInput {
  /** The CRM's own id: unique per organisation, how a re-import finds the same contact. */
  readonly externalId: string;
  readonly kind: ContactKind;
  /** `YYYY-MM-DD`, when the CRM record was created. */
  readonly createdOn?: string | null;
  readonly personal: ContactPersonalFields;
  /** Outward code only ("SW1A"); the store refuses anything longer. */
  readonly postcodeDistrict?: string | null;
  readonly region?: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string | null;
  readonly birthYear?: number | null;
  readonly gender?: ContactGender | null;
  readonly flags?: Partial<ContactFlags>;
}

/** A stored contact, decrypted. */
export interface Contact {
  readonly id: string;
  readonly externalId: string;
  readonly kind: ContactKind;
  readonly createdOn: string | null;
  readonly personal: Required<{ [K in keyof ContactPersonalFields]: NonNullable<ContactPersonalFields[K]> | null }>;
  readonly postcodeDistrict: string | null;
  readonly region: string | null;
  readonly country: string | null;
  readonly birthYear: number | null;
  readonly gender: ContactGender | null;
  readonly flags: ContactFlags;
}
