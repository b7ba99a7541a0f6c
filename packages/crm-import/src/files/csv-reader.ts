import { AppError } from '@kindling/errors';
import { createCsvTokenizer, type CsvRecord } from './csv-tokenizer.js';
import { sniffDelimiter } from './delimiter-sniffing.js';
import { detectEncoding, encodingSampleBytes, type TextEncoding } from './text-encoding.js';
import { decodeWindows1252 } from './windows-1252.js';

export interface CsvReadOptions {
  /** Named in every error, so a person can find the problem in a zip of several files. */
  readonly fileName: string;
  /** Sniffed from the start of the file when not given. */
  readonly delimiter?: string;
  /** The longest record accepted; longer means a broken file. 1 MiB characters by default. */
  readonly maxRecordChars?: number;
}

export interface CsvFile {
  readonly encoding: TextEncoding;
  readonly delimiter: string;
  /**
   * The records, header first, in the batches the file's chunks yield: the fast way to read a big
   * file (one await per chunk, not per record). Read this or `records`, once.
   */
  readonly batches: AsyncIterable<readonly CsvRecord[]>;
  /** The same records one by one: convenient for small files and tests. */
  readonly records: AsyncIterable<CsvRecord>;
}

/** One record at a time out of batches; lazy, so it consumes nothing until iterated. */
export async function* recordsOf(batches: AsyncIterable<readonly CsvRecord[]>): AsyncGenerator<CsvRecord> {
  for await (const batch of batches) yield* batch;
}

const defaultMaxRecordChars = 1024 * 1024;

/**
 * Opens a delimited text file as a stream of records, in constant memory: the encoding and the
 * delimiter are decided from the first 64 KiB, then every byte is decoded strictly, so a file
 * that changes encoding half-way fails at the line where it does instead of importing mojibake.
 */
export async function openCsvFile(bytes: AsyncIterable<Uint8Array>, options: CsvReadOptions): Promise<CsvFile> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head = await readSample(iterator);
  const { encoding, bomLength } = detectEncoding(head.sample, options.fileName);
  const decoder = createDecoder(encoding);
  const firstText = decodeChunk(decoder, head.sample.subarray(bomLength), options.fileName, 1, head.done);
  const delimiter = options.delimiter ?? sniffDelimiter(firstText);
  const tokenizer = createCsvTokenizer({ delimiter, maxRecordChars: options.maxRecordChars ?? defaultMaxRecordChars, fileName: options.fileName });
  const batches = recordBatches(tokenizer, firstText, iterator, decoder, head.done, options.fileName);
  return { encoding, delimiter, batches, records: recordsOf(batches) };
}

async function* recordBatches(
  tokenizer: ReturnType<typeof createCsvTokenizer>,
  firstText: string,
  iterator: AsyncIterator<Uint8Array>,
  decoder: TextChunkDecoder,
  alreadyDone: boolean,
  fileName: string,
): AsyncGenerator<readonly CsvRecord[]> {
  let lastLine = 1;
  const emit = function* (batch: CsvRecord[]): Generator<readonly CsvRecord[]> {
    const last = batch.at(-1);
    if (last === undefined) return;
    lastLine = last.line;
    yield batch;
  };
  yield* emit(tokenizer.push(firstText));
  let done = alreadyDone;
  while (!done) {
    const next = await iterator.next();
    done = next.done === true;
    const bytes: Uint8Array = next.done === true ? new Uint8Array(0) : next.value;
    const text = decodeChunk(decoder, bytes, fileName, lastLine, done);
    yield* emit(tokenizer.push(text));
  }
  yield* emit(tokenizer.end());
}

async function readSample(iterator: AsyncIterator<Uint8Array>): Promise<{ sample: Uint8Array; done: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < encodingSampleBytes) {
    const next = await iterator.next();
    if (next.done === true) return { sample: Buffer.concat(chunks), done: true };
    chunks.push(next.value);
    length += next.value.length;
  }
  return { sample: Buffer.concat(chunks), done: false };
}

interface TextChunkDecoder {
  readonly encoding: TextEncoding;
  decode(bytes: Uint8Array, final: boolean): string;
}

function createDecoder(encoding: TextEncoding): TextChunkDecoder {
  if (encoding === 'windows-1252') return { encoding, decode: decodeWindows1252 };
  // Strict: an invalid sequence is an error, never a replacement character in a donor's name.
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return { encoding, decode: (bytes, final) => decoder.decode(bytes, { stream: !final }) };
}

function decodeChunk(decoder: TextChunkDecoder, bytes: Uint8Array, fileName: string, nearLine: number, final: boolean): string {
  try {
    return decoder.decode(bytes, final);
  } catch (error) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${fileName}, after line ${String(nearLine)}: the text is not valid ${decoder.encoding.toUpperCase()} although the file starts as such. Parts of the file may have been saved with a different encoding; export it again in one encoding (UTF-8 is best).`,
      { details: { file: fileName, line: nearLine, cause: 'mixed_encoding' }, cause: error },
    );
  }
}
