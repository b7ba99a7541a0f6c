/** What the importer reads: CSV (any delimiter and encoding), Excel workbooks and zips of those. */
export const ACCEPTED_EXTENSIONS = ['.csv', '.xlsx', '.zip'] as const;

/** For the file picker: extensions and the types browsers report for them. */
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_EXTENSIONS, 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'].join(',');

/** Why a file cannot be imported by its type, in words for staff; null when it can. */
export function fileTypeProblem(name: string): string | null {
  const lower = name.toLowerCase();
  if (ACCEPTED_EXTENSIONS.some((extension) => lower.endsWith(extension))) return null;
  if (lower.endsWith('.xls')) return `“${name}” is an older Excel file (.xls). Save it as .xlsx or CSV in Excel, then add it again.`;
  return `“${name}” can’t be imported: Kindling reads CSV, Excel (.xlsx) and ZIP files.`;
}

/** Splits what was dropped or chosen into files to upload and messages about the rest. */
export function sortChosenFiles(files: readonly File[]): { accepted: File[]; refused: string[] } {
  const accepted: File[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const problem = fileTypeProblem(file.name);
    if (problem === null) accepted.push(file);
    else refused.push(problem);
  }
  return { accepted, refused };
}
