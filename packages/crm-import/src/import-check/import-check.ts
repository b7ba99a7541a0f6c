import { readZipEntries, type ZipLimits } from '../files/zip-entries.js';
import { presetFileFor } from '../presets/preset-application.js';
import type { ImportPreset } from '../presets/preset-types.js';
import type { ReferenceEntity } from '../reference/reference-schema.js';
import type { FormatQuestion } from '../validation/column-formats.js';
import type { ReferenceRow, Rejection } from '../validation/row-reading.js';
import { readFileRows, type ImportFileSource } from './file-rows.js';

export interface ImportCheckOptions {
  readonly preset: ImportPreset;
  readonly organisationCurrency: string;
  /** complete: the files are the whole picture, so every reference must resolve inside them. */
  readonly mode: 'complete' | 'delta';
  readonly limits: ZipLimits;
  /** Answers to earlier format questions, by file name, then field. */
  readonly answers?: Readonly<Record<string, Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>>>>;
  /** Answers for every file (e.g. "all dates are day-first"), by field; a file's own answers win. */
  readonly answersForEveryFile?: Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>>;
  /** Rejections listed in the report (all are counted); 10,000 by default. */
  readonly maxListedRejections?: number;
}

export interface FileCheck {
  readonly file: string;
  readonly entity: ReferenceEntity['name'];
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Rows the preset says are not records of the entity (e.g. lost opportunities). */
  readonly skipped: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** When any: the file was not read; a person must answer (or fix the mapping) first. */
  readonly questions: readonly FormatQuestion[];
  readonly missingRequired: readonly string[];
  readonly duplicateHeaders: readonly string[];
  readonly unmatchedHeaders: readonly string[];
}

export interface ImportCheck {
  readonly files: readonly FileCheck[];
  /** Files the preset does not know (by name): not read. */
  readonly unrecognisedFiles: readonly string[];
  /** The first rejections, for the report; `rejected` counts them all. */
  readonly rejections: readonly Rejection[];
  /** Rows, over all files (rows the preset skips are not counted). */
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Problems by kind; a row may have several. */
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** In a delta import: references to contacts not in these files, left for the database to resolve. */
  readonly unresolvedContactReferences: number;
  /** In a delta import: payment failures of plans not in these files, left for the database to resolve. */
  readonly unresolvedPlanReferences: number;
}

const dependentEntities = new Set(['gifts', 'recurring_plans', 'communications']);

/** Where rows of the files point at other rows (by external id), for the checks across files. */
interface ReferenceIndex {
  readonly ids: Set<string>;
  /** References by id: where first seen, and how many rows make them. */
  readonly references: Map<string, { file: string; line: number; rows: number }>;
}

const referenceIndex = (): ReferenceIndex => ({ ids: new Set(), references: new Map() });
// Duplicate external ids are found in memory up to this many ids per entity; past it the
// database's unique index finds the rest when the import is applied.
const maxRememberedIds = 5_000_000;

