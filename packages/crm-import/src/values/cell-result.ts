/**
 * What parsing one cell gives: a value, a blank (null), or a reason a person can act on. Reasons
 * never repeat the cell's text: the validation report shows the value next to the reason, and
 * log lines carry reasons only, because a cell may hold personal data.
 */
export type CellResult<T> = { readonly ok: true; readonly value: T | null } | { readonly ok: false; readonly reason: string };

export const blank = { ok: true, value: null } as const;

export function accepted<T>(value: T): CellResult<T> {
  return { ok: true, value };
}

export function rejected(reason: string): { readonly ok: false; readonly reason: string } {
  return { ok: false, reason };
}

/** Trims ASCII and Unicode spaces (exports pad with NBSP and narrow NBSP). */
export function trimCell(text: string): string {
  // Most cells have nothing to trim: two character checks instead of a regular expression, in
  // the loop that runs for every cell of every import.
  if (text === '' || (isVisible(text.charCodeAt(0)) && isVisible(text.charCodeAt(text.length - 1)))) return text;
  return text.replace(/^[\s\u00a0\u202f\ufeff]+|[\s\u00a0\u202f\ufeff]+$/gu, '');
}

/** Printable ASCII, or any character beyond Latin-1 other than the spaces trimmed above. */
function isVisible(code: number): boolean {
  return (code > 0x20 && code < 0x7f) || (code > 0xff && code !== 0x202f && code !== 0xfeff && !(code >= 0x2000 && code <= 0x200a) && code !== 0x3000 && code !== 0x2028 && code !== 0x2029 && code !== 0x205f && code !== 0x1680);
}
