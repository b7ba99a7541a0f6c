import { createCsvTokenizer } from './csv-tokenizer.js';

export const delimiterCandidates = [',', ';', '\t', '|'] as const;

/**
 * The delimiter that splits the sample's lines into the same number of fields, more than one,
 * most consistently (ties: more fields). Quotes are respected, so commas inside quoted names do
 * not vote. A sample no candidate splits is one column: the comma is as good as any.
 */
export function sniffDelimiter(sample: string): string {
  const lines = sample.slice(0, 64 * 1024);
  let best: { delimiter: string; agreeing: number; fields: number } = { delimiter: ',', agreeing: 0, fields: 1 };
  for (const delimiter of delimiterCandidates) {
    const tokenizer = createCsvTokenizer({ delimiter, maxRecordChars: Number.MAX_SAFE_INTEGER, fileName: 'sample' });
    // The sample's last record may be cut short; it does not vote.
    const counts = tokenizer.push(lines).slice(0, 50).map((record) => record.fields.length);
    const header = counts[0] ?? 1;
    if (header < 2) continue;
    const agreeing = counts.filter((count) => count === header).length;
    if (agreeing > best.agreeing || (agreeing === best.agreeing && header > best.fields)) best = { delimiter, agreeing, fields: header };
  }
  return best.delimiter;
}
