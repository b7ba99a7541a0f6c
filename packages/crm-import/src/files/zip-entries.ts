import { AppError } from '@kindling/errors';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';

export interface ZipLimits {
  /** Files in the archive (directories and macOS resource forks do not count). */
  readonly maxEntries: number;
  /** Bytes after decompression, all entries together. */
  readonly maxTotalBytes: number;
  /** Decompressed ÷ compressed beyond which the archive is treated as a zip bomb (past the first MiB). */
  readonly maxRatio: number;
}

export interface ZipEntry {
  readonly name: string;
  /** Read it before asking for the next entry; what is left unread is skipped. */
  readonly data: AsyncIterable<Uint8Array>;
}

type ZipEvent = { readonly kind: 'start'; readonly name: string } | { readonly kind: 'data'; readonly chunk: Uint8Array } | { readonly kind: 'end' };

// Input is fed to the inflater in slices this small, so one slice of a zip bomb can expand to at
// most sliceBytes × 1032 (DEFLATE's ceiling) before the limits are checked again.
const sliceBytes = 16 * 1024;
const ratioGraceBytes = 1024 * 1024;

function isSkipped(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('._'));
}

function zipError(fileName: string, message: string, cause: string, error?: unknown): AppError {
  return new AppError('VALIDATION_FAILED', `${fileName}: ${message}`, { details: { file: fileName, cause }, ...(error === undefined ? {} : { cause: error }) });
}

/**
 * The files of a zip archive, one after another as the archive streams past, never the whole
 * archive in memory. Limits on entries, total size and compression ratio stop zip bombs while
 * they inflate, not after.
 */
export async function* readZipEntries(source: AsyncIterable<Uint8Array>, options: { readonly fileName: string; readonly limits: ZipLimits }): AsyncGenerator<ZipEntry> {
  const { fileName, limits } = options;
  const queue: ZipEvent[] = [];
  const iterator = source[Symbol.asyncIterator]();
  let failure: AppError | undefined;
  let entries = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let sourceDone = false;
  let sawSignature = false;
  let openEntry: string | undefined;
  let inflating: string | undefined;

  const unzip = new Unzip((file: UnzipFile) => {
    if (isSkipped(file.name)) return;
    entries += 1;
    if (entries > limits.maxEntries) {
      failure ??= zipError(fileName, `the archive holds more than ${String(limits.maxEntries)} files.`, 'too_many_entries');
      return;
    }
    queue.push({ kind: 'start', name: file.name });
    inflating = file.name;
    file.ondata = (error, chunk, final) => {
      if (error !== null) {
        failure ??= zipError(fileName, `${file.name} inside the archive is damaged.`, 'damaged_zip', error);
        return;
      }
      bytesOut += chunk.length;
      if (bytesOut > limits.maxTotalBytes) failure ??= zipError(fileName, `the archive expands to more than ${String(limits.maxTotalBytes)} bytes.`, 'archive_too_large');
      else if (bytesOut > ratioGraceBytes && bytesOut > bytesIn * limits.maxRatio) failure ??= zipError(fileName, 'the archive expands far beyond its size (a zip bomb?).', 'zip_bomb');
      if (chunk.length > 0) queue.push({ kind: 'data', chunk });
      if (final) {
        queue.push({ kind: 'end' });
        inflating = undefined;
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  async function* entryData(): AsyncGenerator<Uint8Array> {
    for (let next = await nextEvent(); next !== undefined && next.kind !== 'end'; next = await nextEvent()) {
      if (next.kind === 'data') yield next.chunk;
    }
  }

  function push(bytes: Uint8Array, final: boolean): void {
    try {
      unzip.push(bytes, final);
    } catch (error) {
      // At the end of the input, an entry still inflating was cut short (an upload that stopped).
      failure ??=
        final && inflating !== undefined
          ? zipError(fileName, `${inflating} inside the archive is cut short: the file may not have finished uploading.`, 'truncated_zip', error)
          : zipError(fileName, 'the archive is damaged or is not a zip file.', 'damaged_zip', error);
    }
  }

  async function nextEvent(): Promise<ZipEvent | undefined> {
    while (queue.length === 0 && failure === undefined && !sourceDone) {
      const next = await iterator.next();
      if (next.done === true) {
        sourceDone = true;
        push(new Uint8Array(0), true);
        break;
      }
      const bytes: Uint8Array = next.value;
      if (!sawSignature && bytesIn === 0 && bytes.length >= 4) {
        sawSignature = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
        if (!sawSignature) failure = zipError(fileName, 'is not a zip archive.', 'not_a_zip');
      }
      for (let offset = 0; offset < bytes.length && failure === undefined; offset += sliceBytes) {
        const slice = bytes.subarray(offset, offset + sliceBytes);
        bytesIn += slice.length;
        push(slice, false);
      }
    }
    if (failure !== undefined) throw failure;
    const event = queue.shift();
    if (event?.kind === 'start') openEntry = event.name;
    if (event?.kind === 'end') openEntry = undefined;
    if (event === undefined && openEntry !== undefined) {
      throw zipError(fileName, `${openEntry} inside the archive is cut short: the file may not have finished uploading.`, 'truncated_zip');
    }
    return event;
  }

  // Events of an entry the consumer left unread are skipped here, up to the next entry's start.
  for (let event = await nextEvent(); event !== undefined; event = await nextEvent()) {
    if (event.kind === 'start') yield { name: event.name, data: entryData() };
  }
  if (entries === 0) throw zipError(fileName, 'the archive holds no files.', 'empty_zip');
}
