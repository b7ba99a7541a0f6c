import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from '../test-support/cli-process.js';

let home: string;
let demo: string;
let orgId: string;
beforeAll(async () => {
  assertCliBuilt();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-import-cli-'));
  // The embedded PostgreSQL runs as another user when tests run as root: it must be able to enter.
  await fs.chmod(home, 0o711);
  demo = path.join(home, 'demo');
  const generated = runCli(['demo-data', '--contacts', '120', '--years', '3', '--seed', 'import', '--format', 'generic', '--out', demo], { KINDLING_HOME: home });
  expect((await generated.exited()).code, generated.errors()).toBe(0);
  const created = runCli(['admin', 'create', '--org', 'Import Trust', '--email', 'owner@import.example'], { KINDLING_HOME: home });
  expect((await created.exited()).code, created.errors()).toBe(0);
  orgId = /\(([0-9a-f-]{36})\)/u.exec(created.output())?.[1] ?? '';
}, 120_000);
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function exportFiles(): Promise<string[]> {
  return (await fs.readdir(demo)).filter((name) => name.endsWith('.csv') && name !== 'ground-truth.csv').map((name) => path.join(demo, name));
}

describe('kindling import', () => {
  it('imports an export into an organisation, and a second run of the same files changes nothing', async () => {
    const first = runCli(['import', '--org', orgId, ...(await exportFiles())], { KINDLING_HOME: home });
    expect((await first.exited()).code).toBe(0);
    expect(first.output()).toMatch(/^Import [0-9a-f-]{36} applied: \d+ rows read, \d+ accepted, \d+ refused, 0 skipped\.\n/mu);
    expect(first.output()).toMatch(/^contacts +\d+ +0 +0 +0$/mu);
    const second = runCli(['import', '--org', orgId, ...(await exportFiles())], { KINDLING_HOME: home });
    expect((await second.exited()).code).toBe(0);
    expect(second.output()).toMatch(/^contacts +0 +0 +\d+ +0$/mu);
    expect(second.output()).toMatch(/^gifts +0 +0 +\d+ +0$/mu);
  });

  it('refuses files that need fixing, changing nothing, and names bad options', async () => {
    const broken = path.join(home, 'gifts.csv');
    await fs.writeFile(broken, 'external_id,contact_external_id,date,amount\nG1,C1,2024-02-30,5\nG2,C1,2024-03-01,ten\n');
    const refused = runCli(['import', '--org', orgId, '--mode', 'delta', broken], { KINDLING_HOME: home });
    expect((await refused.exited()).code).toBe(1);
    expect(refused.output()).toMatch(/^Import [0-9a-f-]{36} refused: 2 of 2 rows \(100\.0 %\) were refused, more than the 5 % allowed: nothing was changed\./mu);
    const wrong = runCli(['import', '--org', 'river-trust', '--mode', 'sometimes', broken], { KINDLING_HOME: home });
    expect((await wrong.exited()).code).toBe(1);
    expect(wrong.errors()).toContain('--org must be the organisation id (a UUID); --mode must be complete or delta');
  });

  it('imports a file no preset knows through a mapping file, and names what is wrong with a bad one', async () => {
    const supporters = path.join(home, 'supporters.csv');
    await fs.writeFile(supporters, 'Donor Ref,Wealth,Segment,Notes\r\nD1,"$186,800",North,x\r\nD2,,South,\r\n');
    const columns = [
      { header: 'Donor Ref', target: { field: 'external_id' } },
      { header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } },
      { header: 'Segment', target: { attribute: 'segment', kind: 'categorical' } },
      { header: 'Notes', target: null },
    ];
    const mappingFile = path.join(home, 'mapping.json');
    await fs.writeFile(mappingFile, JSON.stringify([{ fileName: 'supporters.csv', mapping: { entity: 'contacts', columns } }]));
    const imported = runCli(['import', '--org', orgId, '--mode', 'delta', '--mapping', mappingFile, supporters], { KINDLING_HOME: home });
    expect((await imported.exited()).code, imported.errors()).toBe(0);
    expect(imported.output()).toMatch(/^contacts +2 +0 +0 +0$/mu);

    await fs.writeFile(mappingFile, JSON.stringify([{ fileName: 'supporters.csv', mapping: { entity: 'contacts', columns: [{ header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } }] } }]));
    const bad = runCli(['import', '--org', orgId, '--mapping', mappingFile, supporters], { KINDLING_HOME: home });
    expect((await bad.exited()).code).toBe(1);
    expect(bad.errors()).toContain(`--mapping ${mappingFile}: The mapping for supporters.csv cannot be used: required field external_id has no column.`);
    await fs.writeFile(mappingFile, '[{"fileName": "supporters.csv"}');
    const broken = runCli(['import', '--org', orgId, '--mapping', mappingFile, supporters], { KINDLING_HOME: home });
    expect((await broken.exited()).code).toBe(1);
    expect(broken.errors()).toContain(`--mapping ${mappingFile} is not JSON`);
  });
});
