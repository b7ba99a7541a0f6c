import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { envSchema } from './index.js';

describe('docs/configuration.md', () => {
  it('documents every environment variable the schema reads, and no other', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});
