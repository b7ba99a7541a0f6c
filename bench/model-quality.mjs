#!/usr/bin/env node
// Model quality benchmark on real fundraising data: mean stratified 5-fold ROC AUC of Kindling's
// logistic-regression baseline, its gradient-boosted trees (default parameters; early-stopped on an
// inner fold) and Kindling as it trains an organisation's model (candidates chosen on an inner fold)
// against LightGBM (default parameters),
// scikit-learn's HistGradientBoostingClassifier and scikit-learn's LogisticRegression, all in the
// same run on the same folds (one seed, folds drawn once per data set by @kindling/model-evaluation's
// stratifiedKFold and handed to the peers). Peer AUCs are recomputed here from their out-of-fold
// predictions with our rocAuc and checked against scikit-learn's own figure.
//
// Each data set is loaded into a FeatureMatrix: numeric columns as numbers, string columns (and
// those listed as categorical) as integer codes in sorted order of their values, blanks/NA as
// missing. Per-set config below names the target and the columns dropped as identifiers or leaks.
//
// Usage: npx tsc -b packages/model-evaluation packages/gbdt && node bench/model-quality.mjs [data-dir=../shared/data]
// Peer interpreter: $PEER_PYTHON (default /tmp/pyv/bin/python) with lightgbm and scikit-learn.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldSplit, predictLogisticRegression, rocAuc, selectRows, selectValues, stratifiedKFold, trainLogisticRegression } from '../packages/model-evaluation/dist/index.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dataDir = path.resolve(repoRoot, process.argv[2] ?? '../shared/data');
const peerPython = process.env.PEER_PYTHON ?? '/tmp/pyv/bin/python';
const peerScript = fileURLToPath(new URL('./peers/model_quality.py', import.meta.url));
const folds = 5;
const seed = 'model-quality';

/**
 * target: the 0/1 column; drop: identifiers and leaks (the gift amount is only known for responders);
 * categorical: numeric-looking columns that are codes, not quantities; keep: a row filter.
 */
const dataSets = [
  { name: 'PVA97NK', file: 'kdd-cup-1998-pva97nk/pva97nk.csv', target: 'TargetB', drop: ['ID', 'TargetD'], categorical: ['DemCluster'] },
  { name: 'DMBA Fundraising', file: 'kdd-cup-1998-dmba-fundraising/Fundraising.csv', target: 'TARGET_B', drop: ['Row Id', 'Row Id.', 'TARGET_D'], categorical: [] },
  // Test rows have no labels; train and valid together are cross-validated.
  { name: 'Charity (PREDICT 422)', file: 'charity-direct-mail-predict422/charity.csv', target: 'donr', drop: ['ID', 'damt', 'part'], categorical: [], keep: (row) => row.part !== 'test' },
  { name: 'Wooldridge charity', file: 'wooldridge-charity/charity.csv', target: 'respond', drop: ['gift'], categorical: [] },
  { name: 'Blood transfusion', file: 'blood-transfusion/transfusion.data', target: 'whether he/she donated blood in March 2007', drop: [], categorical: [] },
];

/** One CSV record's fields (quotes, doubled quotes); values are trimmed because some files pad them. */
function parseLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

const isMissing = (value) => value === '' || value === 'NA' || value === '.';

