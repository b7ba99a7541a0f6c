import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli } from '../test-support/cli-process.js';

let root: string;
let demo: string;
beforeAll(async () => {
  assertCliBuilt();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-import-check-cli-'));
  demo = path.join(root, 're-nxt');
  const generated = runCli(['demo-data', '--contacts', '150', '--years', '3', '--seed', 'check', '--format', 're-nxt', '--out', demo], { KINDLING_HOME: root });
  expect((await generated.exited()).code).toBe(0);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function exportFiles(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).filter((name) => name.endsWith('.csv') && name !== 'ground-truth.csv').map((name) => path.join(folder, name));
}

describe('kindling import check', () => {
  it('reads a whole export with its preset and says it can be imported', async () => {
    const cli = runCli(['import', 'check', '--preset', 're-nxt', ...(await exportFiles(demo))], { KINDLING_HOME: root });
    expect((await cli.exited()).code).toBe(0);
    expect(cli.output()).toMatch(/^file +entity +read +accepted +refused +skipped\n/u);
    expect(cli.output()).toMatch(/\ntotal: \d+ rows, \d+ accepted, \d+ refused \(0\.\d\d %; an import refuses to run above 5 %\)\n/u);
  });

  it('names every refused cell in a report that no spreadsheet runs, and exits 1 above the threshold', async () => {
    const broken = path.join(root, 'broken');
    await fs.mkdir(broken);
    await fs.writeFile(path.join(broken, 'contacts.csv'), 'external_id,kind,created_on\nC1,individual,2020-01-01\n');
    await fs.writeFile(path.join(broken, 'gifts.csv'), 'external_id,contact_external_id,date,amount\nG1,C1,2024-02-30,5\nG2,C1,2024-03-01,=HYPERLINK("x")\nG3,C7,2024-03-02,5\n');
    const report = path.join(root, 'refused.csv');
    const cli = runCli(['import', 'check', '--report', report, path.join(broken, 'contacts.csv'), path.join(broken, 'gifts.csv')], { KINDLING_HOME: root });
    expect((await cli.exited()).code).toBe(1);
    expect(cli.output()).toContain('total: 4 rows, 1 accepted, 3 refused (75.00 %; an import refuses to run above 5 %)');
    const lines = (await fs.readFile(report, 'utf8')).trim().split('\n');
    expect(lines).toEqual([
      'file,line,column,value,reason',
      expect.stringMatching(/^gifts\.csv,2,date,2024-02-30,"is not a date/u) as unknown as string,
      expect.stringMatching(/^gifts\.csv,3,amount,"'=HYPERLINK\(""x""\)","is not an amount/u) as unknown as string,
      'gifts.csv,4,,C7,refers to a contact that is not in the contacts file (1 row with this contact id)',
    ]);
    expect((await fs.stat(report)).mode & 0o777).toBe(0o600);
  });

  it('asks how to read dates that read both ways, accepts the answer, and names bad options', async () => {
    // CiviCRM exports carry no day-month convention of their own, so the column must decide.
    const folder = path.join(root, 'ambiguous');
    await fs.mkdir(folder);
    const contributions = path.join(folder, 'contributions.csv');
    await fs.writeFile(contributions, 'Contribution ID,Contact ID,Date Received,Total Amount,Contribution Status\nG1,C1,01/02/2024,5,Completed\nG2,C1,03/04/2024,5,Completed\nG3,C1,05/06/2024,5,Pending\n');
    const asked = runCli(['import', 'check', '--preset', 'civicrm', '--mode', 'delta', contributions], { KINDLING_HOME: root });
    expect((await asked.exited()).code).toBe(1);
    expect(asked.output()).toContain('Date Received: dates such as 01/02/2024, 03/04/2024, 05/06/2024 read both day-first and month-first; say which with --date-order dmy or mdy');
    const answered = runCli(['import', 'check', '--preset', 'civicrm', '--mode', 'delta', '--date-order', 'mdy', contributions], { KINDLING_HOME: root });
    expect((await answered.exited()).code).toBe(0);
    expect(answered.output()).toMatch(/contributions\.csv +gifts +2 +2 +0 +1\n/u);
    expect(answered.output()).toContain('2 rows refer to contacts not in these files');
    const wrong = runCli(['import', 'check', '--preset', 'salesforce', '--date-order', 'ymd', contributions], { KINDLING_HOME: root });
    expect((await wrong.exited()).code).toBe(1);
    expect(wrong.errors()).toContain('--preset must be one of generic, npsp, re-nxt, dynamics, donorfy, civicrm; --date-order must be dmy or mdy');
  });

  it('checks a file no preset knows through a mapping file, naming the cells a numeric attribute refuses', async () => {
    const folder = path.join(root, 'mapped');
    await fs.mkdir(folder);
    const supporters = path.join(folder, 'supporters.csv');
    await fs.writeFile(supporters, 'Donor Ref,Wealth,Segment\rD1,"$186,800",North\rD2,NA,South\rD3,,South');
    const mappingFile = path.join(folder, 'mapping.json');
    const columns = [
      { header: 'Donor Ref', target: { field: 'external_id' } },
      { header: 'Wealth', target: { attribute: 'wealth', kind: 'numeric' } },
      { header: 'Segment', target: { attribute: 'segment', kind: 'categorical' } },
    ];
    await fs.writeFile(mappingFile, JSON.stringify([{ fileName: 'supporters.csv', mapping: { entity: 'contacts', columns } }]));
    const report = path.join(folder, 'refused.csv');
    const checked = runCli(['import', 'check', '--mapping', mappingFile, '--report', report, supporters], { KINDLING_HOME: root });
    expect((await checked.exited()).code).toBe(1);
    expect(checked.output()).toMatch(/supporters\.csv +contacts +3 +2 +1 +0\n/u);
    expect(await fs.readFile(report, 'utf8')).toContain('supporters.csv,3,Wealth,NA,is not a number (the custom attribute wealth is numeric)');
    const both = runCli(['import', 'check', '--preset', 'generic', '--mapping', mappingFile, supporters], { KINDLING_HOME: root });
    expect((await both.exited()).code).toBe(1);
    expect(both.errors()).toContain('Give --preset or --mapping, not both.');
  });
});
