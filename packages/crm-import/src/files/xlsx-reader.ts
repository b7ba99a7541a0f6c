import { AppError } from '@kindling/errors';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { CsvRecord } from './csv-tokenizer.js';
import { readZipEntries, type ZipLimits } from './zip-entries.js';

export interface XlsxReadOptions {
  readonly fileName: string;
  /** Which sheet to read; required when the workbook has more than one. */
  readonly sheet?: string;
  readonly limits: ZipLimits;
}

export interface XlsxSheet {
  readonly sheetNames: readonly string[];
  readonly sheet: string;
  /** One record per row that has cells, `line` being the sheet's row number. */
  readonly records: AsyncIterable<CsvRecord>;
}

const wantedParts = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml|worksheets\/[^/]+\.xml)$/u;
// Excel's built-in number formats that show dates or times (ECMA-376 part 1, 18.8.30).
const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

function parseXml(xml: string, onOpen: (tag: SaxesTagPlain) => void, onText: (text: string) => void, onClose: (name: string) => void): void {
  const parser = new SaxesParser();
  parser.on('opentag', onOpen);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    onClose(tag.name);
  });
  parser.write(xml).close();
}

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** Text of each `<si>`: its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function sharedStringsOf(xml: string | undefined): string[] {
  if (xml === undefined) return [];
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let inPhonetic = false;
  parseXml(
    xml,
    (tag) => {
      if (tag.name === 'si') current = '';
      if (tag.name === 'rPh') inPhonetic = true;
      if (tag.name === 't' && !inPhonetic) inText = true;
    },
    (text) => {
      if (inText) current += text;
    },
    (name) => {
      if (name === 't') inText = false;
      if (name === 'rPh') inPhonetic = false;
      if (name === 'si') strings.push(current);
    },
  );
  return strings;
}

