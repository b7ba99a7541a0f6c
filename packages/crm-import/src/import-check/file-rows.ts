import { AppError } from '@kindling/errors';
import { openCsvFile } from '../files/csv-reader.js';
import type { CsvRecord } from '../files/csv-tokenizer.js';
import { readXlsxSheet } from '../files/xlsx-reader.js';
import type { ZipLimits } from '../files/zip-entries.js';
import { presetChoiceValue, presetColumnMapping, presetKeepsRow } from '../presets/preset-application.js';
import type { ImportPreset, PresetFile } from '../presets/preset-types.js';
import { headerKey, type MappingSuggestion } from '../reference/column-mapping.js';
import { entityNamed, type ReferenceEntity } from '../reference/reference-schema.js';
import { attributeColumns, missingAttributeColumns } from '../validation/attribute-columns.js';
import { decideColumnFormats, type FormatQuestion } from '../validation/column-formats.js';
import { readReferenceRow, type FileReadPlan, type ReferenceRow, type Rejection } from '../validation/row-reading.js';

/** Records read before the column formats are decided: enough to see both kinds of day in a date column. */
export const formatSampleRecords = 5000;

/** One file of an import, opened by the caller (from the object store, a zip entry or disk). */
export interface ImportFileSource {
  readonly name: string;
  readonly bytes: AsyncIterable<Uint8Array>;
}

export interface FileRowsOptions {
  readonly preset: ImportPreset;
  readonly presetFile: PresetFile;
  readonly organisationCurrency: string;
  /** The person's answers to earlier format questions for this file, by field. */
  readonly answers?: Readonly<Record<string, 'dmy' | 'mdy' | '.' | ','>>;
  readonly limits: ZipLimits;
}

export interface FileRowsStart {
  readonly entity: ReferenceEntity;
  readonly mapping: MappingSuggestion;
  /** Columns the data could not decide: when any, the rows are not read (the person answers first). */
  readonly questions: readonly FormatQuestion[];
}

/** What one batch of records became. `skipped` counts rows the preset's filter says are not records of the entity. */
export interface RowBatch {
  readonly rows: readonly ReferenceRow[];
  /** Line of each row in `rows`, for referential checks that must point back into the file. */
  readonly lines: readonly number[];
  readonly rejections: readonly Rejection[];
  readonly skipped: number;
}

function isXlsx(name: string): boolean {
  return /\.xlsx$/iu.test(name);
}

async function openRecords(source: ImportFileSource, limits: ZipLimits): Promise<AsyncIterable<readonly CsvRecord[]>> {
  if (!isXlsx(source.name)) return (await openCsvFile(source.bytes, { fileName: source.name })).batches;
  const sheet = await readXlsxSheet(source.bytes, { fileName: source.name, limits });
  return (async function* () {
    const batch: CsvRecord[] = [];
    for await (const record of sheet.records) batch.push(record);
    yield batch;
  })();
}

/**
 * Reads one file of an import into reference rows, batch by batch: header → mapping (the
 * preset's exact columns), the first records → column formats (decided per column), then every
 * record → a row or its rejections. Rows the preset filters out are counted, never reported.
 */
export async function readFileRows(source: ImportFileSource, options: FileRowsOptions): Promise<{ start: FileRowsStart; batches: AsyncGenerator<RowBatch> }> {
  const batches = (await openRecords(source, options.limits))[Symbol.asyncIterator]();
  // The header and the format sample, read ahead; they are converted first, then the rest.
  const ahead: CsvRecord[] = [];
  while (ahead.length <= formatSampleRecords) {
    const next = await batches.next();
    if (next.done === true) break;
    for (const record of next.value) ahead.push(record);
  }
  const [header, ...records] = ahead;
  if (header === undefined) {
    throw new AppError('VALIDATION_FAILED', `${source.name} is empty: it has no header line.`, { details: { file: source.name, cause: 'empty_file' } });
  }
  const headers = header.fields;
  const entity = entityNamed(options.presetFile.entity);
  let mapping = presetColumnMapping(options.presetFile, headers);
  const decision = decideColumnFormats(records.slice(0, formatSampleRecords), entity, mapping.mapping, headers, {
    ...(options.preset.dayMonthOrder === null ? {} : { dateOrder: options.preset.dayMonthOrder }),
    decimalSeparator: options.preset.decimalSeparator,
    ...(options.answers === undefined ? {} : { answers: options.answers }),
  });
  const plan: FileReadPlan = {
    fileName: source.name,
    entity,
    headers,
    mapping: mapping.mapping,
    formats: decision.formats,
    organisationCurrency: options.organisationCurrency,
    ...(options.presetFile.vocabularies === undefined ? {} : { vocabularies: options.presetFile.vocabularies }),
    ...(options.presetFile.attributes === undefined ? {} : { attributes: attributeColumns(options.presetFile.attributes, headers, records.slice(0, formatSampleRecords), options.preset.decimalSeparator) }),
  };
  const missingAttributes = missingAttributeColumns(options.presetFile.attributes ?? [], headers);
  if (missingAttributes.length > 0) mapping = { ...mapping, missingRequired: [...mapping.missingRequired, ...missingAttributes] };
  return { start: { entity, mapping, questions: decision.questions }, batches: rowBatches(records, batches, plan, options.presetFile) };
}

async function* rowBatches(ahead: readonly CsvRecord[], rest: AsyncIterator<readonly CsvRecord[]>, plan: FileReadPlan, presetFile: PresetFile): AsyncGenerator<RowBatch> {
  const columnOf = new Map(plan.headers.map((header, index) => [headerKey(header), index]));
  const presetFields = new Set(plan.entity.fields.filter((field) => field.type === 'choice' || presetFile.defaults?.[field.name] !== undefined).map((field) => field.name));
  const convert = (records: readonly CsvRecord[]): RowBatch => {
    const rows: ReferenceRow[] = [];
    const lines: number[] = [];
    const rejections: Rejection[] = [];
    let skipped = 0;
    for (const record of records) {
      const cellOf = (name: string): string | undefined => {
        const index = columnOf.get(headerKey(name));
        return index === undefined ? undefined : (record.fields[index] ?? '');
      };
      if (!presetKeepsRow(presetFile, cellOf)) {
        skipped += 1;
        continue;
      }
      const result = readReferenceRow(record, plan, (field) => (presetFields.has(field) ? presetChoiceValue(presetFile, field, cellOf) : undefined));
      if (result.ok) {
        rows.push(result.row);
        lines.push(record.line);
      } else {
        for (const rejection of result.rejections) rejections.push(rejection);
      }
    }
    return { rows, lines, rejections, skipped };
  };
  if (ahead.length > 0) yield convert(ahead);
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield convert(next.value);
}
