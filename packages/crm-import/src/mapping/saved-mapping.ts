import { createHash } from 'node:crypto';
import { AppError } from '@kindling/errors';
import { detectEntity, headerKey, suggestMapping } from '../reference/column-mapping.js';
import { referenceSchema, type ReferenceEntity } from '../reference/reference-schema.js';

export type SavedMappingTarget = { readonly field: string } | { readonly attribute: string; readonly kind: 'numeric' | 'categorical' } | null;

/**
 * How one file of a layout no preset knows becomes a reference entity: each header goes to a
 * reference field, to a custom contact attribute, or nowhere (null). Saved per organisation and
 * found again by the layout's header signature.
 */
export interface SavedMapping {
  readonly entity: ReferenceEntity['name'];
  readonly columns: readonly { readonly header: string; readonly target: SavedMappingTarget }[];
}

export interface SavedMappingSuggestion {
  mapping: SavedMapping;
  missingRequired: string[];
  duplicateHeaders: string[];
}

/**
 * The layout's fingerprint: SHA-256 of its headers normalised like `headerKey` (case, spacing and
 * punctuation blind), de-duplicated and sorted, so the same export is recognised whatever order
 * its columns come in.
 */
export function mappingSignature(headers: readonly string[]): string {
  const keys = [...new Set(headers.map(headerKey).filter((key) => key !== ''))].sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

/**
 * A first mapping for the person to confirm: the entity the headers name (contacts when they name
 * none: a file no preset knows is most often a supporter list with attributes), headers matched to
 * fields exactly as `suggestMapping` does, and every other header left out (null) until the person
 * chooses to keep it as an attribute.
 */
export function suggestSavedMapping(headers: readonly string[], entity?: ReferenceEntity['name']): SavedMappingSuggestion {
  const entityName = entity ?? detectEntity(headers) ?? 'contacts';
  const suggestion = suggestMapping(entityName, headers);
  const fieldAt = new Map(Object.entries(suggestion.mapping.columns).map(([field, index]) => [index, field]));
  const columns = headers.map((header, index) => {
    const field = fieldAt.get(index);
    return { header, target: field === undefined ? null : { field } };
  });
  return { mapping: { entity: entityName, columns }, missingRequired: [...suggestion.missingRequired], duplicateHeaders: [...suggestion.duplicateHeaders] };
}

/** Letters first, then letters, digits, spaces and `_ . -`: a name that reads well in a feature list. */
const attributeName = /^\p{L}[\p{L}\p{N}_ .-]{0,99}$/u;

/** Every problem of a mapping's own shape (headers in the file are checked by `validateSavedMapping`). */
export function savedMappingProblems(mapping: SavedMapping): string[] {
  const entity = referenceSchema.find((candidate) => candidate.name === mapping.entity);
  if (entity === undefined) return [`"${mapping.entity}" is not a reference entity (one of ${referenceSchema.map((candidate) => candidate.name).join(', ')})`];
  const problems: string[] = [];
  const headers = new Map<string, string>();
  const fields = new Map<string, string>();
  const attributes = new Map<string, string>();
  for (const { header, target } of mapping.columns) {
    const key = headerKey(header);
    // Exports often end in an unnamed column (a trailing delimiter): harmless while it maps to nothing.
    if (key === '') {
      if (target !== null) problems.push('a column without a header cannot be mapped');
      continue;
    }
    if (headers.has(key)) problems.push(`header "${header}" is mapped twice`);
    headers.set(key, header);
    if (target === null) continue;
    if ('field' in target) {
      if (!entity.fields.some((field) => field.name === target.field)) problems.push(`"${target.field}" (header "${header}") is not a field of ${entity.name}`);
      else if (fields.has(target.field)) problems.push(`field ${target.field} is mapped twice (headers "${fields.get(target.field) ?? ''}" and "${header}")`);
      fields.set(target.field, header);
      continue;
    }
    if (entity.name !== 'contacts') problems.push(`header "${header}": only contacts have custom attributes`);
    if (!attributeName.test(target.attribute)) problems.push(`attribute name "${target.attribute.slice(0, 100)}" (header "${header}") is not valid: start with a letter, then letters, digits, spaces or _ . - (at most 100)`);
    if (attributes.has(target.attribute.toLowerCase())) problems.push(`attribute ${target.attribute} is mapped twice`);
    attributes.set(target.attribute.toLowerCase(), header);
  }
  for (const field of entity.fields) if (field.required && !fields.has(field.name)) problems.push(`required field ${field.name} has no column`);
  return problems;
}

/** The one error for an unusable mapping, naming every problem (and the file, when there is one). */
export function mappingRefused(problems: readonly string[], fileName?: string): AppError {
  const of = fileName === undefined ? '' : ` for ${fileName}`;
  return new AppError('VALIDATION_FAILED', `The mapping${of} cannot be used: ${problems.join('; ')}.`, { details: { problems } });
}

/**
 * Refuses a mapping that cannot import this file, naming every problem at once: an unknown field,
 * a field or attribute mapped twice, a required field without a column, an invalid attribute
 * name, a header the file does not have (or has twice, so which one is meant is unknown).
 */
export function validateSavedMapping(mapping: SavedMapping, headers: readonly string[]): void {
  const problems = savedMappingProblems(mapping);
  const counts = new Map<string, number>();
  for (const header of headers) counts.set(headerKey(header), (counts.get(headerKey(header)) ?? 0) + 1);
  for (const { header, target } of mapping.columns) {
    if (headerKey(header) === '') continue;
    const count = counts.get(headerKey(header)) ?? 0;
    if (count === 0) problems.push(`header "${header}" is not in the file`);
    else if (count > 1 && target !== null) problems.push(`header "${header}" appears ${String(count)} times in the file`);
  }
  if (problems.length > 0) throw mappingRefused(problems);
}