/** For each cell style index, whether it shows a date. */
function dateStylesOf(xml: string | undefined): boolean[] {
  if (xml === undefined) return [];
  const customDateFormats = new Set<number>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  parseXml(
    xml,
    (tag) => {
      if (tag.name === 'numFmt') {
        // A date format has d, m, y or h outside quoted text and [colour]/[locale] brackets.
        const code = (attribute(tag, 'formatCode') ?? '').replaceAll(/"[^"]*"|\[[^\]]*\]|\\./gu, '');
        if (/[dmyh]/iu.test(code)) customDateFormats.add(Number(attribute(tag, 'numFmtId')));
      }
      if (tag.name === 'cellXfs') inCellXfs = true;
      if (tag.name === 'xf' && inCellXfs) {
        const formatId = Number(attribute(tag, 'numFmtId') ?? '0');
        styles.push(builtInDateFormats.has(formatId) || customDateFormats.has(formatId));
      }
    },
    () => undefined,
    (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  );
  return styles;
}

function excelDate(serial: number): string {
  // The 1900 date system, with Lotus's phantom 1900-02-29 (serial 60) accounted for.
  const base = Date.UTC(1899, 11, serial < 60 ? 31 : 30);
  const iso = new Date(base + Math.round(serial * 86_400_000)).toISOString();
  return serial % 1 === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** "AB12" → 27 (0-based column of the cell reference). */
function columnOf(reference: string): number {
  let column = 0;
  for (const character of reference) {
    const code = character.charCodeAt(0);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column - 1;
}

function sheetRecords(xml: string, sharedStrings: readonly string[], dateStyles: readonly boolean[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  let row: string[] = [];
  let rowNumber = 0;
  let cell = { column: 0, type: 'n', style: 0, value: '' };
  let capture = false;
  parseXml(
    xml,
    (tag) => {
      if (tag.name === 'row') {
        row = [];
        rowNumber = Number(attribute(tag, 'r') ?? String(rowNumber + 1));
      } else if (tag.name === 'c') {
        const reference = attribute(tag, 'r');
        cell = { column: reference === undefined ? row.length : columnOf(reference), type: attribute(tag, 't') ?? 'n', style: Number(attribute(tag, 's') ?? '0'), value: '' };
      } else if (tag.name === 'v' || tag.name === 't') {
        capture = true;
      }
    },
    (text) => {
      if (capture) cell.value += text;
    },
    (name) => {
      if (name === 'v' || name === 't') capture = false;
      if (name === 'c') {
        while (row.length < cell.column) row.push('');
        row[cell.column] = cellText(cell, sharedStrings, dateStyles);
      }
      if (name === 'row' && row.some((value) => value !== '')) records.push({ line: rowNumber, fields: row });
    },
  );
  return records;
}

function cellText(cell: { type: string; style: number; value: string }, sharedStrings: readonly string[], dateStyles: readonly boolean[]): string {
  switch (cell.type) {
    case 's':
      return sharedStrings[Number(cell.value)] ?? '';
    case 'b':
      return cell.value === '1' ? 'TRUE' : 'FALSE';
    case 'n':
      return cell.value !== '' && dateStyles[cell.style] === true ? excelDate(Number(cell.value)) : cell.value;
    default:
      // str (formula result), inlineStr and e (#N/A…) carry their text as it is.
      return cell.value;
  }
}

/** Sheet name → part path, in workbook order. */
function sheetsOf(workbook: string, relationships: string): Map<string, string> {
  const targets = new Map<string, string>();
  parseXml(relationships, (tag) => {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    if (tag.name === 'Relationship' && id !== undefined && target !== undefined) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }, () => undefined, () => undefined);
  const sheets = new Map<string, string>();
  parseXml(workbook, (tag) => {
    const name = attribute(tag, 'name');
    const target = targets.get(attribute(tag, 'r:id') ?? '');
    if (tag.name === 'sheet' && name !== undefined && target !== undefined) sheets.set(name, target);
  }, () => undefined, () => undefined);
  return sheets;
}

/**
 * One sheet of an XLSX workbook as records. The sheet is held in memory (XLSX caps a sheet at
 * 1,048,576 rows, and the zip limits cap the bytes); exports too large for that belong in CSV.
 */
export async function readXlsxSheet(source: AsyncIterable<Uint8Array>, options: XlsxReadOptions): Promise<XlsxSheet> {
  const parts = new Map<string, string>();
  for await (const entry of readZipEntries(source, { fileName: options.fileName, limits: options.limits })) {
    if (!wantedParts.test(entry.name)) continue;
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry.data) chunks.push(chunk);
    parts.set(entry.name, Buffer.concat(chunks).toString('utf8'));
  }
  const workbook = parts.get('xl/workbook.xml');
  const relationships = parts.get('xl/_rels/workbook.xml.rels');
  if (workbook === undefined || relationships === undefined) {
    throw new AppError('VALIDATION_FAILED', `${options.fileName} is a zip file but not an Excel workbook (XLSX).`, { details: { file: options.fileName, cause: 'not_xlsx' } });
  }
  const sheets = sheetsOf(workbook, relationships);
  const sheetNames = [...sheets.keys()];
  const sheet = chooseSheet(sheetNames, options);
  const xml = parts.get(sheets.get(sheet) ?? '') ?? '';
  const records = sheetRecords(xml, sharedStringsOf(parts.get('xl/sharedStrings.xml')), dateStylesOf(parts.get('xl/styles.xml')));
  return {
    sheetNames,
    sheet,
    records: (async function* () {
      await Promise.resolve();
      yield* records;
    })(),
  };
}

function chooseSheet(sheetNames: readonly string[], options: XlsxReadOptions): string {
  if (options.sheet !== undefined) {
    if (sheetNames.includes(options.sheet)) return options.sheet;
    throw new AppError('VALIDATION_FAILED', `${options.fileName} has no sheet named "${options.sheet}". Its sheets: ${sheetNames.join(', ')}.`, {
      details: { file: options.fileName, cause: 'unknown_sheet', sheets: sheetNames },
    });
  }
  const [only] = sheetNames;
  if (sheetNames.length === 1 && only !== undefined) return only;
  throw new AppError('VALIDATION_FAILED', `${options.fileName} has ${String(sheetNames.length)} sheets (${sheetNames.join(', ')}): choose the one to import.`, {
    details: { file: options.fileName, cause: sheetNames.length === 0 ? 'no_sheets' : 'several_sheets', sheets: sheetNames },
  });
}
