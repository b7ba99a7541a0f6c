import { AppError } from '@kindling/errors';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  /** Bytes of byte-order mark to skip before decoding. */
  readonly bomLength: number;
}

/** How much of a file's start the detection reads; the whole file is then decoded strictly. */
export const encodingSampleBytes = 64 * 1024;

/**
 * Names the encoding of a text file from its first bytes: a byte-order mark when there is one;
 * otherwise UTF-16 when every other byte is zero, UTF-8 when the sample is valid UTF-8 (ASCII
 * included), and Windows-1252 — what Excel on Windows writes as "CSV" — for anything else.
 * A sample with zero bytes that is not UTF-16 is not a text file at all.
 */
export function detectEncoding(sample: Uint8Array, fileName: string): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const utf16 = bomlessUtf16(sample);
  if (utf16 !== undefined) return { encoding: utf16, bomLength: 0 };
  if (sample.includes(0)) {
    throw new AppError('VALIDATION_FAILED', `${fileName} is not a text file: it contains binary data. Export the data as CSV or XLSX.`, {
      details: { file: fileName, cause: 'binary_file' },
    });
  }
  return { encoding: isUtf8(sample) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** UTF-16 without a mark: ASCII-heavy text has a zero in every high byte. */
function bomlessUtf16(sample: Uint8Array): TextEncoding | undefined {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 2) return undefined;
  let zeroHigh = 0;
  let zeroLow = 0;
  for (let index = 0; index < pairs; index += 1) {
    if (sample[index * 2] === 0) zeroLow += 1;
    if (sample[index * 2 + 1] === 0) zeroHigh += 1;
  }
  if (zeroHigh > pairs * 0.9 && zeroLow === 0) return 'utf-16le';
  if (zeroLow > pairs * 0.9 && zeroHigh === 0) return 'utf-16be';
  return undefined;
}

/** Valid UTF-8, allowing a sequence cut off by the end of the sample. */
function isUtf8(sample: Uint8Array): boolean {
  const end = sample.length === encodingSampleBytes ? lastCompleteSequenceEnd(sample) : sample.length;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function lastCompleteSequenceEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    // A lead byte: keep it only if the sequence it starts fits before the end.
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length <= back ? bytes.length : bytes.length - back;
  }
  return bytes.length;
}
