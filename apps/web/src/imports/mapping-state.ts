import type { FileAnswers, ImportMode, InspectedFile, PresetId, SavedMapping, StartImportInput } from './imports-api';
import { entityLabels, fieldLabel } from './reference-fields';

/** What one column of a file becomes: a reference field, a custom attribute of contacts, or nothing. */
export type ColumnChoice = { kind: 'field'; field: string } | { kind: 'attribute'; attributeKind: 'numeric' | 'categorical' } | { kind: 'skip' };

/** One file in the review step: its own columns' choices when no preset knows it. */
export interface FileReview {
  uploadId: string;
  fileName: string;
  /** What the file holds; null until detected or chosen. */
  entity: string | null;
  headers: string[];
  /** One per header, in the file's order. */
  choices: ColumnChoice[];
  presetMatches: PresetId[];
  /** Required columns a preset that knows the file did not find in it. */
  presetMissing: string[];
  duplicateHeaders: string[];
  /** Why the file cannot be read at all; null when it can. */
  problem: string | null;
}

export interface ReviewState {
  preset: PresetId;
  mode: ImportMode;
  saveMappings: boolean;
  files: FileReview[];
}

export interface ChoiceOption {
  value: string;
  label: string;
}

const SKIP: ColumnChoice = { kind: 'skip' };

/** A choice as the value of a <select> option. */
export function choiceValue(choice: ColumnChoice): string {
  if (choice.kind === 'field') return `field:${choice.field}`;
  return choice.kind === 'attribute' ? `attribute:${choice.attributeKind}` : 'skip';
}

export function parseChoiceValue(value: string): ColumnChoice {
  if (value.startsWith('field:')) return { kind: 'field', field: value.slice('field:'.length) };
  if (value === 'attribute:numeric' || value === 'attribute:categorical') return { kind: 'attribute', attributeKind: value === 'attribute:numeric' ? 'numeric' : 'categorical' };
  return SKIP;
}

/** What a column of a file of `entity` may become; custom attributes belong to contacts only. */
export function choiceGroups(entity: string): { group: string; items: ChoiceOption[] }[] {
  const fields = entityLabels(entity)?.fields ?? [];
  const groups = [
    { group: 'Import as', items: fields.map((field) => ({ value: `field:${field.name}`, label: field.required ? `${field.label} (required)` : field.label })) },
  ];
  if (entity === 'contacts') {
    groups.push({
      group: 'Keep as a custom attribute',
      items: [
        { value: 'attribute:numeric', label: 'Custom attribute: a number' },
        { value: 'attribute:categorical', label: 'Custom attribute: a category' },
      ],
    });
  }
  groups.push({ group: 'Leave out', items: [{ value: 'skip', label: 'Don’t import' }] });
  return groups;
}

function choicesFrom(entity: string | null, headers: readonly string[], mapping: SavedMapping | null, duplicates: ReadonlySet<string>): ColumnChoice[] {
  const known = new Set(entityLabels(entity ?? '')?.fields.map((field) => field.name) ?? []);
  const targets = new Map(mapping !== null && mapping.entity === entity ? mapping.columns.map((column) => [column.header, column.target]) : []);
  return headers.map((header): ColumnChoice => {
    const target = targets.get(header) ?? null;
    // A header that appears twice cannot say which of its columns is meant.
    if (target === null || duplicates.has(header)) return SKIP;
    if ('field' in target) return known.has(target.field) ? { kind: 'field', field: target.field } : SKIP;
    return entity === 'contacts' ? { kind: 'attribute', attributeKind: target.kind } : SKIP;
  });
}

/** The preset that knows the most files, or a custom mapping when none knows any. */
export function suggestedPreset(files: readonly InspectedFile[]): PresetId {
  const tally = new Map<PresetId, number>();
  for (const file of files) for (const preset of file.presetMatches) tally.set(preset, (tally.get(preset) ?? 0) + 1);
  let best: PresetId = 'custom';
  let bestCount = 0;
  for (const [preset, matched] of tally) {
    if (matched > bestCount) {
      best = preset;
      bestCount = matched;
    }
  }
  return best;
}

export function initialReview(files: readonly InspectedFile[]): ReviewState {
  return {
    preset: suggestedPreset(files),
    mode: 'delta',
    saveMappings: true,
    files: files.map((file) => {
      const duplicates = new Set(file.duplicateHeaders);
      // Headers that name no entity still come with a suggested (or saved) mapping: start from its entity.
      const entity = file.entity ?? file.mapping?.entity ?? null;
      return {
        uploadId: file.uploadId,
        fileName: file.fileName,
        entity,
        headers: file.headers,
        choices: choicesFrom(entity, file.headers, file.mapping, duplicates),
        presetMatches: file.presetMatches,
        presetMissing: file.presetMatches.length > 0 ? file.missingRequired : [],
        duplicateHeaders: file.duplicateHeaders,
        problem: file.problem,
      };
    }),
  };
}

/** Whether the chosen preset reads `file` by itself, or the person maps its columns. */
export function needsMapping(file: FileReview, preset: PresetId): boolean {
  return preset === 'custom' || !file.presetMatches.includes(preset);
}

