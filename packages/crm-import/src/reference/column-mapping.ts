import { referenceSchema, type ReferenceEntity } from './reference-schema.js';

/** Header → reference field for one file; fields not in it are not in the file. */
export interface ColumnMapping {
  readonly entity: ReferenceEntity['name'];
  /** Reference field name → 0-based column index. */
  readonly columns: Readonly<Record<string, number>>;
}

export interface MappingSuggestion {
  readonly mapping: ColumnMapping;
  /** Required fields no header matched: the user must point at a column (or the file is the wrong one). */
  readonly missingRequired: readonly string[];
  /** Headers that matched nothing, kept for the user to map or leave out (custom attributes). */
  readonly unmatchedHeaders: readonly string[];
  /** Headers that appear more than once: which one is meant cannot be guessed. */
  readonly duplicateHeaders: readonly string[];
}

/** Case, spacing and punctuation never distinguish two headers: "First Name", "first_name", "FirstName". */
export function headerKey(header: string): string {
  return header.toLowerCase().replaceAll(/[^\p{L}\p{N}]+/gu, '');
}

function keysOf(entity: ReferenceEntity): Map<string, string> {
  const keys = new Map<string, string>();
  for (const field of entity.fields) {
    for (const spelling of [field.name, ...field.aliases]) {
      const key = headerKey(spelling);
      if (!keys.has(key)) keys.set(key, field.name);
    }
  }
  return keys;
}

/**
 * Suggests which column holds which field, from the headers alone. Exact (normalised) matches
 * only: a wrong guess would import the wrong data silently, a missing one merely asks.
 */
export function suggestMapping(entityName: ReferenceEntity['name'], headers: readonly string[]): MappingSuggestion {
  const entity = referenceSchema.find((candidate) => candidate.name === entityName);
  if (entity === undefined) throw new Error(`no reference entity ${entityName}`);
  const keys = keysOf(entity);
  const seen = new Map<string, number>();
  for (const header of headers) seen.set(headerKey(header), (seen.get(headerKey(header)) ?? 0) + 1);
  const columns: Record<string, number> = {};
  const unmatchedHeaders: string[] = [];
  headers.forEach((header, index) => {
    const key = headerKey(header);
    const field = keys.get(key);
    if (field === undefined || (seen.get(key) ?? 0) > 1) {
      if (field === undefined && key !== '') unmatchedHeaders.push(header);
      return;
    }
    // The first header for a field wins (e.g. "Id" before "Contact Id"); the rest stay unmatched.
    if (field in columns) unmatchedHeaders.push(header);
    else columns[field] = index;
  });
  const duplicateHeaders: string[] = [];
  const reported = new Set<string>();
  for (const header of headers) {
    const key = headerKey(header);
    if (key === '' || (seen.get(key) ?? 0) < 2 || reported.has(key)) continue;
    reported.add(key);
    duplicateHeaders.push(header);
  }
  const missingRequired = entity.fields.filter((field) => field.required && !(field.name in columns)).map((field) => field.name);
  return { mapping: { entity: entity.name, columns }, missingRequired, unmatchedHeaders, duplicateHeaders };
}

/**
 * Which entity a file most likely holds, by how many of each entity's fields its headers name
 * (required fields count double). Undefined when no entity has all its required fields and one more.
 */
export function detectEntity(headers: readonly string[]): ReferenceEntity['name'] | undefined {
  let best: { name: ReferenceEntity['name']; score: number } | undefined;
  for (const entity of referenceSchema) {
    const suggestion = suggestMapping(entity.name, headers);
    // An id column alone says nothing: every entity has one.
    if (suggestion.missingRequired.length > 0 || Object.keys(suggestion.mapping.columns).length < 2) continue;
    const score = Object.keys(suggestion.mapping.columns).reduce((sum, name) => sum + (entity.fields.find((field) => field.name === name)?.required === true ? 2 : 1), 0);
    if (best === undefined || score > best.score) best = { name: entity.name, score };
  }
  return best?.name;
}