async function loadDataSet(config) {
  const text = await fs.readFile(path.join(dataDir, config.file), 'utf8');
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  const header = parseLine(lines[0].replace(/^\uFEFF/, ''));
  let records = lines.slice(1).map(parseLine);
  if (config.keep !== undefined) records = records.filter((fields) => config.keep(Object.fromEntries(header.map((name, index) => [name, fields[index]]))));
  const targetIndex = header.indexOf(config.target);
  if (targetIndex < 0) throw new Error(`${config.name}: no column ${config.target}`);
  const labels = Float64Array.from(records, (fields) => Number(fields[targetIndex]));
  if (labels.some((label) => label !== 0 && label !== 1)) throw new Error(`${config.name}: target is not 0/1`);
  const features = [];
  const columns = [];
  header.forEach((name, index) => {
    if (index === targetIndex || config.drop.includes(name)) return;
    const raw = records.map((fields) => fields[index] ?? '');
    const numeric = raw.every((value) => isMissing(value) || Number.isFinite(Number(value)));
    if (numeric && !config.categorical.includes(name)) {
      features.push({ name, kind: 'numeric' });
      columns.push(Float64Array.from(raw, (value) => (isMissing(value) ? Number.NaN : Number(value))));
      return;
    }
    const levels = [...new Set(raw.filter((value) => !isMissing(value)))].sort();
    const code = new Map(levels.map((level, position) => [level, position]));
    features.push({ name, kind: 'categorical', categoryCount: levels.length });
    columns.push(Float64Array.from(raw, (value) => (isMissing(value) ? Number.NaN : (code.get(value) ?? Number.NaN))));
  });
  return { matrix: { rowCount: records.length, features, columns }, labels };
}

/**
 * The GBDT with a smaller learning rate, stopped on an inner validation fold (a fifth of the training
 * fold, stratified) and refitted on nothing more: a first look at what inner validation buys on small sets.
 */
function earlyStopped(gbdt, train, labels) {
  const inner = foldSplit(stratifiedKFold(labels, 5, 'inner'), 0);
  const result = gbdt.trainGbdt(selectRows(train, inner.train), selectValues(labels, inner.train), { learningRate: 0.05, maxIterations: 1000, earlyStoppingRounds: 30 }, { validation: { matrix: selectRows(train, inner.validation), labels: selectValues(labels, inner.validation) } });
  return { inner, score: (matrix) => gbdt.predict(result.model, matrix) };
}

/**
 * Kindling as it trains an organisation's model (@kindling/model-training's fitBinaryModel): its
 * candidates (two early-stopped GBDT configurations, logistic regressions at three penalties) fitted
 * on four fifths of the training fold and chosen on the other fifth (stratified). Scored by the
 * champion's raw score, the order Kindling ranks by.
 */
function kindlingModel(training, train, labels) {
  const inner = foldSplit(stratifiedKFold(labels, 5, 'inner'), 0);
  const fitted = training.fitBinaryModel(
    { matrix: selectRows(train, inner.train), labels: selectValues(labels, inner.train) },
    { matrix: selectRows(train, inner.validation), labels: selectValues(labels, inner.validation) },
    { seed: 1, refitOnAllRows: true, simplerWithinStandardErrors: Number(process.env.SIMPLER_WITHIN ?? 1) },
  );
  return (matrix) => training.championRawScores(fitted.champion, matrix);
}

/** Kindling's engines: the logistic baseline always, the GBDT when its build exports trainGbdt and predict. */
async function kindlingEngines() {
  const engines = [{ name: 'kindling logistic', fit: (train, labels) => ((model) => (matrix) => predictLogisticRegression(model, matrix))(trainLogisticRegression(train, labels, { l2: 1 })) }];
  try {
    const gbdt = await import('../packages/gbdt/dist/index.js');
    const training = await import('../packages/model-training/dist/index.js');
    if (typeof gbdt.trainGbdt === 'function' && typeof gbdt.predict === 'function') {
      engines.unshift(
        { name: 'kindling gbdt', fit: (train, labels) => ((result) => (matrix) => gbdt.predict(result.model, matrix))(gbdt.trainGbdt(train, labels, {})) },
        { name: 'kindling gbdt early-stop', fit: (train, labels) => earlyStopped(gbdt, train, labels).score },
        { name: 'kindling (model-training)', fit: (train, labels) => kindlingModel(training, train, labels) },
      );
    } else console.error('kindling gbdt: packages/gbdt/dist does not export trainGbdt and predict yet; skipped');
  } catch (error) {
    console.error(`kindling gbdt: not built (${error.message}); skipped`);
  }
  return engines;
}

