#!/usr/bin/env node
// Import benchmark (issue 5): a synthetic organisation of N contacts with about 20 gifts and 20
// communications each, imported by @kindling/reference-store's runImport (raw files into the
// encrypted object store, then one transaction: contacts with encrypted personal fields, campaigns,
// plans, gifts, communications) into an empty organisation, against two floors measured in the
// same run on the same files:
//   duckdb read_csv     every file read and every column materialised (all threads)
//   postgres COPY       every file copied (COPY FROM STDIN, CSV) into unindexed all-text tables,
//                       on the same PostgreSQL server as the import
// The data comes from `kindling demo-data` (generic format, 22 years of history ≈ 20 gifts per
// contact); its communications file is cut to 20 rows per contact (the simulation writes about 49).
// Files are generated once into DATA_DIR and kept for later runs. Peak RSS is this process's
// (sampled every 20 ms), PostgreSQL's memory is not in it.
// Usage: npx tsc -b && node bench/import.mjs [contacts=1000000] [dataDir=$TMPDIR/bench-data-kindling-import]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { importPresetNamed } from '../packages/crm-import/dist/index.js';
import { createDataProtection, createLocalRootKeyProvider } from '../packages/crypto/dist/index.js';
import { createPostgresKeyStore } from '../packages/crypto/dist/postgres/index.js';
import { startEmbeddedPostgres } from '../packages/db/dist/index.js';
import { createTestDatabase, seedOrganisation } from '../packages/db/dist/testing/index.js';
import { createEncryptedObjectStore, createLocalFolderStore } from '../packages/object-store/dist/index.js';
import { runImport } from '../packages/reference-store/dist/index.js';

const contacts = Number(process.argv[2] ?? 1_000_000);
// Not under a kindling-* name: the plaintext canary test scans those temp folders for personal data.
const dataDir = process.argv[3] ?? path.join(os.tmpdir(), 'bench-data-kindling-import');
const years = 22;
const communicationsPerContact = 20;
// Every file demo-data writes but the answers (payment_failures.csv only from versions that write it).
const exportFiles = ['contacts.csv', 'campaigns.csv', 'recurring_plans.csv', 'payment_failures.csv', 'gifts.csv', 'communications.csv'];
let files = exportFiles;
const cli = fileURLToPath(new URL('../apps/cli/bin/kindling.js', import.meta.url));

async function exists(file) {
  return fs.stat(file).then(() => true, () => false);
}

/** Generates the export once: demo-data into DATA_DIR/raw, then the files used, with communications cut. */
async function ensureData() {
  const marker = path.join(dataDir, `complete-${contacts}`);
  if (await exists(marker)) return;
  const raw = path.join(dataDir, 'raw');
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(process.execPath, [cli, 'demo-data', '--contacts', String(contacts), '--years', String(years), '--seed', 'bench', '--format', 'generic', '--out', raw], { stdio: 'inherit' });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`demo-data exited with ${code}`);
  for (const file of exportFiles.filter((name) => name !== 'communications.csv')) {
    if (await exists(path.join(raw, file))) await fs.rename(path.join(raw, file), path.join(dataDir, file));
  }
  await cutLines(path.join(raw, 'communications.csv'), path.join(dataDir, 'communications.csv'), contacts * communicationsPerContact + 1);
  await fs.rm(raw, { recursive: true, force: true });
  await fs.writeFile(marker, '');
}

async function cutLines(from, to, lines) {
  const out = createWriteStream(to, { mode: 0o600 });
  let written = 0;
  for await (const line of readline.createInterface({ input: createReadStream(from, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    written += 1;
    if (written === lines) break;
  }
  out.end();
  await once(out, 'finish');
}

async function lineCounts() {
  const counts = {};
  for (const file of files) {
    let n = -1;
    for await (const chunk of createReadStream(path.join(dataDir, file), { highWaterMark: 1 << 20 })) for (const byte of chunk) if (byte === 10) n += 1;
    counts[file] = n;
  }
  return counts;
}

async function measure(work) {
  globalThis.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  const result = await work();
  clearInterval(timer);
  return { seconds: (performance.now() - started) / 1000, peak: Math.max(peak, process.memoryUsage.rss()), result };
}

/** runImport into a fresh organisation; the time each entity's rows were read and staged, and its merge. */
async function kindlingImport(appDb, work) {
  const orgId = (await seedOrganisation(appDb.ownerDb, 'Bench charity')).id;
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: appDb.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: path.join(work, 'objects') });
  const marks = [];
  const started = performance.now();
  const outcome = await runImport(
    { db: appDb.appDb, fields, objectStore: (id) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId: id }) },
    {
      orgId,
      preset: importPresetNamed('generic'),
      mode: 'complete',
      organisationCurrency: 'GBP',
      files: files.map((name) => ({ name, bytes: createReadStream(path.join(dataDir, name), { highWaterMark: 1 << 20 }) })),
      actor: { userId: null, tokenId: null },
      maxRejectedShare: 0.05,
      limits: { maxEntries: 100, maxTotalBytes: 64 * 1024 ** 3, maxRatio: 200 },
      onProgress: ({ entity, rows }) => {
        const last = marks.at(-1);
        const at = (performance.now() - started) / 1000;
        if (last?.entity === entity) Object.assign(last, { end: at, rows });
        else {
          // A line per entity as it starts, so a long run shows where it is.
          if (last !== undefined) console.error(`  ${at.toFixed(1)} s: ${last.entity} read (${last.rows.toLocaleString('en')} rows), ${entity} started`);
          marks.push({ entity, start: at, end: at, rows });
        }
      },
    },
  );
  if (outcome.status !== 'applied') throw new Error(`import ${outcome.status}: ${outcome.problem}`);
  return { outcome, marks, total: (performance.now() - started) / 1000 };
}

