#!/usr/bin/env node
// CSV reading benchmark: @kindling/crm-import's streaming reader (strict decoding, quotes, line
// numbers, bounded record length) on a gift export, against DuckDB's read_csv on the same file in
// the same run — the floor the import benchmark of issue 5 is measured against. Three phases:
//   kindling read         every record and field, in per-chunk batches
//   kindling read+parse   the same, plus each row's date and amount parsed as an import does
//   duckdb read_csv       all columns materialised (count and total text length), one thread
//                         and all threads
// The file is generated once into a temporary folder (synthetic ids, dates and amounts: no
// personal data) and removed afterwards. RSS is sampled every 20 ms.
// Usage: npx tsc -b packages/crm-import && node bench/csv-reading.mjs [rows=3000000] [runs=3]
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { openCsvFile, parseAmount, parseDate } from '../packages/crm-import/dist/index.js';

const rows = Number(process.argv[2] ?? 3_000_000);
const runs = Number(process.argv[3] ?? 3);

/** A deterministic gift export with quoted fields, grouped amounts and European dates. */
async function writeGifts(file) {
  const out = createWriteStream(file);
  out.write('Gift ID,Donor ID,Gift Date,Amount,Appeal,Payment Method\n');
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let row = 0; row < rows; row += 1) {
    const cents = (next() % 500_000) + 100;
    const amount = cents >= 100_000 ? `"£${Math.floor(cents / 100).toLocaleString('en-GB')}.${String(cents % 100).padStart(2, '0')}"` : `£${(cents / 100).toFixed(2)}`;
    const line = `G${row},C${next() % 1_000_000},${String((next() % 28) + 1).padStart(2, '0')}/${String((next() % 12) + 1).padStart(2, '0')}/20${String(10 + (next() % 15))},${amount},"APPEAL ${next() % 300}, spring",Direct Debit\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function kindlingRead(file, parse) {
  const csv = await openCsvFile(createReadStream(file, { highWaterMark: 1 << 20 }), { fileName: 'gifts.csv' });
  let records = 0;
  let fields = 0;
  let rejected = 0;
  for await (const batch of csv.batches) {
    for (const record of batch) {
      records += 1;
      fields += record.fields.length;
      if (parse && record.line > 1) {
        const date = parseDate(record.fields[2] ?? '', { order: 'dmy' });
        const amount = parseAmount(record.fields[3] ?? '', { decimalSeparator: '.', dollarCurrency: 'USD' });
        if (!date.ok || !amount.ok) rejected += 1;
      }
    }
  }
  if (records !== rows + 1 || rejected !== 0) throw new Error(`kindling read ${records} records, ${rejected} rejected`);
  return fields;
}

async function duckdbRead(file, threads) {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n, sum(length(COLUMNS(*)::VARCHAR))::BIGINT FROM read_csv($file, header = true, all_varchar = true)', { file });
    const [count] = reader.getRows()[0];
    if (Number(count) !== rows) throw new Error(`duckdb read ${count} rows`);
    return Number(count);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function measure(work) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { seconds, peak: Math.max(peak, process.memoryUsage.rss()), rssBefore };
}

const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-bench-csv-'));
const file = path.join(folder, 'gifts.csv');
try {
  await writeGifts(file);
  const { size } = await fs.stat(file);
  const phases = {
    'kindling read': () => kindlingRead(file, false),
    'kindling read+parse (date, amount)': () => kindlingRead(file, true),
    'duckdb read_csv, 1 thread': () => duckdbRead(file, 1),
    [`duckdb read_csv, ${os.cpus().length} threads`]: () => duckdbRead(file, os.cpus().length),
  };
  for (const work of Object.values(phases)) await work(); // warm-up: JIT, page cache
  const results = new Map(Object.keys(phases).map((name) => [name, []]));
  for (let run = 0; run < runs; run += 1) for (const [name, work] of Object.entries(phases)) results.get(name).push(await measure(work));

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mib = (bytes) => (bytes / 1024 / 1024).toFixed(0);
  const cols = ['', 'seconds', 'rows/s', 'MB/s', 'RSS MiB (start→peak)'];
  const widths = [36, 8, 11, 7, 21];
  const line = (cells) => `| ${cells.map((c, i) => String(c).padStart(i === 0 ? 0 : widths[i]).padEnd(widths[i])).join(' | ')} |`;
  console.log(`CSV reading benchmark: ${rows.toLocaleString('en')} gift rows, ${(size / 1e6).toFixed(0)} MB, median of ${runs} runs, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  const seconds = {};
  for (const [name, samples] of results) {
    seconds[name] = median(samples.map((sample) => sample.seconds));
    const rss = `${mib(Math.min(...samples.map((s) => s.rssBefore)))}→${mib(Math.max(...samples.map((s) => s.peak)))}`;
    console.log(line([name, seconds[name].toFixed(2), Math.round(rows / seconds[name]).toLocaleString('en'), (size / 1e6 / seconds[name]).toFixed(0), rss]));
  }
  const duckOne = seconds['duckdb read_csv, 1 thread'];
  console.log(`ratio kindling read / duckdb (1 thread): ${(seconds['kindling read'] / duckOne).toFixed(2)}; read+parse / duckdb (1 thread): ${(seconds['kindling read+parse (date, amount)'] / duckOne).toFixed(2)}`);
} finally {
  await fs.rm(folder, { recursive: true, force: true });
}
