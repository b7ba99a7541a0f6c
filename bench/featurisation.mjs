#!/usr/bin/env node
// Featurisation benchmark: @kindling/features' featuriser on a synthetic charity's history, against
// DuckDB computing the same gift and communication aggregates in SQL over the same columnar data
// in the same run. Phases:
//   load history          loadContactHistory: PostgreSQL → typed columns, one snapshot, cursor reads
//   featurise, 1 cutoff   featuriseAt(history, last day): the whole catalogue for every contact
//   featurise, 40 out     the same computation keeping 40 columns: the cost of the output memory
//   featurise, 4 cutoffs  the same at four yearly cutoffs in one pass (rolling-origin training)
//   duckdb SQL            the windowed gift and communication aggregates (total, by type, by
//                         campaign category and channel; counts, sums, means, maxima, spread,
//                         recency, distinct months, responses) as one GROUP BY per table over
//                         the history's columns exported to CSV and loaded into DuckDB tables
//                         (loading not timed); one thread and all threads
// The data comes from `kindling demo-data` (generic layout, 10 years), imported into an embedded
// PostgreSQL in a temporary folder that is removed afterwards.
// Usage: npx tsc -b && node bench/featurisation.mjs [contacts=20000] [runs=3]
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { importPresetNamed } from '../packages/crm-import/dist/index.js';
import { createDataProtection, createLocalRootKeyProvider } from '../packages/crypto/dist/index.js';
import { createPostgresKeyStore } from '../packages/crypto/dist/postgres/index.js';
import { startEmbeddedPostgres } from '../packages/db/dist/index.js';
import { createTestDatabase, seedOrganisation } from '../packages/db/dist/testing/index.js';
import { generateDemoData, groundTruthFileName } from '../packages/demo-data/dist/index.js';
import { addMonths, featuriseAt, loadContactHistory } from '../packages/features/dist/index.js';
import { createEncryptedObjectStore, createLocalFolderStore } from '../packages/object-store/dist/index.js';
import { runImport } from '../packages/reference-store/dist/index.js';

const contacts = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 3);

async function demoFiles() {
  const chunks = new Map();
  await generateDemoData({
    contacts, years: 10, seed: 'bench-features', format: 'generic', quirkRate: 0,
    output: { open: (name) => { const list = []; chunks.set(name, list); return new Writable({ write(chunk, _e, done) { list.push(chunk); done(); } }); } },
  });
  chunks.delete(groundTruthFileName);
  return chunks;
}

async function importDemo(database, work) {
  const rootKeyProvider = await createLocalRootKeyProvider({ keyBase64: randomBytes(32).toString('base64') });
  const fields = createDataProtection({ keyStore: createPostgresKeyStore({ db: database.appDb, rootKeyProvider }) });
  const backend = createLocalFolderStore({ root: path.join(work, 'objects') });
  const orgId = (await seedOrganisation(database.ownerDb, 'Bench Charity')).id;
  const files = await demoFiles();
  const outcome = await runImport(
    { db: database.appDb, fields, objectStore: (org) => createEncryptedObjectStore({ backend, dataProtection: fields, orgId: org }) },
    { orgId, preset: importPresetNamed('generic'), mode: 'complete', organisationCurrency: 'GBP', files: [...files].map(([name, list]) => ({ name, bytes: Readable.from(list) })), actor: { userId: null, tokenId: null }, maxRejectedShare: 0.05, limits: { maxEntries: 20, maxTotalBytes: 4 * 1024 ** 3, maxRatio: 200 } },
  );
  if (outcome.status !== 'applied') throw new Error(`import ${outcome.status}`);
  return orgId;
}

function best(fn) {
  const times = [];
  let result;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = fn();
    times.push((performance.now() - started) / 1000);
  }
  return { seconds: Math.min(...times), result };
}