/** The reason as a category: the text before any specific detail ("is not one of: …"). */
function reasonCategory(reason: string): string {
  return reason.split(/[:(]/u)[0]?.trim() ?? reason;
}

async function* expandSources(sources: readonly ImportFileSource[], limits: ZipLimits): AsyncGenerator<ImportFileSource> {
  for (const source of sources) {
    if (!/\.zip$/iu.test(source.name)) {
      yield source;
      continue;
    }
    for await (const entry of readZipEntries(source.bytes, { fileName: source.name, limits })) yield { name: `${source.name}/${entry.name}`, bytes: entry.data };
  }
}

/**
 * Reads every file of an import as the import will — mapping, column formats, every row — and
 * reports what would be accepted and what refused, with the referential checks across files
 * (a gift for an unknown contact, duplicate external ids). Changes nothing anywhere.
 */
export async function checkImport(sources: readonly ImportFileSource[], options: ImportCheckOptions): Promise<ImportCheck> {
  const maxListed = options.maxListedRejections ?? 10_000;
  const rejections: Rejection[] = [];
  const byReason = new Map<string, number>();
  const files: FileCheck[] = [];
  const unrecognisedFiles: string[] = [];
  const contacts = referenceIndex();
  const plans = referenceIndex();
  const seenIds = new Map<string, Map<string, number>>();
  const reject = (rejection: Rejection): void => {
    const category = reasonCategory(rejection.reason);
    byReason.set(category, (byReason.get(category) ?? 0) + 1);
    if (rejections.length < maxListed) rejections.push(rejection);
  };

  for await (const source of expandSources(sources, options.limits)) {
    const presetFile = presetFileFor(options.preset, source.name);
    if (presetFile === undefined) {
      unrecognisedFiles.push(source.name);
      continue;
    }
    const { start, batches } = await readFileRows(source, {
      preset: options.preset,
      presetFile,
      organisationCurrency: options.organisationCurrency,
      limits: options.limits,
      answers: { ...options.answersForEveryFile, ...options.answers?.[source.name] },
    });
    const fileReasons = new Map<string, number>();
    const counts = { read: 0, accepted: 0, rejected: 0, skipped: 0 };
    const blocked = start.questions.length > 0 || start.mapping.missingRequired.length > 0 || start.mapping.duplicateHeaders.length > 0;
    if (!blocked) {
      const ids = seenIds.get(start.entity.name) ?? new Map<string, number>();
      seenIds.set(start.entity.name, ids);
      for await (const batch of batches) {
        counts.skipped += batch.skipped;
        counts.read += batch.rows.length + new Set(batch.rejections.map((rejection) => rejection.line)).size;
        const rejectedLines = new Set<number>();
        const fileReject = (rejection: Rejection): void => {
          rejectedLines.add(rejection.line);
          fileReasons.set(reasonCategory(rejection.reason), (fileReasons.get(reasonCategory(rejection.reason)) ?? 0) + 1);
          reject(rejection);
        };
        for (const rejection of batch.rejections) fileReject(rejection);
        batch.rows.forEach((row, index) => {
          const line = batch.lines[index] ?? 0;
          if (!rememberId(ids, row, line, source.name, fileReject)) return;
          rememberReferences(start.entity.name, row, { file: source.name, line }, contacts, plans);
          counts.accepted += 1;
        });
        counts.rejected += rejectedLines.size;
      }
    }
    files.push({
      file: source.name,
      entity: start.entity.name,
      ...counts,
      rejectedByReason: Object.fromEntries(fileReasons),
      questions: start.questions,
      missingRequired: start.mapping.missingRequired,
      duplicateHeaders: start.mapping.duplicateHeaders,
      unmatchedHeaders: start.mapping.unmatchedHeaders,
    });
  }

  // Rows whose contact (or plan) is nowhere in the files: refused in a complete import (the files
  // are the whole picture), left to the database in a delta.
  const unresolved = unresolvedReferences(contacts, 'contact', options.mode, reject);
  const unresolvedPlans = unresolvedReferences(plans, 'recurring plan', options.mode, reject);
  const refusedByReference = options.mode === 'complete' ? unresolved + unresolvedPlans : 0;
  return {
    files,
    unrecognisedFiles,
    rejections,
    read: files.reduce((sum, file) => sum + file.read, 0),
    accepted: files.reduce((sum, file) => sum + file.accepted, 0) - refusedByReference,
    rejected: files.reduce((sum, file) => sum + file.rejected, 0) + refusedByReference,
    rejectedByReason: Object.fromEntries(byReason),
    unresolvedContactReferences: options.mode === 'delta' ? unresolved : 0,
    unresolvedPlanReferences: options.mode === 'delta' ? unresolvedPlans : 0,
  };
}

/** False (and a rejection) when the row's external id was already seen in this entity. */
function rememberId(ids: Map<string, number>, row: ReferenceRow, line: number, file: string, reject: (rejection: Rejection) => void): boolean {
  const id = row['external_id'];
  if (typeof id !== 'string') return true;
  const first = ids.get(id);
  if (first !== undefined) {
    reject({ file, line, column: null, value: id, reason: `repeats the external id of line ${String(first)}` });
    return false;
  }
  if (ids.size < maxRememberedIds) ids.set(id, line);
  return true;
}

function rememberReferences(entity: ReferenceEntity['name'], row: ReferenceRow, at: { file: string; line: number }, contacts: ReferenceIndex, plans: ReferenceIndex): void {
  const id = row['external_id'];
  if (entity === 'contacts' && typeof id === 'string') contacts.ids.add(id);
  if (entity === 'recurring_plans' && typeof id === 'string') plans.ids.add(id);
  if (dependentEntities.has(entity)) remember(contacts, row['contact_external_id'], at);
  if (entity === 'payment_failures') remember(plans, row['plan_external_id'], at);
}

function remember(index: ReferenceIndex, id: unknown, at: { file: string; line: number }): void {
  if (typeof id !== 'string') return;
  const seen = index.references.get(id);
  if (seen === undefined) index.references.set(id, { ...at, rows: 1 });
  else seen.rows += 1;
}

/** How many rows point at ids no file holds; in a complete import each such id is refused where first seen. */
function unresolvedReferences(index: ReferenceIndex, kind: 'contact' | 'recurring plan', mode: ImportCheckOptions['mode'], reject: (rejection: Rejection) => void): number {
  let unresolved = 0;
  for (const [id, reference] of index.references) {
    if (index.ids.has(id)) continue;
    unresolved += reference.rows;
    if (mode === 'delta') continue;
    const file = kind === 'contact' ? 'contacts' : 'recurring plans';
    reject({ file: reference.file, line: reference.line, column: null, value: id, reason: `refers to a ${kind} that is not in the ${file} file (${String(reference.rows)} row${reference.rows === 1 ? '' : 's'} with this ${kind} id)` });
  }
  return unresolved;
}
