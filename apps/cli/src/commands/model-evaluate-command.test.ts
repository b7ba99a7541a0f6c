import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureCatalogue } from '@kindling/features';
import { assertCliBuilt, runCli } from '../test-support/cli-process.js';

let home: string;
let orgId: string;
beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-model-cli-'));
  // The embedded PostgreSQL runs as another user when tests run as root: it must be able to enter.
  await fs.chmod(home, 0o711);
  const demo = path.join(home, 'demo');
  const generated = runCli(['demo-data', '--contacts', '1500', '--years', '5', '--seed', 'model', '--format', 'generic', '--out', demo], { KINDLING_HOME: home });
  expect((await generated.exited()).code, generated.errors()).toBe(0);
  const created = runCli(['admin', 'create', '--org', 'Model Trust', '--email', 'owner@model.example'], { KINDLING_HOME: home });
  expect((await created.exited()).code, created.errors()).toBe(0);
  orgId = /\(([0-9a-f-]{36})\)/u.exec(created.output())?.[1] ?? '';
  const files = (await fs.readdir(demo)).filter((name) => name.endsWith('.csv') && name !== 'ground-truth.csv').map((name) => path.join(demo, name));
  const imported = runCli(['import', '--org', orgId, ...files], { KINDLING_HOME: home });
  expect((await imported.exited()).code, imported.errors()).toBe(0);
}, 240_000);
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('kindling model', () => {
  it('evaluate trains a model validated by time and prints its report against the baseline and its top predictors', async () => {
    const run = runCli(['model', 'evaluate', '--org', orgId, '--outcome', 'responds-to-appeal'], { KINDLING_HOME: home });
    expect((await run.exited()).code, run.errors()).toBe(0);
    const output = run.output();
    expect(output).toMatch(/^Trained on cutoffs 2022-12-31, 2023-12-31 \([\d,]+ rows\); tuned on 2024-12-31/mu);
    expect(output).toMatch(/chosen: (gbdt|logistic)-/u);
    const auc = Number(/AUC\D*(0\.\d+)/u.exec(output)?.[1]);
    expect(auc).toBeGreaterThan(0.7);
    const predictors = output.slice(output.indexOf('Top predictors'));
    const names = [...predictors.matchAll(/^ +\d+\. (\S+)/gmu)].map((match) => match[1]);
    expect(names).toHaveLength(10);
    const catalogue = new Set(featureCatalogue.map((entry) => entry.name));
    for (const name of names) expect(catalogue.has(name ?? '')).toBe(true);
  }, 240_000);

  it('names bad options and an organisation with nothing to learn from', async () => {
    const wrong = runCli(['model', 'evaluate', '--org', orgId, '--outcome', 'wins-lottery', '--cutoffs', '1'], { KINDLING_HOME: home });
    expect((await wrong.exited()).code).toBe(1);
    expect(wrong.errors()).toContain('--outcome must be one of responds-to-appeal');
    expect(wrong.errors()).toContain('--cutoffs must be from 2 to 10');
    const empty = runCli(['admin', 'create', '--org', 'Empty Trust', '--email', 'owner@empty.example'], { KINDLING_HOME: home });
    expect((await empty.exited()).code, empty.errors()).toBe(0);
    const emptyId = /\(([0-9a-f-]{36})\)/u.exec(empty.output())?.[1] ?? '';
    const nothing = runCli(['model', 'evaluate', '--org', emptyId, '--outcome', 'large-gift'], { KINDLING_HOME: home });
    expect((await nothing.exited()).code).toBe(1);
    expect(nothing.errors()).toContain('has no contacts to learn from');
  }, 120_000);

  it('features lists the catalogue by family', async () => {
    const run = runCli(['model', 'features'], { KINDLING_HOME: home });
    expect((await run.exited()).code).toBe(0);
    expect(run.output()).toContain(`${String(featureCatalogue.length)} features in`);
    expect(run.output()).toMatch(/^ {2}months_since_last_gift +Months from the last gift/mu);
  });
});