async function writeColumns(file, header, count, row) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) if (!out.write(`${row(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The history's gifts and communications as CSV, each row with its contact index (no personal data). */
async function exportHistory(history, work) {
  const contactOf = (start, count) => {
    const owner = new Int32Array(count);
    for (let c = 0; c < history.contactCount; c++) owner.fill(c, start[c], start[c + 1]);
    return owner;
  };
  const g = history.gifts;
  const giftContact = contactOf(g.start, g.day.length);
  await writeColumns(path.join(work, 'gifts.csv'), 'contact,day,month,amount,type,category,channel', g.day.length, (i) => `${giftContact[i]},${g.day[i]},${g.month[i]},${g.amount[i]},${g.type[i]},${g.category[i]},${g.channel[i]}`);
  const m = history.communications;
  const commContact = contactOf(m.start, m.day.length);
  await writeColumns(path.join(work, 'communications.csv'), 'contact,day,category,channel,response', m.day.length, (i) => `${commContact[i]},${m.day[i]},${m.category[i]},${m.channel[i]},${m.response[i]}`);
}

/** The same windowed aggregates as the featuriser's gift and communication families, as SQL. */
function aggregatesSql(cutoff) {
  const windows = [3, 6, 12, 24, 36, 60].map((months) => ({ key: `${months}m`, start: addMonths(cutoff, -months) })).concat([{ key: 'all', start: -1e9 }]);
  const pick = (keys) => windows.filter((w) => keys.includes(w.key));
  const gift = [];
  for (const w of windows) gift.push(`count(*) FILTER (WHERE day > ${w.start})`, `sum(amount) FILTER (WHERE day > ${w.start})`, `avg(amount) FILTER (WHERE day > ${w.start})`, `max(amount) FILTER (WHERE day > ${w.start})`);
  for (const w of pick(['12m', '24m', '60m', 'all'])) gift.push(`stddev_samp(amount) FILTER (WHERE day > ${w.start})`, `count(DISTINCT month) FILTER (WHERE day > ${w.start})`);
  const slices = [...Array.from({ length: 7 }, (_, t) => `type = ${t}`), ...Array.from({ length: 18 }, (_, c) => `category = ${c}`), 'category = 255', ...Array.from({ length: 8 }, (_, h) => `channel = ${h}`), 'channel = 255'];
  for (const slice of slices) {
    gift.push(`${cutoff} - max(day) FILTER (WHERE ${slice})`);
    for (const w of pick(['12m', '36m', 'all'])) gift.push(`count(*) FILTER (WHERE ${slice} AND day > ${w.start})`, `sum(amount) FILTER (WHERE ${slice} AND day > ${w.start})`);
  }
  gift.push(`${cutoff} - max(day)`, `min(day)`, `count(*) FILTER (WHERE month % 12 = 11) / count(*)`);
  const comm = [];
  for (const w of windows) comm.push(`count(*) FILTER (WHERE day > ${w.start})`, `count(*) FILTER (WHERE response = 1 AND day > ${w.start})`);
  const commSlices = [...Array.from({ length: 8 }, (_, h) => `channel = ${h}`), 'channel = 255', ...Array.from({ length: 18 }, (_, c) => `category = ${c}`), 'category = 255'];
  for (const slice of commSlices) for (const w of pick(['12m', 'all'])) comm.push(`count(*) FILTER (WHERE ${slice} AND day > ${w.start})`, `count(*) FILTER (WHERE ${slice} AND response = 1 AND day > ${w.start})`);
  const list = (items, prefix) => items.map((item, i) => `${item} AS ${prefix}${i}`).join(',\n  ');
  return {
    count: gift.length + comm.length,
    // eslint-disable-next-line kindling/no-raw-sql -- every piece is this script's own text and day numbers it computed; nothing comes from input
    sql: `CREATE OR REPLACE TABLE features AS
      WITH g AS (SELECT contact, ${list(gift, 'g')} FROM gifts WHERE day <= ${cutoff} GROUP BY contact),
           m AS (SELECT contact, ${list(comm, 'm')} FROM communications WHERE day <= ${cutoff} GROUP BY contact)
      SELECT * FROM g FULL OUTER JOIN m USING (contact)`,
  };
}

async function duckdb(work, cutoff, threads) {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    await connection.run('CREATE TABLE gifts AS SELECT * FROM read_csv($file, header = true)', { file: path.join(work, 'gifts.csv') });
    await connection.run('CREATE TABLE communications AS SELECT * FROM read_csv($file, header = true)', { file: path.join(work, 'communications.csv') });
    const query = aggregatesSql(cutoff);
    const times = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await connection.run(query.sql);
      times.push((performance.now() - started) / 1000);
    }
    return { seconds: Math.min(...times), features: query.count };
  } finally {
    connection.closeSync();
  }
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-features-'));
await fs.chmod(work, 0o711);
const server = await startEmbeddedPostgres({ directory: path.join(work, 'postgres'), port: 0 });
try {
  const database = await createTestDatabase(server.ownerUrl, randomBytes(24).toString('base64url'));
  console.error('  generating and importing …');
  const orgId = await importDemo(database, work);
  let started = performance.now();
  const history = await loadContactHistory(database.appDb, orgId);
  const loadSeconds = (performance.now() - started) / 1000;
  const cutoff = history.lastDay;
  const cutoffs = [0, 1, 2, 3].map((k) => addMonths(cutoff, -12 * (3 - k)));
  featuriseAt(history, cutoffs); // warm-up: the first run compiles the hot loops
  const one = best(() => featuriseAt(history, cutoff));
  const four = best(() => featuriseAt(history, cutoffs));
  // The same computation writing 40 columns instead of 489: how much of the time is filling output memory.
  const narrow = best(() => featuriseAt(history, cutoff, { features: one.result.matrix.features.slice(0, 40).map((feature) => feature.name) }));
  const giftsUpTo = (day) => { let n = 0; for (const d of history.gifts.day) if (d <= day) n++; return n; };
  const commsUpTo = (day) => { let n = 0; for (const d of history.communications.day) if (d <= day) n++; return n; };
  const gifts1 = giftsUpTo(cutoff);
  const events1 = gifts1 + commsUpTo(cutoff);
  const gifts4 = cutoffs.reduce((sum, day) => sum + giftsUpTo(day), 0);
  const events4 = cutoffs.reduce((sum, day) => sum + giftsUpTo(day) + commsUpTo(day), 0);
  await exportHistory(history, work);
  const duckOne = await duckdb(work, cutoff, 1);
  const duckAll = await duckdb(work, cutoff, os.cpus().length);
  const rows = one.result.matrix.rowCount;
  const features = one.result.matrix.features.length;
  const totalRows = history.contactCount + history.gifts.day.length + history.communications.day.length + history.plans.startDay.length + history.failures.day.length;
  console.log(`Featurisation: ${history.contactCount.toLocaleString('en')} contacts, ${history.gifts.day.length.toLocaleString('en')} gifts, ${history.communications.day.length.toLocaleString('en')} communications, ${history.plans.startDay.length.toLocaleString('en')} plans; best of ${runs}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.table([
    { phase: 'load history (PostgreSQL → columns)', seconds: loadSeconds.toFixed(2), rows: totalRows, 'gift events/s': '', 'events/s': Math.round(totalRows / loadSeconds).toLocaleString('en'), features: '' },
    { phase: 'featurise, 1 cutoff (ours, 1 thread)', seconds: one.seconds.toFixed(3), rows, 'gift events/s': Math.round(gifts1 / one.seconds).toLocaleString('en'), 'events/s': Math.round(events1 / one.seconds).toLocaleString('en'), features },
    { phase: 'featurise, 1 cutoff, 40 columns out', seconds: narrow.seconds.toFixed(3), rows, 'gift events/s': Math.round(gifts1 / narrow.seconds).toLocaleString('en'), 'events/s': Math.round(events1 / narrow.seconds).toLocaleString('en'), features: 40 },
    { phase: 'featurise, 4 cutoffs (ours, 1 thread)', seconds: four.seconds.toFixed(3), rows: four.result.reduce((sum, r) => sum + r.matrix.rowCount, 0), 'gift events/s': Math.round(gifts4 / four.seconds).toLocaleString('en'), 'events/s': Math.round(events4 / four.seconds).toLocaleString('en'), features },
    { phase: 'duckdb SQL, 1 cutoff, 1 thread', seconds: duckOne.seconds.toFixed(3), rows: '', 'gift events/s': Math.round(gifts1 / duckOne.seconds).toLocaleString('en'), 'events/s': Math.round(events1 / duckOne.seconds).toLocaleString('en'), features: duckOne.features },
    { phase: `duckdb SQL, 1 cutoff, ${os.cpus().length} threads`, seconds: duckAll.seconds.toFixed(3), rows: '', 'gift events/s': Math.round(gifts1 / duckAll.seconds).toLocaleString('en'), 'events/s': Math.round(events1 / duckAll.seconds).toLocaleString('en'), features: duckAll.features },
  ]);
  await database.drop();
} finally {
  await server.stop();
  await fs.rm(work, { recursive: true, force: true });
}
