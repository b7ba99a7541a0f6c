#!/usr/bin/env node
// GBDT speed benchmark (issue 6): Kindling's engine (@kindling/gbdt) against LightGBM (and, with
// `hgb`, scikit-learn's HistGradientBoostingClassifier) on the same synthetic data, the same
// parameters (rounds, 31 leaves, learning rate 0.1, 255 bins, 20 rows per leaf, no L2, no
// subsampling) and the same thread count, in one run. Reports training time (binning included),
// ROC AUC on a separate test set from the same process, time to score all training rows, and
// peak resident memory of each process.
//
// The data: ROWS × FEATURES floats, a mix of normal, skewed, discrete and partly missing
// columns; the label is Bernoulli(sigmoid(f(x))) with f nonlinear in 12 of the features
// (thresholds, squares, an interaction) so trees have something to find. Written once as
// column-major float32 (the peers read the identical values) into DATA_DIR.
//
// Usage: npx tsc -b && node bench/gbdt-training.mjs [rows=1000000] [features=200] [rounds=100] [threads=2] [hgb]
// Peer interpreter: $PEER_PYTHON (default: python3 on PATH) with lightgbm and scikit-learn.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { predict, trainGbdt } from '../packages/gbdt/dist/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const featureCount = Number(process.argv[3] ?? 200);
const rounds = Number(process.argv[4] ?? 100);
const threads = Number(process.argv[5] ?? 2);
const withHgb = process.argv[6] === 'hgb';
const testRows = Math.max(10_000, Math.round(rows / 5));
const leaves = 31;
const dataDir = path.join(os.tmpdir(), `bench-data-gbdt-${rows}x${featureCount}`);
const peerScript = fileURLToPath(new URL('./peers/gbdt_training.py', import.meta.url));

/** xorshift32 + Box-Muller: reproducible without a dependency. */
function randomStream(seed) {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Column j's distribution cycles through four kinds; every seventh column has 10 % missing. */
function drawColumn(j, count, random) {
  const column = new Float32Array(count);
  for (let i = 0; i < count; i += 1) {
    const kind = j % 4;
    column[i] = kind === 0 ? random.normal() : kind === 1 ? Math.exp(random.normal()) : kind === 2 ? Math.floor(random.uniform() * 12) : random.uniform();
    if (j % 7 === 3 && random.uniform() < 0.1) column[i] = Number.NaN;
  }
  return column;
}

function drawLabels(columns, count, random) {
  const labels = new Uint8Array(count);
  const x = (j, i) => (Number.isNaN(columns[j][i]) ? 0 : columns[j][i]);
  for (let i = 0; i < count; i += 1) {
    const f = 0.9 * x(0, i) + 0.6 * Math.log1p(x(1, i)) - 0.15 * (x(2, i) - 6) ** 2 / 6 + (x(3, i) > 0.7 ? 1 : 0)
      + 0.5 * x(4, i) * x(8, i) + (Number.isNaN(columns[10][i]) ? 0.8 : 0) - 0.7 * Math.abs(x(12, i)) + 0.4 * Math.sin(4 * x(15, i))
      + 0.3 * (x(6, i) > 5 ? 1 : -1) * x(16, i) + 0.5 * Math.tanh(x(20, i)) - 1.6;
    labels[i] = random.uniform() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
  }
  return labels;
}

async function writeSet(name, count, seed) {
  const random = randomStream(seed);
  const columns = Array.from({ length: featureCount }, (_, j) => drawColumn(j, count, random));
  const labels = drawLabels(columns, count, random);
  const handle = await fs.open(path.join(dataDir, `x-${name}.f32`), 'w');
  for (const column of columns) await handle.write(new Uint8Array(column.buffer));
  await handle.close();
  await fs.writeFile(path.join(dataDir, `y-${name}.u8`), labels);
}

async function ensureData() {
  const marker = path.join(dataDir, 'complete');
  if (await fs.stat(marker).then(() => true, () => false)) return;
  await fs.mkdir(dataDir, { recursive: true });
  await writeSet('train', rows, 20261202);
  await writeSet('test', testRows, 7);
  await fs.writeFile(marker, '');
}

async function readMatrix(name, count) {
  const bytes = await fs.readFile(path.join(dataDir, `x-${name}.f32`));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, count * featureCount);
  const columns = Array.from({ length: featureCount }, (_, j) => Float64Array.from(floats.subarray(j * count, (j + 1) * count)));
  const labels = Float64Array.from(await fs.readFile(path.join(dataDir, `y-${name}.u8`)));
  const features = columns.map((_, j) => ({ name: `x${j}`, kind: 'numeric' }));
  return { matrix: { rowCount: count, features, columns }, labels };
}

/** Mann-Whitney AUC with average ranks for ties. */
function rocAuc(scores, labels) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) if (labels[order[k]] === 1) { positives += 1; rankSum += rank; }
    start = end + 1;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

async function runOurs() {
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const train = await readMatrix('train', rows);
  const test = await readMatrix('test', testRows);
  const params = { objective: 'logistic', maxIterations: rounds, maxLeaves: leaves, learningRate: 0.1, maxBins: 255, minSamplesLeaf: 20, minHessianLeaf: 1e-3, lambdaL2: 0, seed: 1, threads };
  let started = performance.now();
  const { model } = trainGbdt(train.matrix, train.labels, params);
  const trainSeconds = (performance.now() - started) / 1000;
  const auc = rocAuc(predict(model, test.matrix, { threads }), test.labels);
  started = performance.now();
  predict(model, train.matrix, { threads });
  const scoreSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { engine: 'Kindling @kindling/gbdt', train_s: trainSeconds, auc, score_s: scoreSeconds, peak_rss_mib: peak / 2 ** 20 };
}

function runPeers() {
  const python = process.env.PEER_PYTHON ?? 'python3';
  const args = [peerScript, dataDir, rows, testRows, featureCount, rounds, leaves, threads, ...(withHgb ? ['hgb'] : [])].map(String);
  const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
  const result = spawnSync(python, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`peer script failed (${python}): exit ${result.status}`);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

await ensureData();
console.log(`GBDT training: ${rows.toLocaleString('en-GB')} rows × ${featureCount} features (test ${testRows.toLocaleString('en-GB')}), ${rounds} rounds, ${leaves} leaves, ${threads} threads, ${os.cpus().length} cores`);
const results = [...runPeers(), await runOurs()];
const lightgbm = results.find((result) => result.engine.startsWith('LightGBM'));
const table = results.map((result) => ({
  engine: result.engine,
  'train s': result.train_s.toFixed(1),
  '× LightGBM': lightgbm === undefined ? '' : (result.train_s / lightgbm.train_s).toFixed(2),
  'test AUC': result.auc.toFixed(4),
  'AUC − LightGBM': lightgbm === undefined ? '' : (result.auc - lightgbm.auc).toFixed(4),
  [`score ${(rows / 1e6).toFixed(1)}M rows s`]: result.score_s.toFixed(2),
  'peak RSS MiB': Math.round(result.peak_rss_mib),
}));
console.table(table);
