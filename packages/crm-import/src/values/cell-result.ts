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
  return text.replace(/^[\s\u00a0\u202f\ufeff]+|[\s\u00a0\u202f\ufeff]+$/gu, '');
}