/** Another entity for a file: columns whose field the new entity also has keep it, the rest start left out. */
export function withEntity(file: FileReview, entity: string): FileReview {
  const known = new Set(entityLabels(entity)?.fields.map((field) => field.name) ?? []);
  const choices = file.choices.map((choice): ColumnChoice => {
    if (choice.kind === 'field') return known.has(choice.field) ? choice : SKIP;
    return choice.kind === 'attribute' && entity !== 'contacts' ? SKIP : choice;
  });
  return { ...file, entity, choices };
}

export function withChoice(file: FileReview, column: number, choice: ColumnChoice): FileReview {
  return { ...file, choices: file.choices.map((current, index) => (index === column ? choice : current)) };
}

/** Why a file cannot be imported as it is mapped, in words for staff; empty when it can. */
export function mappingProblems(file: FileReview): string[] {
  if (file.entity === null) return ['Choose what this file holds.'];
  // A mapping names columns by their header: a header that appears twice cannot be told apart.
  if (file.duplicateHeaders.length > 0) {
    return [`The header row names ${listOf(file.duplicateHeaders.map((header) => `“${header}”`))} more than once. Rename the repeated columns in the file and upload it again.`];
  }
  const entity = file.entity;
  const chosen = file.choices.flatMap((choice) => (choice.kind === 'field' ? [choice.field] : []));
  const problems: string[] = [];
  const missing = (entityLabels(entity)?.fields ?? []).filter((field) => field.required && !chosen.includes(field.name));
  if (missing.length > 0) problems.push(`Choose a column for ${listOf(missing.map((field) => `“${field.label}”`))}.`);
  const repeated = [...new Set(chosen.filter((field, index) => chosen.indexOf(field) !== index))];
  for (const field of repeated) {
    const headers = file.headers.filter((_, index) => choiceValue(file.choices[index] ?? SKIP) === `field:${field}`);
    problems.push(`“${fieldLabel(entity, field)}” is chosen for ${listOf(headers.map((header) => `“${header}”`))}: choose it for one column only.`);
  }
  return problems;
}

/** What stops the import from starting, file by file; empty when it may start. */
export function reviewProblems(state: ReviewState): { fileName: string; problems: string[] }[] {
  return state.files.flatMap((file) => {
    const problems = file.problem !== null ? [file.problem] : needsMapping(file, state.preset) ? mappingProblems(file) : [];
    return problems.length > 0 ? [{ fileName: file.fileName, problems }] : [];
  });
}

export function toSavedMapping(file: FileReview): SavedMapping | null {
  if (file.entity === null) return null;
  return {
    entity: file.entity,
    columns: file.headers.map((header, index) => {
      const choice = file.choices[index] ?? SKIP;
      if (choice.kind === 'field') return { header, target: { field: choice.field } };
      if (choice.kind === 'attribute') return { header, target: { attribute: attributeName(header), kind: choice.attributeKind } };
      return { header, target: null };
    }),
  };
}

/** The request that starts the import: the preset, and a mapping for each file the preset does not know. */
export function startRequest(state: ReviewState, answers: Readonly<FileAnswers> = {}): StartImportInput {
  const mappings = state.files.flatMap((file) => {
    const mapping = needsMapping(file, state.preset) ? toSavedMapping(file) : null;
    return mapping ? [{ fileName: file.fileName, mapping }] : [];
  });
  return {
    // A zip is one upload however many files it holds.
    uploadIds: [...new Set(state.files.map((file) => file.uploadId))],
    preset: state.preset,
    mode: state.mode,
    ...(mappings.length > 0 ? { mappings, saveMappings: state.saveMappings } : {}),
    ...(Object.keys(answers).length > 0 ? { answers: { ...answers } } : {}),
  };
}

const MAX_ATTRIBUTE_NAME = 100;

/**
 * The custom attribute a column becomes, named after its header in the form attribute names take
 * (a letter first, then letters, digits, spaces and _ . -): "Loyalty score (%)" → "Loyalty score".
 */
export function attributeName(header: string): string {
  const cleaned = header
    .slice(0, MAX_ATTRIBUTE_NAME * 2)
    .replaceAll(/[^\p{L}\p{N}_ .-]+/gu, ' ')
    .replaceAll(/\s+/gu, ' ')
    .trim();
  const named = /^\p{L}/u.test(cleaned) ? cleaned : `Attribute ${cleaned}`.trim();
  return named.slice(0, MAX_ATTRIBUTE_NAME).trim();
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

const PRESET_LABELS: Record<PresetId, string> = {
  generic: 'Kindling template (generic)',
  npsp: 'Salesforce NPSP',
  're-nxt': 'Raiser’s Edge NXT',
  dynamics: 'Microsoft Dynamics 365',
  donorfy: 'Donorfy',
  civicrm: 'CiviCRM',
  custom: 'Another layout: I’ll match the columns myself',
};

export function presetLabel(preset: string): string {
  return (PRESET_LABELS as Record<string, string | undefined>)[preset] ?? preset;
}

export const PRESET_CHOICES: readonly ChoiceOption[] = (Object.keys(PRESET_LABELS) as PresetId[]).map((preset) => ({ value: preset, label: PRESET_LABELS[preset] }));
