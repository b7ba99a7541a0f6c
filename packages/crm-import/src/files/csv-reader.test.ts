import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@kindling/errors';
import { openCsvFile } from './csv-reader.js';

/** The bytes in chunks of `size`, as a file stream would deliver them. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    await Promise.resolve();
    yield bytes.subarray(offset, offset + size);
  }
}

async function readAll(bytes: Uint8Array, options: { chunk?: number; delimiter?: string; maxRecordChars?: number } = {}) {
  const file = await openCsvFile(chunked(bytes, options.chunk ?? 7), {
    fileName: 'gifts.csv',
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars }),
  });
  const records = [];
  for await (const record of file.records) records.push(record);
  return { encoding: file.encoding, delimiter: file.delimiter, records };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('openCsvFile', () => {
  it('reads quoted fields with delimiters, quotes and line breaks inside, over chunk boundaries', async () => {
    const { records } = await readAll(utf8('id,name,notes\r\n1,"Smith, Jo","said ""hi""\r\non the phone"\r\n2,Lee,\r\n'), { chunk: 3 });
    expect(records).toEqual([
      { line: 1, fields: ['id', 'name', 'notes'] },
      { line: 2, fields: ['1', 'Smith, Jo', 'said "hi"\r\non the phone'] },
      { line: 4, fields: ['2', 'Lee', ''] },
    ]);
  });

  it('accepts bare CR and LF line ends and skips blank lines', async () => {
    const { records } = await readAll(utf8('a;b\r1;2\r\r3;4\n5;6'));
    expect(records.map((record) => [record.line, ...record.fields])).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [4, '3', '4'],
      [5, '5', '6'],
    ]);
  });

  it.each([
    [',', 'id,amount,date\n1,"1,234.50",2024-01-01\n2,5,2024-01-02\n'],
    [';', 'id;amount;date\n1;1.234,50;01.01.2024\n2;5;02.01.2024\n'],
    ['\t', 'id\tamount\tname\n1\t5\t"Smith, Jo"\n'],
    ['|', 'id|amount\n1|5\n'],
  ])('sniffs %j as the delimiter', async (delimiter, text) => {
    expect((await readAll(utf8(text))).delimiter).toBe(delimiter);
  });

  it('decodes UTF-8 with and without a BOM, UTF-16 both ways and Windows-1252', async () => {
    const text = 'name,city\nZoë Müller,Kraków €\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(Buffer.from(text, 'utf16le')).swap16();
    const cases: [Uint8Array, string][] = [
      [utf8(text), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]), 'utf-8'],
      [utf16le, 'utf-16le'],
      [Buffer.from(text, 'utf16le'), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), 'utf-16be'],
    ];
    for (const [bytes, encoding] of cases) {
      const read = await readAll(bytes, { chunk: 5 });
      expect(read.encoding).toBe(encoding);
      expect(read.records[1]?.fields).toEqual(['Zoë Müller', 'Kraków €']);
    }
    const windows1252 = Buffer.from([...Buffer.from('name\nZo'), 0xeb, 0x20, 0x80, 0x20, 0x93, 0x96, 0x94, 0x0a]);
    const read = await readAll(windows1252);
    expect(read.encoding).toBe('windows-1252');
    expect(read.records[1]?.fields).toEqual(['Zoë € “–”']);
  });

  it('names the file, the line and the cause of a file that changes encoding half-way', async () => {
    const start = utf8(`id,name\n${Array.from({ length: 20_000 }, (_, index) => `${String(index)},Zoë`).join('\n')}\n`);
    const broken = Buffer.concat([start, Buffer.from([0x39, 0x2c, 0x5a, 0x6f, 0xeb, 0x0a])]);
    const error = await failureOf(readAll(broken, { chunk: 4096 }));
    expect(error.message).toMatch(/^gifts\.csv, after line \d+: the text is not valid UTF-8/);
    expect(error.details).toMatchObject({ file: 'gifts.csv', cause: 'mixed_encoding' });
    expect(Number(error.details?.['line'])).toBeGreaterThan(19_000);
  });

  it('refuses a binary file, a quote never closed, and a record without end', async () => {
    const binary = await failureOf(readAll(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x01])));
    expect(binary.details).toMatchObject({ cause: 'binary_file' });
    expect(binary.message).toContain('gifts.csv is not a text file');

    const unclosed = await failureOf(readAll(utf8('id,name\n1,"Smith\n2,Lee\n')));
    expect(unclosed.details).toMatchObject({ line: 2, cause: 'unclosed_quote' });

    const endless = await failureOf(readAll(utf8(`id,name\n1,${'x'.repeat(5000)}`), { maxRecordChars: 1000, chunk: 512 }));
    expect(endless.details).toMatchObject({ line: 2, cause: 'record_too_long' });
  });

  it('gives the same records whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', '€') }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        async (rows, chunk) => {
          const text = rows.map((row) => row.map((value) => `"${value.replaceAll('"', '""')}"`).join(',')).join('\r\n');
          const { records } = await readAll(utf8(`${text}\n`), { chunk, delimiter: ',' });
          expect(records.map((record) => record.fields)).toEqual(rows);
        },
      ),
    );
  });
});
