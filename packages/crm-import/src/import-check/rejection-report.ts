import type { Rejection } from '../validation/row-reading.js';

/** The first line of a report of refused cells. */
export const rejectionReportHeader = 'file,line,column,value,reason\n';

/** A value as a CSV cell that no spreadsheet will run as a formula: one starting with = + - @ or a control character gets a leading '. */
export function safeCsvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
  return /[",\r\n]/u.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One refused cell as a line of the report (file, line, column, value, reason), newline included. */
export function rejectionReportLine(rejection: Rejection): string {
  return `${[rejection.file, rejection.line, rejection.column, rejection.value, rejection.reason].map(safeCsvCell).join(',')}\n`;
}
