import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importPresetNamed } from '../presets/preset-registry.js';
import { checkImport, type ImportCheckOptions } from './import-check.js';

const limits = { maxEntries: 100, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 200 };
const generic = importPresetNamed('generic');

async function* bytesOf(text: string | Uint8Array): AsyncGenerator<Uint8Array> {
  await Promise.resolve();
  yield typeof text === 'string' ? strToU8(text) : text;
}

const contacts = ['external_id,kind,given_names,family_name,email,created_on', 'C1,individual,Ann,Lee,ann@example.org,2020-01-05', 'C2,individual,Bo,Ng,,2021-03-04', 'C3,organisation,,,info@example.com,2019-12-31'].join('\n');
const gifts = [
  'external_id,contact_external_id,date,amount,currency,type',
  'G1,C1,31/01/2024,£25.00,,one-off',
  'G2,C2,15/02/2024,"£1,250.00",GBP,one-off',
  'G3,C9,01/03/2024,10,,one-off',
  'G4,C1,30/02/2024,ten,,gift aid',
  'G1,C3,01/04/2024,5,,one-off',
].join('\n');

function options(overrides: Partial<ImportCheckOptions> = {}): ImportCheckOptions {
  return { preset: generic, organisationCurrency: 'GBP', mode: 'complete', limits, ...overrides };
}

describe('checkImport', () => {
  it('reads every file as the import will and reports rows accepted and refused, with file, line, column and reason', async () => {
    const check = await checkImport(
      [
        { name: 'contacts.csv', bytes: bytesOf(contacts) },
        { name: 'gifts.csv', bytes: bytesOf(gifts) },
      ],
      options(),
    );
    expect(check.files.map(({ file, entity, read, accepted, rejected }) => ({ file, entity, read, accepted, rejected }))).toEqual([
      { file: 'contacts.csv', entity: 'contacts', read: 3, accepted: 3, rejected: 0 },
      { file: 'gifts.csv', entity: 'gifts', read: 5, accepted: 3, rejected: 2 },
    ]);
    // G3's contact is in no file: refused too, in a complete import.
    expect({ read: check.read, accepted: check.accepted, rejected: check.rejected }).toEqual({ read: 8, accepted: 5, rejected: 3 });
    expect(check.rejections.map(({ file, line, column, reason }) => [file, line, column, reason.split(' (')[0]])).toEqual([
      ['gifts.csv', 5, 'date', 'is not a date'],
      ['gifts.csv', 5, 'amount', 'is not an amount'],
      ['gifts.csv', 5, 'type', 'is not one of: one-off, recurring instalment, pledge payment, bequest, in memoriam, event income, other'],
      ['gifts.csv', 6, null, 'repeats the external id of line 2'],
      ['gifts.csv', 4, null, 'refers to a contact that is not in the contacts file'],
    ]);
    expect(check.rejectedByReason).toMatchObject({ 'is not a date': 1, 'repeats the external id of line 2': 1 });
  });

  it('leaves contacts it cannot see to the database in a delta import', async () => {
    const check = await checkImport([{ name: 'gifts.csv', bytes: bytesOf(gifts) }], options({ mode: 'delta' }));
    expect(check.unresolvedContactReferences).toBe(3);
    expect(check.rejected).toBe(2);
  });

  it('refuses payment failures of plans in no file in a complete import, and leaves them to the database in a delta', async () => {
    const plans = ['external_id,contact_external_id,start_date,amount', 'P1,C1,2024-01-01,10'].join('\n');
    const failures = ['plan_external_id,date,reason', 'P1,2024-03-01,Insufficient funds', 'P9,2024-03-01,Insufficient funds', 'P9,2024-04-01,Insufficient funds'].join('\n');
    const files = () => [
      { name: 'contacts.csv', bytes: bytesOf(contacts) },
      { name: 'recurring_plans.csv', bytes: bytesOf(plans) },
      { name: 'payment_failures.csv', bytes: bytesOf(failures) },
    ];
    const complete = await checkImport(files(), options());
    expect(complete.rejections.map(({ file, line, value, reason }) => [file, line, value, reason])).toEqual([
      ['payment_failures.csv', 3, 'P9', 'refers to a recurring plan that is not in the recurring plans file (2 rows with this recurring plan id)'],
    ]);
    expect(complete.files.find((file) => file.entity === 'payment_failures')).toMatchObject({ read: 3, accepted: 3 });
    expect({ accepted: complete.accepted, rejected: complete.rejected }).toEqual({ accepted: complete.read - 2, rejected: 2 });
    const delta = await checkImport(files(), options({ mode: 'delta' }));
    expect({ unresolvedPlanReferences: delta.unresolvedPlanReferences, rejected: delta.rejected }).toEqual({ unresolvedPlanReferences: 2, rejected: 0 });
  });

  it('reads the files of a zip, names the ones the preset does not know, and asks about ambiguous dates', async () => {
    // The generic template assumes day-first dates; without that default the file must decide, or the person.
    const undecided = { ...generic, dayMonthOrder: null };
    const ambiguous = ['external_id,contact_external_id,date,amount', 'G1,C1,01/02/2024,5', 'G2,C1,03/04/2024,5'].join('\n');
    const archive = zipSync({ 'export/contacts.csv': strToU8(contacts), 'export/gifts.csv': strToU8(ambiguous), 'export/readme.txt': strToU8('hello') });
    const check = await checkImport([{ name: 'crm.zip', bytes: bytesOf(archive) }], options({ preset: undecided }));
    expect(check.unrecognisedFiles).toEqual(['crm.zip/export/readme.txt']);
    const giftsFile = check.files.find((file) => file.entity === 'gifts');
    expect(giftsFile).toMatchObject({ read: 0, questions: [{ field: 'date', kind: 'date-order', examples: ['01/02/2024', '03/04/2024'] }] });
    const answered = await checkImport([{ name: 'crm.zip', bytes: bytesOf(archive) }], options({ preset: undecided, answers: { 'crm.zip/export/gifts.csv': { date: 'mdy' } } }));
    expect(answered.files.find((file) => file.entity === 'gifts')).toMatchObject({ read: 2, accepted: 2, questions: [] });
  });

  it('reads nothing of a file that lacks a required column, and says which', async () => {
    const check = await checkImport([{ name: 'gifts.csv', bytes: bytesOf('external_id,date\nG1,2024-01-01\n') }], options());
    expect(check.files[0]).toMatchObject({ read: 0, missingRequired: ['contact_external_id', 'amount'] });
  });
});
