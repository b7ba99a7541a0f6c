import { importPresetNamed, type PresetFile } from '@kindling/crm-import';
import { openCsvSink, type CsvSink, type DemoOutput } from './csv-sink.js';
import type { FormatLayout, LayoutFile } from './format-layouts.js';
import { presetRowWriter, type ReferenceRow } from './preset-row-writer.js';
import type { Quirks } from './quirks.js';

/** Header → row key for the columns a layout fills without a reference field. */
const extraKeys: Readonly<Record<string, string>> = {
  MailingCity: '_town', BillingCity: '_town', City: '_town', address1_city: '_town', Town: '_town',
  Id: '_member_id', activityid: '_member_id', Status: '_status', Name: '_name', IsActive: '_active',
};

function extraCell(header: string, row: ReferenceRow): string {
  const key = extraKeys[header];
  const value = key === undefined ? undefined : row[key];
  return value === undefined ? '' : String(value);
}

export type RowKind = keyof FormatLayout['files'];

interface OpenFile {
  readonly sink: CsvSink;
  write(row: ReferenceRow, quirks: Quirks): void;
}

/** The export's CSV files, one sink per file name (packages may share the campaigns file). */
export interface DemoFileSet {
  write(kind: RowKind, row: ReferenceRow, quirks: Quirks): void;
  settle(): Promise<void>;
  close(): Promise<readonly string[]>;
}

function presetFileOf(layout: FormatLayout, file: LayoutFile): PresetFile {
  const found = importPresetNamed(layout.preset).files.find((candidate) => candidate.label === file.label);
  if (found === undefined) throw new Error(`preset ${layout.preset} has no file ${file.label}`);
  return found;
}

export function openDemoFileSet(output: DemoOutput, layout: FormatLayout, kinds: readonly RowKind[]): DemoFileSet {
  const preset = importPresetNamed(layout.preset);
  const style = { preset, booleans: layout.booleans, currencySymbol: layout.currencySymbol, extraCells: extraCell };
  const byName = new Map<string, OpenFile>();
  const byKind = new Map<RowKind, OpenFile>();
  for (const kind of kinds) {
    const file = layout.files[kind];
    if (file === undefined) continue;
    let open = byName.get(file.fileName);
    if (open === undefined) {
      const writer = presetRowWriter(presetFileOf(layout, file), style);
      const sink = openCsvSink(output.open(file.fileName), { byteOrderMark: layout.byteOrderMark, lineEnding: layout.lineEnding });
      sink.write(writer.headers);
      const opened: OpenFile = { sink, write: (row, quirks) => { sink.write(writer.cells(row, quirks)); } };
      open = opened;
      byName.set(file.fileName, opened);
    }
    byKind.set(kind, open);
  }
  return {
    write: (kind, row, quirks) => {
      const open = byKind.get(kind);
      if (open === undefined) throw new Error(`no file open for ${kind}`);
      open.write(row, quirks);
    },
    settle: async () => {
      for (const open of byName.values()) await open.sink.settle();
    },
    close: async () => {
      for (const open of byName.values()) await open.sink.close();
      return [...byName.keys()];
    },
  };
}
