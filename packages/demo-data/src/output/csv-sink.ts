import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';

/** A CSV file written row by row in constant memory: rows collect in a small buffer, flushed with backpressure. */
export interface CsvSink {
  write(cells: readonly string[]): void;
  /** Flushes when the buffer is full and waits while the disk is behind; call between contacts. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface CsvSinkOptions {
  readonly byteOrderMark: boolean;
  readonly lineEnding: '\n' | '\r\n';
}

const flushChars = 256 * 1024;
const needsQuotes = /[",\r\n]/u;

function csvCell(cell: string): string {
  return needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Where the generated files go: a folder on disk, or anywhere else a stream can write (memory, an encrypted store). */
export interface DemoOutput {
  open(fileName: string): Writable;
}

/** Files in a folder, 0600: the data is synthetic, but the files look like donor exports and get treated as such. */
export function folderOutput(directory: string): DemoOutput {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed file name inside the operator's output folder
  return { open: (fileName) => createWriteStream(path.join(directory, fileName), { mode: 0o600 }) };
}

export function openCsvSink(stream: Writable, options: CsvSinkOptions): CsvSink {
  let buffer: string[] = options.byteOrderMark ? ['\ufeff'] : [];
  let buffered = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer.join('');
    buffer = [];
    buffered = 0;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  return {
    write: (cells) => {
      const line = cells.map(csvCell).join(',') + options.lineEnding;
      buffer.push(line);
      buffered += line.length;
    },
    settle: async () => {
      if (buffered >= flushChars) await flush();
    },
    close: async () => {
      await flush();
      stream.end();
      await once(stream, 'finish');
    },
  };
}
