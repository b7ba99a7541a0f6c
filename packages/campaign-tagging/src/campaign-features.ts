import type { CampaignDescription, GiftPattern } from './campaign-input.js';

/** A sparse feature vector: distinct hashed feature indices and their values (unit L2 norm). */
export interface FeatureVector {
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/**
 * Hash space of 2^18: with a few thousand distinct n-grams per organisation, collisions are rare,
 * and the model stores only the features it saw, so the space costs nothing.
 */
export const featureBits = 18;
const featureMask = (1 << featureBits) - 1;

// Joined so that "e-mail", "E News" and "email" are one token, not a stray "e" plus "mail" (which the
// Direct Mail rules would read as post).
const ePrefixed = /\be[\s_-]+(mail|mails|news|newsletter|appeal|shot|update|bulletin|card|cards)\b/g;
// Letter-digit-letter codes are words of their own; splitting them at digits would lose them.
const keptAlphanumeric = /^(f2f|p2p|d2d)$/;

/**
 * Lower-case word tokens of a name or code: camelCase, letters-then-digits ("XMAS24") and separators
 * split; accents folded; numbers dropped, because in campaign names they are years, dates and
 * amounts, which say nothing about the kind of campaign.
 */
export function campaignTokens(text: string): string[] {
  const folded = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(ePrefixed, 'e$1');
  const tokens: string[] = [];
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (keptAlphanumeric.test(word)) tokens.push(word);
    else for (const letters of word.match(/\p{L}+/gu) ?? []) tokens.push(letters);
  }
  return tokens;
}

function bucket(value: number, bounds: readonly number[]): number {
  const index = bounds.findIndex((bound) => value < bound);
  return index < 0 ? bounds.length : index;
}

function giftPatternFeatures(pattern: GiftPattern): string[] {
  const features: string[] = [];
  const { recurringShare, medianAmount, giftsPerRecipient, startMonth } = pattern;
  if (recurringShare !== undefined && Number.isFinite(recurringShare)) features.push(`recurring:${String(bucket(recurringShare, [0.05, 0.5, 0.9]))}`);
  if (medianAmount !== undefined && Number.isFinite(medianAmount)) features.push(`amount:${String(bucket(medianAmount, [5, 10, 20, 40, 80, 200, 1000, 5000]))}`);
  if (giftsPerRecipient !== undefined && Number.isFinite(giftsPerRecipient)) features.push(`response:${String(bucket(giftsPerRecipient, [0.01, 0.03, 0.1, 0.3, 0.9]))}`);
  if (startMonth !== undefined && Number.isInteger(startMonth) && startMonth >= 1 && startMonth <= 12) features.push(`month:${String(startMonth)}`);
  return features;
}

const fnvOffset = 0x811c9dc5;

/** FNV-1a: tiny, stable across platforms and runs, good enough spread for feature hashing, and incremental. */
function fnv(hash: number, text: string): number {
  let next = hash;
  for (let position = 0; position < text.length; position += 1) next = Math.imul(next ^ text.charCodeAt(position), 0x01000193);
  return next;
}

function hashFeature(prefix: string, text: string): number {
  return (fnv(fnv(fnvOffset, prefix), text) >>> 0) & featureMask;
}

const gramSeed = fnv(fnvOffset, 'g:');

/**
 * The hashed features of a campaign: each name token (`w:`) and code token (`c:`), the character
 * 3–5-grams of every distinct token padded with word boundaries (`g:`, so "xmas" and "xms" or "upg" and
 * "upgrade" share evidence), and bucketed gift-pattern numbers (`p:`). The n-grams starting at one
 * position share their hash prefix, so they are hashed in one pass without building their strings.
 */
function hashedFeatures(campaign: CampaignDescription): number[] {
  const nameTokens = campaignTokens(campaign.name);
  const codeTokens = campaignTokens(campaign.code ?? '');
  const hashes: number[] = [];
  for (const token of nameTokens) hashes.push(hashFeature('w:', token));
  for (const token of codeTokens) hashes.push(hashFeature('c:', token));
  for (const token of new Set([...nameTokens, ...codeTokens])) {
    const padded = `<${token}>`;
    for (let start = 0; start + 3 <= padded.length; start += 1) {
      let hash = gramSeed;
      const end = Math.min(start + 5, padded.length);
      for (let position = start; position < end; position += 1) {
        hash = Math.imul(hash ^ padded.charCodeAt(position), 0x01000193);
        if (position - start >= 2) hashes.push((hash >>> 0) & featureMask);
      }
    }
  }
  if (campaign.giftPattern !== undefined) for (const feature of giftPatternFeatures(campaign.giftPattern)) hashes.push(hashFeature('p:', feature));
  return hashes;
}

/** Counts per hash bucket while one campaign is hashed; always left all zero again. */
const bucketCounts = new Uint16Array(2 ** featureBits);

/**
 * Hashes a campaign's features into a unit-length sparse vector, so long names do not shout. Indices
 * are in first-seen order: nothing downstream needs them sorted, and sorting was most of the cost.
 */
export function campaignFeatures(campaign: CampaignDescription): FeatureVector {
  const indices: number[] = [];
  for (const feature of hashedFeatures(campaign)) {
    if (bucketCounts[feature] === 0) indices.push(feature);
    bucketCounts[feature] = (bucketCounts[feature] ?? 0) + 1;
  }
  const counts = indices.map((feature) => bucketCounts[feature] ?? 0);
  for (const feature of indices) bucketCounts[feature] = 0;
  const norm = Math.sqrt(counts.reduce((sum, count) => sum + count * count, 0));
  return { indices, values: counts.map((count) => count / (norm === 0 ? 1 : norm)) };
}
