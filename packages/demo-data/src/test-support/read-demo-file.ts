import { createReadStream } from 'node:fs';
import path from 'node:path';
import { openCsvFile } from '@kindling/crm-import';

export interface DemoFile {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The cells of one column, by header. */
  column(header: string): readonly string[];
}

/** Reads a generated file the way an import does: through crm-import's CSV reader. */
export async function readDemoFile(directory: string, fileName: string): Promise<DemoFile> {
  const file = await openCsvFile(createReadStream(path.join(directory, fileName)), { fileName });
  const records: (readonly string[])[] = [];
  for await (const record of file.records) records.push(record.fields);
  const [headers = [], ...rows] = records;
  return {
    headers,
    rows,
    column: (header) => {
      const index = headers.indexOf(header);
      if (index < 0) throw new Error(`${fileName} has no column ${header}`);
      return rows.map((row) => row[index] ?? '');
    },
  };
}
