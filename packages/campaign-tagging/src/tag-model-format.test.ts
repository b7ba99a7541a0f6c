import { isAppError } from '@kindling/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTagSuggester, serialiseTagSuggester, tagModelVersion } from './tag-model-format.js';
import { suggestTags, trainTagSuggester, type TagSuggester } from './tag-suggester.js';
import { generateDemoCampaigns, type DemoCampaign } from './test-support/demo-campaigns.js';

let campaigns: DemoCampaign[];
let suggester: TagSuggester;
let stored: string;
beforeAll(async () => {
  campaigns = await generateDemoCampaigns({ contacts: 300, years: 4, seed: 'tag-model-format' });
  suggester = trainTagSuggester(campaigns);
  stored = serialiseTagSuggester(suggester);
});

/** Edits a parsed copy of the stored model and serialises it again. */
function tampered(edit: (document: Record<string, unknown> & { category: { labels: string[]; bias: number[]; weights: number[][] } }) => void): string {
  const document = JSON.parse(stored) as Parameters<typeof edit>[0];
  edit(document);
  return JSON.stringify(document);
}

function refusal(text: string): string {
  try {
    parseTagSuggester(text);
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
  throw new Error('the model was accepted');
}

describe('the stored model', () => {
  it('round-trips: the loaded model suggests exactly what the trained one did', () => {
    const loaded = parseTagSuggester(stored);
    expect(suggestTags(loaded, campaigns)).toEqual(suggestTags(suggester, campaigns));
    expect(serialiseTagSuggester(loaded)).toBe(stored);
    expect(JSON.parse(stored)).toMatchObject({ format: 'kindling.campaign-tag-suggester', version: tagModelVersion });
  });

  it('round-trips a model that has learned nothing yet', () => {
    const empty = trainTagSuggester([]);
    expect(parseTagSuggester(serialiseTagSuggester(empty))).toEqual(empty);
  });

  it('refuses a truncated or corrupted file with a clear reason', () => {
    expect(refusal(stored.slice(0, stored.length / 2))).toMatch(/campaign tag model: the file is not valid JSON \(truncated or corrupted\); retrain it/);
    expect(refusal(tampered((document) => { document.category.labels[0] = 'Bake sale'; }))).toMatch(/malformed at category\.labels\.0/);
    expect(refusal(tampered((document) => { document.category.weights[0]?.pop(); }))).toMatch(/malformed at category\.weights\.0 \(weights row 0 is not a distinct feature index followed by one weight per label\)/);
    expect(refusal(tampered((document) => { document.category.bias.push(0); }))).toMatch(/bias does not have one value per label/);
    expect(refusal(stored.replace(/"bias":\[([-0-9.e]+)/, '"bias":[1e999'))).toMatch(/malformed at category\.bias\.0/);
    expect(refusal(tampered((document) => { document['extra'] = true; }))).toMatch(/malformed/);
  });

  it('refuses a foreign file and a model of another version', () => {
    expect(refusal(JSON.stringify({ format: 'someone-else.model', version: 1 }))).toMatch(/the file is not a Kindling campaign tag model/);
    expect(refusal(JSON.stringify([1, 2, 3]))).toMatch(/not a Kindling campaign tag model/);
    expect(refusal(tampered((document) => { document['version'] = tagModelVersion + 1; }))).toMatch(/the model has version 2, this Kindling reads version 1; retrain it/);
  });
});
