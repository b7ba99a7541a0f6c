import { readFileSync } from 'node:fs';

/** The CLI package's version, read once; the same number the API and banner report. */
export const kindlingVersion: string = (() => {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed = JSON.parse(raw) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
})();