async function duckdbRead() {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length), autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  let rows = 0;
  try {
    for (const file of files) {
      const reader = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n, sum(length(COLUMNS(*)::VARCHAR))::BIGINT FROM read_csv($file, header = true, all_varchar = true)', { file: path.join(dataDir, file) });
      rows += Number(reader.getRows()[0][0]);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return rows;
}

/** COPY of every file into an unindexed table of text columns named after its header. */
async function postgresCopy(ownerUrl) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let rows = 0;
  try {
    await client.query('DROP SCHEMA IF EXISTS bench_copy CASCADE');
    await client.query('CREATE SCHEMA bench_copy');
    for (const file of files) {
      const header = (await readFirstLine(path.join(dataDir, file))).split(',');
      const table = `bench_copy.${pg.escapeIdentifier(path.basename(file, '.csv'))}`;
      await client.query(`CREATE UNLOGGED TABLE ${table} (${header.map((column) => `${pg.escapeIdentifier(column)} text`).join(', ')})`);
      const copy = client.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT csv, HEADER true)`));
      await pipeline(createReadStream(path.join(dataDir, file), { highWaterMark: 1 << 20 }), copy);
      rows += Number(copy.rowCount);
    }
  } finally {
    await client.query('DROP SCHEMA IF EXISTS bench_copy CASCADE');
    await client.end();
  }
  return rows;
}

async function readFirstLine(file) {
  for await (const line of readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity })) return line;
  return '';
}

await ensureData();
files = (await Promise.all(exportFiles.map(async (file) => ((await exists(path.join(dataDir, file))) ? [file] : [])))).flat();
const counts = await lineCounts();
const totalRows = Object.values(counts).reduce((a, b) => a + b, 0);
const { size } = { size: (await Promise.all(files.map((file) => fs.stat(path.join(dataDir, file))))).reduce((sum, stat) => sum + stat.size, 0) };
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-kindling-import-'));
await fs.chmod(work, 0o711);
const server = await startEmbeddedPostgres({ directory: path.join(work, 'postgres'), port: 0 });
try {
  const database = await createTestDatabase(server.ownerUrl, randomBytes(24).toString('base64url'));
  // The floors first, so the import does not run on a page cache they warmed and it did not.
  const duck = await measure(duckdbRead);
  console.error(`  duckdb read_csv: ${duck.seconds.toFixed(1)} s`);
  const copy = await measure(() => postgresCopy(database.ownerUrl));
  console.error(`  postgres COPY: ${copy.seconds.toFixed(1)} s`);
  const ours = await measure(() => kindlingImport(database, work));

  const mib = (bytes) => (bytes / 1024 / 1024).toFixed(0);
  const widths = [34, 9, 11, 9, 13];
  const line = (cells) => `| ${cells.map((c, i) => String(c).padStart(i === 0 ? 0 : widths[i]).padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `Import benchmark: ${contacts.toLocaleString('en')} contacts, ${counts['gifts.csv'].toLocaleString('en')} gifts, ${counts['communications.csv'].toLocaleString('en')} communications, ` +
      `${totalRows.toLocaleString('en')} rows in all, ${(size / 1e9).toFixed(2)} GB of CSV; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`,
  );
  console.log(line(['', 'seconds', 'rows/s', 'ours ÷', 'peak RSS MiB']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  console.log(line(['kindling import (runImport)', ours.seconds.toFixed(1), Math.round(totalRows / ours.seconds).toLocaleString('en'), '1.00', mib(ours.peak)]));
  console.log(line(['duckdb read_csv (all threads)', duck.seconds.toFixed(1), Math.round(totalRows / duck.seconds).toLocaleString('en'), (ours.seconds / duck.seconds).toFixed(1), mib(duck.peak)]));
  console.log(line(['postgres COPY, unindexed tables', copy.seconds.toFixed(1), Math.round(totalRows / copy.seconds).toLocaleString('en'), (ours.seconds / copy.seconds).toFixed(1), mib(copy.peak)]));
  console.log('\nWhere the import spent its time (read+stage: from its first to its last batch; then until the next entity: merge):');
  const { marks, total } = ours.result;
  marks.forEach((mark, index) => {
    const next = marks[index + 1]?.start ?? total;
    console.log(`  ${mark.entity.padEnd(16)} read+stage ${(mark.end - mark.start).toFixed(1).padStart(6)} s (${mark.rows.toLocaleString('en')} rows)   merge ${(next - mark.end).toFixed(1).padStart(6)} s`);
  });
  console.log(`  before the first batch (files into the object store): ${(marks[0]?.start ?? 0).toFixed(1)} s`);
  const entities = ours.result.outcome.entities;
  console.log(`  written: ${Object.entries(entities).map(([name, c]) => `${name} ${c.inserted.toLocaleString('en')}`).join(', ')}; refused ${ours.result.outcome.rejected.toLocaleString('en')}`);
  if (duck.result !== totalRows || copy.result !== totalRows) console.log(`  (rows: duckdb ${duck.result}, copy ${copy.result}, lines ${totalRows})`);
  await database.drop();
} finally {
  await server.stop();
  await fs.rm(work, { recursive: true, force: true });
}
