import { detectEntity, importPresets, openCsvFile, presetColumnMapping, presetFileFor, readXlsxSheet, readZipEntries, suggestMapping, suggestSavedMapping, type ImportPresetId, type SavedMapping, type ZipLimits } from '@kindling/crm-import';
import { isAppError } from '@kindling/errors';

/** What the header row of one file (or zip entry) says about it, before anything is imported. */
export interface InspectedFile {
  readonly uploadId: string;
  /** The upload's name; a zip entry as "export.zip/contacts.csv". */
  readonly fileName: string;
  /** What the file holds, by a preset that knows its name, else by its headers; null when neither tells. */
  readonly entity: string | null;
  /** The presets that know this file by its name. */
  readonly presetMatches: readonly ImportPresetId[];
  readonly headers: readonly string[];
  /** The organisation's saved mapping for this header set, else one suggested from the headers; null without headers. */
  readonly mapping: SavedMapping | null;
  readonly missingRequired: readonly string[];
  readonly duplicateHeaders: readonly string[];
  /** Why the file cannot be read (not text, a damaged zip…), naming the file; null when it can. */
  readonly problem: string | null;
}

/** Finds the organisation's saved mapping for a layout (`ImportMappingStore.findMapping`). */
export interface SavedMappingFinder {
  findMapping(orgId: string, headers: readonly string[]): Promise<{ readonly mapping: SavedMapping } | undefined>;
}

interface HeaderRow {
  readonly fileName: string;
  readonly headers: readonly string[];
  readonly problem: string | null;
}

/** The first record of a CSV or XLSX file; the rest is never read. */
async function firstRecord(fileName: string, bytes: AsyncIterable<Uint8Array>, limits: ZipLimits): Promise<readonly string[]> {
  if (/\.xlsx$/iu.test(fileName)) {
    const sheet = await readXlsxSheet(bytes, { fileName, limits });
    for await (const record of sheet.records) return record.fields;
    return [];
  }
  const file = await openCsvFile(bytes, { fileName });
  for await (const batch of file.batches) {
    const first = batch[0];
    if (first !== undefined) return first.fields;
  }
  return [];
}

/** A problem a person can act on (the readers name file and line); anything else is a fault. */
function readProblem(error: unknown): string {
  if (isAppError(error) && (error.code === 'VALIDATION_FAILED' || error.code === 'BAD_REQUEST')) return error.message;
  throw error;
}

async function headerRowOf(fileName: string, bytes: AsyncIterable<Uint8Array>, limits: ZipLimits): Promise<HeaderRow> {
  try {
    return { fileName, headers: await firstRecord(fileName, bytes, limits), problem: null };
  } catch (error) {
    return { fileName, headers: [], problem: readProblem(error) };
  }
}

/** The header rows of one upload: a zip gives one per entry (each read only to its first line). */
export async function headerRows(fileName: string, bytes: AsyncGenerator<Uint8Array>, limits: ZipLimits): Promise<HeaderRow[]> {
  try {
    if (!/\.zip$/iu.test(fileName)) return [await headerRowOf(fileName, bytes, limits)];
    const rows: HeaderRow[] = [];
    try {
      for await (const entry of readZipEntries(bytes, { fileName, limits })) rows.push(await headerRowOf(`${fileName}/${entry.name}`, entry.data, limits));
    } catch (error) {
      rows.push({ fileName, headers: [], problem: readProblem(error) });
    }
    return rows;
  } finally {
    // Stop decrypting the rest of the upload: only its first lines were needed.
    await bytes.return(undefined);
  }
}

/** Everything the mapping screen shows about one header row. */
export async function describeHeaderRow(row: HeaderRow, context: { readonly uploadId: string; readonly orgId: string; readonly mappings: SavedMappingFinder }): Promise<InspectedFile> {
  const matches = importPresets.flatMap((preset) => {
    const file = presetFileFor(preset, row.fileName);
    return file === undefined ? [] : [{ preset: preset.id, file }];
  });
  const byName = matches[0]?.file;
  const entity = byName?.entity ?? (row.headers.length === 0 ? undefined : detectEntity(row.headers));
  const checked = byName !== undefined ? presetColumnMapping(byName, row.headers) : suggestMapping(entity ?? 'contacts', row.headers);
  const saved = row.headers.length === 0 ? undefined : await context.mappings.findMapping(context.orgId, row.headers);
  return {
    uploadId: context.uploadId,
    fileName: row.fileName,
    entity: entity ?? null,
    presetMatches: matches.map((match) => match.preset),
    headers: row.headers,
    mapping: saved?.mapping ?? (row.headers.length === 0 ? null : suggestSavedMapping(row.headers, entity).mapping),
    missingRequired: entity === undefined ? [] : checked.missingRequired,
    duplicateHeaders: checked.duplicateHeaders,
    problem: row.problem,
  };
}
