import fs from 'node:fs/promises';
import path from 'node:path';

/** One place a needle was found: the file, which needle, and in which encoding. */
export interface PlaintextFinding {
  readonly file: string;
  readonly needle: string;
  readonly encoding: 'utf8' | 'utf16le';
}

export interface ScanResult {
  readonly filesScanned: number;
  readonly bytesScanned: number;
  readonly findings: PlaintextFinding[];
}

async function* filesUnder(folder: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    // A folder removed while we walk (another test's temp folder) has nothing left to leak.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Reads every regular file under `roots` (symbolic links are not followed) and reports each file
 * that contains one of `needles` as UTF-8 or UTF-16LE bytes. Files vanishing mid-scan are skipped.
 */
export async function scanForPlaintext(roots: readonly string[], needles: readonly string[]): Promise<ScanResult> {
  const patterns = needles.flatMap((needle) => [
    { needle, encoding: 'utf8' as const, bytes: Buffer.from(needle, 'utf8') },
    { needle, encoding: 'utf16le' as const, bytes: Buffer.from(needle, 'utf16le') },
  ]);
  const findings: PlaintextFinding[] = [];
  let filesScanned = 0;
  let bytesScanned = 0;
  for (const root of roots) {
    for await (const file of filesUnder(root)) {
      let content: Buffer;
      try {
        content = await fs.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      filesScanned += 1;
      bytesScanned += content.length;
      for (const pattern of patterns) {
        if (content.includes(pattern.bytes)) findings.push({ file, needle: pattern.needle, encoding: pattern.encoding });
      }
    }
  }
  return { filesScanned, bytesScanned, findings };
}
