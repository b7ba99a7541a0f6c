import { describe, expect, it } from 'vitest';
import { sortChosenFiles } from './accepted-files';

describe('the files the drop zone takes', () => {
  it('takes CSV, XLSX and ZIP in any case, and says why it refuses the rest', () => {
    const file = (name: string) => new File(['x'], name);
    const { accepted, refused } = sortChosenFiles([file('Contacts.CSV'), file('gifts.xlsx'), file('export.zip'), file('notes.pdf'), file('old.xls')]);
    expect(accepted.map((entry) => entry.name)).toEqual(['Contacts.CSV', 'gifts.xlsx', 'export.zip']);
    expect(refused).toEqual([
      '“notes.pdf” can’t be imported: Kindling reads CSV, Excel (.xlsx) and ZIP files.',
      '“old.xls” is an older Excel file (.xls). Save it as .xlsx or CSV in Excel, then add it again.',
    ]);
  });
});