/** Out-of-fold predictions of one engine, and each fold's AUC. */
function crossValidate(engine, matrix, labels, foldOf) {
  const aucs = [];
  const started = performance.now();
  for (let fold = 0; fold < folds; fold += 1) {
    const split = foldSplit(foldOf, fold);
    const score = engine.fit(selectRows(matrix, split.train), selectValues(labels, split.train));
    aucs.push(rocAuc(score(selectRows(matrix, split.validation)), selectValues(labels, split.validation)));
  }
  return { aucs, seconds: (performance.now() - started) / 1000 };
}

function runPeers(file) {
  // One thread per peer, like Kindling's engines: the machine is shared, and oversubscribed OpenMP
  // threads made HistGradientBoosting take minutes per data set.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const result = spawnSync(peerPython, [peerScript, file], { encoding: 'utf8', maxBuffer: 1 << 28, env });
  if (result.status !== 0) throw new Error(`peer script failed (${peerPython}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Peer predictions → per-fold AUC with our rocAuc, cross-checked against scikit-learn's roc_auc_score. */
function peerAucs(peer, labels, foldOf) {
  const predictions = Float64Array.from(peer.predictions);
  return peer.sklearnAucs.map((sklearnAuc, fold) => {
    const rows = foldSplit(foldOf, fold).validation;
    const ours = rocAuc(selectValues(predictions, rows), selectValues(labels, rows));
    if (Math.abs(ours - sklearnAuc) > 1e-9) throw new Error(`${peer.name}: our AUC ${ours} differs from scikit-learn's ${sklearnAuc} on fold ${fold}`);
    return ours;
  });
}

const mean = (values) => values.reduce((total, value) => total + value, 0) / values.length;
const sd = (values) => Math.sqrt(values.reduce((total, value) => total + (value - mean(values)) ** 2, 0) / (values.length - 1));

const engines = await kindlingEngines();
const table = [];
const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'model-quality-'));
try {
  for (const config of dataSets) {
    const { matrix, labels } = await loadDataSet(config);
    const foldOf = stratifiedKFold(labels, folds, seed);
    const row = { name: config.name, rows: matrix.rowCount, features: matrix.features.length, positives: labels.reduce((total, label) => total + label, 0), results: new Map() };
    for (const engine of engines) {
      const { aucs, seconds } = crossValidate(engine, matrix, labels, foldOf);
      row.results.set(engine.name, { aucs, seconds });
    }
    const file = path.join(tempDir, 'data.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        features: matrix.features,
        columns: matrix.columns.map((column) => Array.from(column, (value) => (Number.isNaN(value) ? null : value))),
        labels: Array.from(labels),
        folds: Array.from(foldOf),
      }),
    );
    for (const peer of runPeers(file)) row.results.set(peer.name, { aucs: peerAucs(peer, labels, foldOf), seconds: peer.seconds });
    table.push(row);
    console.error(`${config.name}: done`);
  }
} finally {
  await fs.rm(tempDir, { recursive: true, force: true });
}

const engineNames = [...new Set(table.flatMap((row) => [...row.results.keys()]))];
const header = ['data set', 'rows', 'pos %', ...engineNames];
const lines = table.map((row) => [
  row.name,
  String(row.rows),
  ((100 * row.positives) / row.rows).toFixed(1),
  ...engineNames.map((name) => {
    const result = row.results.get(name);
    return result === undefined ? '—' : `${mean(result.aucs).toFixed(3)} ±${sd(result.aucs).toFixed(3)}`;
  }),
]);
const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
const format = (cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
console.log(`Mean ${folds}-fold ROC AUC (± fold standard deviation), stratified folds, seed "${seed}", same folds for every engine`);
console.log(format(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of lines) console.log(format(line));
console.log('');
console.log(`Seconds for all ${folds} folds: ${table.map((row) => `${row.name}: ${engineNames.map((name) => `${name} ${row.results.get(name)?.seconds.toFixed(1) ?? '—'}`).join(', ')}`).join('; ')}`);
