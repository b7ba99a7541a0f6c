import { AppError } from '@kindling/errors';

export interface CsvRecord {
  /** The physical line the record starts on, 1-based (a quoted field may span lines). */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTokenizer {
  /** Feeds decoded text; returns the records it completed. */
  push(text: string): CsvRecord[];
  /** Ends the input; returns the last record, or throws when a quote is left open. */
  end(): CsvRecord[];
}

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * RFC 4180 with the liberties real exports take: any one-character delimiter, CRLF, LF or a bare
 * CR (old Mac exports) as line ends, and a quote inside an unquoted field kept as text. Text is
 * fed in chunks of any size — a record, a quoted field or a CRLF may straddle two chunks.
 */
export function createCsvTokenizer(options: { readonly delimiter: string; readonly maxRecordChars: number; readonly fileName: string }): CsvTokenizer {
  const delimiter = options.delimiter.charCodeAt(0);
  const state = { fields: [] as string[], field: '', inQuotes: false, quoteClosed: false, fieldWasQuoted: false, skipLineFeed: false, line: 1, recordLine: 1 };

  function tooLong(): AppError {
    return new AppError(
      'VALIDATION_FAILED',
      `${options.fileName}, line ${String(state.recordLine)}: a record longer than ${String(options.maxRecordChars)} characters. The file may have no line breaks, or a quote that is never closed.`,
      { details: { file: options.fileName, line: state.recordLine, cause: 'record_too_long' } },
    );
  }

  // The hot loop of every import: state lives in locals while a chunk is scanned (closure and
  // object slots are slower to touch per character) and is written back at the end.
  function push(text: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let { fields, field, inQuotes, quoteClosed, fieldWasQuoted, skipLineFeed, line, recordLine } = state;
    let start = 0;
    const length = text.length;
    for (let index = 0; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (skipLineFeed) {
        skipLineFeed = false;
        if (code === lineFeed) {
          start = index + 1;
          continue;
        }
      }
      if (inQuotes) {
        if (code === quote) {
          field += text.slice(start, index);
          start = index + 1;
          inQuotes = false;
          quoteClosed = true;
        } else if (code === lineFeed || (code === carriageReturn && text.charCodeAt(index + 1) !== lineFeed)) {
          line += 1;
        }
        continue;
      }
      if (code === delimiter) {
        fields.push(field === '' ? text.slice(start, index) : field + text.slice(start, index));
        field = '';
        quoteClosed = false;
        fieldWasQuoted = false;
        start = index + 1;
        continue;
      }
      // Every character that is not a delimiter sorts after the quote, except line ends and tabs.
      if (code > quote) continue;
      if (code === quote) {
        if (quoteClosed) {
          // "" inside a quoted field: one literal quote, and the field goes on quoted.
          field += '"';
          start = index + 1;
          inQuotes = true;
          quoteClosed = false;
        } else if (index === start && field === '') {
          inQuotes = true;
          fieldWasQuoted = true;
          start = index + 1;
        }
        continue;
      }
      if (code === lineFeed || code === carriageReturn) {
        field += text.slice(start, index);
        line += 1;
        fields.push(field);
        // A blank line is no record; a line with only delimiters is one (of empty fields).
        if (fields.length > 1 || field !== '' || fieldWasQuoted) records.push({ line: recordLine, fields });
        fields = [];
        field = '';
        fieldWasQuoted = false;
        quoteClosed = false;
        recordLine = line;
        skipLineFeed = code === carriageReturn;
        start = index + 1;
      }
    }
    field += text.slice(start);
    Object.assign(state, { fields, field, inQuotes, quoteClosed, fieldWasQuoted, skipLineFeed, line, recordLine });
    // Only the unfinished record is held between chunks, so this bounds the memory a file without
    // line breaks (or with an unclosed quote) can take.
    if (fields.reduce((sum, value) => sum + value.length, field.length) > options.maxRecordChars) throw tooLong();
    return records;
  }

  function end(): CsvRecord[] {
    if (state.inQuotes) {
      throw new AppError('VALIDATION_FAILED', `${options.fileName}, line ${String(state.recordLine)}: a quoted field that is never closed. The file may be cut short.`, {
        details: { file: options.fileName, line: state.recordLine, cause: 'unclosed_quote' },
      });
    }
    const { fields, field, fieldWasQuoted } = state;
    fields.push(field);
    const last = fields.length > 1 || field !== '' || fieldWasQuoted ? [{ line: state.recordLine, fields }] : [];
    state.fields = [];
    state.field = '';
    return last;
  }

  return { push, end };
}
