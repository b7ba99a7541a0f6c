import type { Migration } from 'kysely';
import * as jobQueue from './0001-job-queue.js';
import * as identity from './0002-identity.js';
import * as organisationKeys from './0003-organisation-keys.js';
import * as housekeeping from './0004-housekeeping.js';
import * as webauthnChallenge from './0005-webauthn-challenge.js';
import * as contacts from './0006-contacts.js';
import * as organisationOwnerRead from './0007-organisation-owner-read.js';
import * as referenceData from './0008-reference-data.js';
import * as softCreditsAndPlanHistory from './0009-soft-credits-and-plan-history.js';
import * as importMappingsAndAttributes from './0010-import-mappings-and-attributes.js';
import * as importUploads from './0011-import-uploads.js';
import * as campaignTags from './0012-campaign-tags.js';

/**
 * Every migration, in order. Listed statically (not read from a folder) so a bundled Lambda or
 * container carries them. Forward-only: never edit or remove an entry that has shipped; add one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-job-queue': jobQueue,
  '0002-identity': identity,
  '0003-organisation-keys': organisationKeys,
  '0004-housekeeping': housekeeping,
  '0005-webauthn-challenge': webauthnChallenge,
  '0006-contacts': contacts,
  '0007-organisation-owner-read': organisationOwnerRead,
  '0008-reference-data': referenceData,
  '0009-soft-credits-and-plan-history': softCreditsAndPlanHistory,
  '0010-import-mappings-and-attributes': importMappingsAndAttributes,
  '0011-import-uploads': importUploads,
  '0012-campaign-tags': campaignTags,
};
