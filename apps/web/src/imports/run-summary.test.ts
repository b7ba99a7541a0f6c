import { describe, expect, it } from 'vitest';
import { parseHistory, parseInspection, parseRun, parseStoredMappings, readReceived } from './imports-api';
import { changeRows, filesSummary, formatBytes, mergeAnswers, progressText, questionsByFile, reasonRows, statusLabel } from './run-summary';

const run = {
  runId: '6f1c0c1e-0000-4000-8000-000000000001',
  status: 'applied',
  mode: 'delta',
  preset: 'custom',
  who: 'owner@example.org',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:05.000Z',
  files: [{ name: 'supporters.csv', size: 1_234, entity: 'contacts' }],
  read: 30,
  accepted: 29,
  rejected: 1,
  entities: { gifts: { inserted: 1, updated: 0, unchanged: 0, deleted: 0 }, contacts: { inserted: 29, updated: 0, unchanged: 0, deleted: 2 } },
};

describe('the API answers', () => {
  it('read a run in full and as the history lists it, naming a wrong field', () => {
    const detail = parseRun({ ...run, progress: null, skipped: 0, rejectedByReason: { 'not a number': 1 }, unrecognisedFiles: [], problem: null });
    expect(detail).toMatchObject({ status: 'applied', read: 30, rejectedByReason: { 'not a number': 1 }, who: 'owner@example.org' });
    const page = parseHistory({ runs: [run], nextCursor: null });
    expect(page.runs[0]).toMatchObject({ problem: null, rejectedByReason: {}, progress: null });
    expect(() => parseRun({ ...run, status: 'done' })).toThrow('run.status');
    expect(() => parseHistory({ runs: [{ ...run, files: [{ name: 'x' }] }], nextCursor: null })).toThrow('history.runs[0].files[0].size');
  });

  it('read inspected files, leaving out presets this version does not know', () => {
    const [file] = parseInspection({
      files: [{ uploadId: 'u', fileName: 'Contact.csv', entity: 'contacts', presetMatches: ['npsp', 'salesforce-2030'], headers: ['Id'], mapping: null, missingRequired: [], duplicateHeaders: [], problem: null }],
    });
    expect(file?.presetMatches).toEqual(['npsp']);
  });

  it('read saved column choices, with or without when they were last saved', () => {
    const mapping = { id: 'm', name: 'supporters.csv', entity: 'contacts', columns: [{ header: 'Supporter ID', target: { field: 'external_id' } }], updatedAt: '2026-12-01T10:00:00.000Z' };
    const parsed = parseStoredMappings([mapping, { ...mapping, updatedAt: undefined }]);
    expect(parsed.map((entry) => entry.updatedAt)).toEqual(['2026-12-01T10:00:00.000Z', null]);
    expect(parsed[0]?.headers).toEqual(['Supporter ID']);
    expect(() => parseStoredMappings([{ ...mapping, columns: [{ target: null }] }])).toThrow('mappings[0].columns[0].header');
  });

  it('read where an upload goes on from, after a chunk and from a 409', () => {
    expect(readReceived({ status: 200, body: { received: 2_000 } })).toBe(2_000);
    expect(readReceived({ status: 409, body: { error: { code: 'CONFLICT', message: 'Wrong offset.', details: { received: 1_000 } } } })).toBe(1_000);
    expect(() => readReceived({ status: 409, body: { error: { code: 'CONFLICT', message: 'x' } } })).toThrow('chunk.received');
  });
});

describe('the run summary', () => {
  it('says what a running import reads, in the words of its records', () => {
    expect(progressText({ status: 'queued', progress: null })).toBe('Waiting for the import to start…');
    expect(progressText({ status: 'running', progress: { file: 'gifts.csv', entity: 'gifts', rows: 12_000 } })).toBe('Reading gifts.csv: 12,000 gifts so far');
    expect(statusLabel('refused')).toBe('Refused: nothing changed');
  });

  it('lists changes in the order imports write them, and reasons commonest first', () => {
    const parsed = parseRun({ ...run, progress: null });
    expect(changeRows(parsed.entities).map((row) => row.label)).toEqual(['Contacts (supporters)', 'Gifts']);
    expect(reasonRows({ 'bad date': 2, 'unknown contact': 5, 'bad amount': 2 })).toEqual([
      { reason: 'unknown contact', rows: 5 },
      { reason: 'bad amount', rows: 2 },
      { reason: 'bad date', rows: 2 },
    ]);
  });

  it("groups a refused run's questions by file and kind, keeping three examples", () => {
    const questions = [
      { file: 'gifts.csv', column: 'Date', kind: 'date-order' as const, examples: ['01/02/2024', '03/04/2024'] },
      { file: 'gifts.csv', column: 'Paid on', kind: 'date-order' as const, examples: ['03/04/2024', '05/06/2024', '07/08/2024'] },
      { file: 'gifts.csv', column: 'Amount', kind: 'decimal-separator' as const, examples: [] },
      { file: 'export.zip/plans.csv', column: 'Start', kind: 'date-order' as const, examples: ['02/03/2020'] },
    ];
    expect(questionsByFile(questions)).toEqual([
      { file: 'gifts.csv', kind: 'date-order', columns: ['Date', 'Paid on'], examples: ['01/02/2024', '03/04/2024', '05/06/2024'] },
      { file: 'gifts.csv', kind: 'decimal-separator', columns: ['Amount'], examples: [] },
      { file: 'export.zip/plans.csv', kind: 'date-order', columns: ['Start'], examples: ['02/03/2020'] },
    ]);
    expect(questionsByFile([])).toEqual([]);
  });

  it('keeps earlier answers when a later run asks about another file or another kind, and lets a new answer replace one of the same kind', () => {
    const earlier = { 'gifts.csv': ['dmy' as const] };
    expect(mergeAnswers(earlier, { 'plans.csv': ['mdy'] })).toEqual({ 'gifts.csv': ['dmy'], 'plans.csv': ['mdy'] });
    expect(mergeAnswers(earlier, { 'gifts.csv': [','] })).toEqual({ 'gifts.csv': ['dmy', ','] });
    expect(mergeAnswers({ 'gifts.csv': ['dmy', ','] }, { 'gifts.csv': ['mdy'] })).toEqual({ 'gifts.csv': [',', 'mdy'] });
    expect(earlier).toEqual({ 'gifts.csv': ['dmy'] });
  });

  it('sizes files as file managers do, and shortens long file lists', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(820_000)).toBe('820 KB');
    expect(formatBytes(1_450_000)).toBe('1.5 MB');
    expect(filesSummary([])).toBe('—');
    const file = (name: string) => ({ name, size: 1, entity: null });
    expect(filesSummary([file('a.csv'), file('b.csv'), file('c.csv'), file('d.csv')])).toBe('a.csv, b.csv and 2 more');
  });
});
