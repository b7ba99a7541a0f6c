import { isAppError } from '@kindling/errors';
import { describe, expect, it } from 'vitest';
import { modelFileVersion, parseModelFile, serialiseModel, type ModelMetadata } from './model-file.js';
import { predictRaw } from './predictor.js';
import { createSeededRandom } from './seeded-random.js';
import { featuresOf, handEnsemble, matrixOf, randomHandTree, randomRows, type HandNode } from './test-support/hand-built-trees.js';
import type { FeatureKind } from './tree-model.js';

const kinds: FeatureKind[] = ['numeric', 'categorical', 'numeric', 'categorical'];
const random = createSeededRandom(7);
const features = featuresOf(kinds, 40);
const trees = Array.from({ length: 15 }, () => randomHandTree(random, { kinds, maxDepth: 6, categoryCount: 40 }));
const model = handEnsemble(trees, features, -1.234567890123, 'logistic');
const metadata: ModelMetadata = {
  createdAt: '2026-12-02T06:30:00.000Z',
  engineVersion: '0.1.0',
  trainingParams: { learningRate: 0.05, leaves: 31, nested: { seed: 3, list: [1, 'two', null] } },
  featureCatalogue: ['f0', 'f1', 'f2', 'f3', 'not_used'],
};
const stored = serialiseModel(model, metadata);

type Field = 'splitFeature' | 'left' | 'right' | 'categoryOffset' | 'categoryWords' | 'threshold' | 'value' | 'cover' | 'missingGoesLeft' | 'categoryBits';
const int32Fields: readonly Field[] = ['splitFeature', 'left', 'right', 'categoryOffset', 'categoryWords'];

/** Rewrites one array of one stored tree, decoding and encoding the bytes independently of the module. */
function editTree(treeIndex: number, field: Field, edit: (values: number[]) => void): string {
  const document = JSON.parse(stored) as { trees: Record<string, string | number>[] };
  const tree = document.trees[treeIndex];
  if (tree === undefined) throw new Error('no such tree');
  const bytes = Buffer.from(String(tree[field]), 'base64');
  const size = int32Fields.includes(field) || field === 'categoryBits' ? 4 : field === 'missingGoesLeft' ? 1 : 8;
  const values = Array.from({ length: bytes.length / size }, (_, index) =>
    size === 1 ? bytes.readUInt8(index) : size === 8 ? bytes.readDoubleLE(index * 8) : field === 'categoryBits' ? bytes.readUInt32LE(index * 4) : bytes.readInt32LE(index * 4),
  );
  edit(values);
  const out = Buffer.alloc(values.length * size);
  values.forEach((value, index) => {
    if (size === 1) out.writeUInt8(value, index);
    else if (size === 8) out.writeDoubleLE(value, index * 8);
    else if (field === 'categoryBits') out.writeUInt32LE(value, index * 4);
    else out.writeInt32LE(value, index * 4);
  });
  tree[field] = out.toString('base64');
  return JSON.stringify(document);
}

function edited(edit: (document: Record<string, unknown>) => void): string {
  const document = JSON.parse(stored) as Record<string, unknown>;
  edit(document);
  return JSON.stringify(document);
}

function refusal(input: string | Uint8Array): string {
  try {
    parseModelFile(input);
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') return error.message;
    throw error;
  }
  throw new Error('the model file was accepted');
}

/** The first internal node of tree 0 and its left child. */
function firstSplit(): { node: number; left: number } {
  const tree = model.trees[0];
  if (tree === undefined) throw new Error('no tree');
  const node = tree.splitFeature.findIndex((feature) => feature >= 0);
  return { node, left: tree.left[node] ?? -1 };
}

describe('the model file', () => {
  it('round-trips: the loaded model scores bit for bit as the saved one, with its metadata', () => {
    const loaded = parseModelFile(stored);
    const matrix = matrixOf(features, randomRows(createSeededRandom(8), kinds, 40, 2000));
    expect(Buffer.from(predictRaw(loaded.model, matrix).buffer).equals(Buffer.from(predictRaw(model, matrix).buffer))).toBe(true);
    expect(loaded.model).toEqual(model);
    expect(loaded.metadata).toEqual(metadata);
    expect(serialiseModel(loaded.model, loaded.metadata)).toBe(stored);
    expect(parseModelFile(new TextEncoder().encode(stored)).model).toEqual(model);
    expect(JSON.parse(stored)).toMatchObject({ format: 'kindling.gbdt-model', version: modelFileVersion, objective: 'logistic' });
  });

  it('keeps infinite thresholds, negative zero and extreme doubles exactly', () => {
    const tree: HandNode = {
      feature: 0,
      threshold: Number.POSITIVE_INFINITY,
      missingLeft: false,
      left: { feature: 2, threshold: -0, missingLeft: true, left: { leaf: Number.MIN_VALUE, cover: 1 }, right: { leaf: -Number.MAX_VALUE / 1e10, cover: 2 } },
      right: { leaf: 0.1 + 0.2, cover: 3 },
    };
    const special = handEnsemble([tree], features, 0, 'tweedie');
    const loaded = parseModelFile(serialiseModel(special, metadata)).model;
    expect(loaded).toEqual(special);
    expect(Object.is(loaded.trees[0]?.threshold[1], -0)).toBe(true);
  });

  it('round-trips a model with no trees and a root-only tree', () => {
    const bare = handEnsemble([], features, 0.5, 'squared-error');
    expect(parseModelFile(serialiseModel(bare, metadata)).model).toEqual(bare);
    const stumpless = handEnsemble([{ leaf: 2, cover: 10 }], features, 0.5, 'squared-error');
    expect(parseModelFile(serialiseModel(stumpless, metadata)).model).toEqual(stumpless);
  });

  it('refuses a truncated, foreign or other-version file by name', () => {
    expect(refusal(stored.slice(0, stored.length / 2))).toBe('GBDT model file: the file is not valid UTF-8 JSON (truncated or corrupted)');
    expect(refusal(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatch(/not valid UTF-8 JSON/);
    expect(refusal(JSON.stringify({ format: 'kindling.campaign-tag-suggester', version: 1 }))).toBe('GBDT model file: the file is not a Kindling GBDT model');
    expect(refusal('[1,2]')).toMatch(/not a Kindling GBDT model/);
    expect(refusal(edited((document) => { document['version'] = 2; }))).toBe('GBDT model file: the model has version 2, this Kindling reads version 1; retrain the model');
  });

  it('refuses to write metadata it could not read back', () => {
    expect(() => serialiseModel(model, { ...metadata, createdAt: 'yesterday' })).toThrow(/GBDT model metadata is invalid at createdAt/);
    expect(() => serialiseModel(model, { ...metadata, trainingParams: { learningRate: Number.NaN } })).toThrow(/GBDT model metadata is invalid at trainingParams\.learningRate/);
    expect(() => serialiseModel(model, { ...metadata, trainingParams: { callback: () => 1 } })).toThrow(/invalid at trainingParams\.callback/);
  });

  it('refuses malformed fields, naming where', () => {
    expect(refusal(edited((document) => { document['objective'] = 'poisson'; }))).toMatch(/malformed at objective/);
    expect(refusal(edited((document) => { document['extra'] = 1; }))).toMatch(/malformed at the top level/);
    expect(refusal(edited((document) => { (document['metadata'] as Record<string, unknown>)['createdAt'] = 'yesterday'; }))).toMatch(/malformed at metadata\.createdAt/);
    expect(refusal(edited((document) => { document['features'] = [...features, { name: 'f1', kind: 'numeric' }]; }))).toMatch(/malformed at features\.4\.name \(feature "f1" appears twice\)/);
    expect(refusal(edited((document) => { document['features'] = [{ name: 'f0', kind: 'categorical' }, ...features.slice(1)]; }))).toMatch(/malformed at features\.0\.categoryCount/);
    expect(refusal(stored.replace('"baseScore":-1.234567890123', '"baseScore":1e999'))).toMatch(/malformed at baseScore/);
    const badBase64 = edited((document) => {
      const tree = (document['trees'] as Record<string, unknown>[])[1];
      if (tree !== undefined) tree['value'] = 'not*base64';
    });
    expect(refusal(badBase64)).toMatch(/malformed at trees\.1\.value/);
  });

  it('refuses arrays whose length does not match the node count', () => {
    expect(refusal(editTree(2, 'value', (values) => { values.pop(); }))).toMatch(/^GBDT model file: tree 2 value holds \d+ bytes, expected \d+$/);
    expect(refusal(editTree(0, 'missingGoesLeft', (values) => { values.push(0); }))).toMatch(/tree 0 missingGoesLeft holds/);
    expect(refusal(edited((document) => { const tree = (document['trees'] as Record<string, unknown>[])[0] ?? {}; tree['categoryBits'] = Buffer.from([1, 2, 3]).toString('base64'); }))).toMatch(/tree 0 categoryBits holds 3 bytes, expected a multiple of 4/);
  });

  it('refuses trees that are not trees', () => {
    const { node, left } = firstSplit();
    const nodeCount = model.trees[0]?.splitFeature.length ?? 0;
    expect(refusal(editTree(0, 'left', (values) => { values[node] = nodeCount; }))).toBe(`GBDT model file: tree 0 node ${String(node)}: a child index is out of range`);
    expect(refusal(editTree(0, 'right', (values) => { values[node] = left; }))).toMatch(/reached twice/);
    expect(refusal(editTree(0, 'left', (values) => { values[node] = 0; }))).toMatch(/tree 0 node 0 is reached twice \(a cycle or a shared node\)/);
    expect(refusal(editTree(0, 'splitFeature', (values) => { values[node] = features.length; }))).toMatch(new RegExp(`tree 0 node ${String(node)}: split feature 4 is not one of the 4 features`));
    expect(refusal(editTree(0, 'splitFeature', (values) => { values[node] = -1; }))).toBe(`GBDT model file: tree 0 node ${String(node)}: a leaf has children or a category set`);
  });

  it('refuses an orphan node, a leaf with children, and broken category sets', () => {
    const orphan = handEnsemble([{ feature: 0, threshold: 0.5, missingLeft: true, left: { leaf: 1, cover: 1 }, right: { leaf: 2, cover: 1 } }], features);
    const text = serialiseModel(orphan, metadata);
    const document = JSON.parse(text) as { trees: Record<string, unknown>[] };
    const tree = document.trees[0] ?? {};
    const int32 = (values: number[]) => Buffer.from(new Int32Array(values).buffer).toString('base64');
    tree['right'] = int32([1, -1, -1]);
    expect(refusal(JSON.stringify(document))).toMatch(/tree 0 node 1 is reached twice/);
    // The root made a leaf: its former children are left without a parent.
    Object.assign(tree, { splitFeature: int32([-1, -1, -1]), left: int32([-1, -1, -1]), right: int32([-1, -1, -1]) });
    expect(refusal(JSON.stringify(document))).toBe('GBDT model file: tree 0 node 1 is not reached from the root');
    const categorical = handEnsemble([{ feature: 1, categoriesLeft: [3], missingLeft: true, left: { leaf: 1, cover: 1 }, right: { leaf: 2, cover: 1 } }], features);
    const categoricalText = serialiseModel(categorical, metadata);
    const withOffset = JSON.parse(categoricalText) as { trees: Record<string, unknown>[] };
    const categoricalTree = withOffset.trees[0] ?? {};
    categoricalTree['categoryOffset'] = Buffer.from(new Int32Array([1, -1, -1]).buffer).toString('base64');
    expect(refusal(JSON.stringify(withOffset))).toBe('GBDT model file: tree 0 node 0: the category set is outside categoryBits');
    categoricalTree['categoryOffset'] = Buffer.from(new Int32Array([-1, -1, -1]).buffer).toString('base64');
    expect(refusal(JSON.stringify(withOffset))).toMatch(/node 0: the category set is outside categoryBits/);
    categoricalTree['categoryOffset'] = Buffer.from(new Int32Array([0, 0, -1]).buffer).toString('base64');
    expect(refusal(JSON.stringify(withOffset))).toMatch(/node 1: a leaf has children or a category set/);
  });

  it('refuses non-finite values and covers, a NaN threshold, covers that do not add up, and a category set on a numeric feature', () => {
    const { node, left } = firstSplit();
    expect(refusal(editTree(0, 'value', (values) => { values[left] = Number.NaN; }))).toBe(`GBDT model file: tree 0 node ${String(left)}: value is not a finite number`);
    expect(refusal(editTree(0, 'value', (values) => { values[left] = Number.POSITIVE_INFINITY; }))).toMatch(/value is not a finite number/);
    expect(refusal(editTree(0, 'cover', (values) => { values[left] = -1; }))).toMatch(/cover is not a finite number >= 0/);
    expect(refusal(editTree(0, 'cover', (values) => { values[left] = (values[left] ?? 0) + 1; }))).toMatch(new RegExp(`node ${String(node)}: cover is not the sum of its children's covers`));
    expect(refusal(editTree(0, 'threshold', (values) => { values[node] = Number.NaN; }))).toMatch(/threshold is NaN/);
    expect(refusal(editTree(0, 'missingGoesLeft', (values) => { values[node] = 2; }))).toMatch(/missingGoesLeft is neither 0 nor 1/);
    const numeric = handEnsemble([{ feature: 0, threshold: 0.5, missingLeft: true, left: { leaf: 1, cover: 1 }, right: { leaf: 2, cover: 1 } }], features);
    const document = JSON.parse(serialiseModel(numeric, metadata)) as { trees: Record<string, unknown>[] };
    const tree = document.trees[0] ?? {};
    tree['categoryOffset'] = Buffer.from(new Int32Array([0, -1, -1]).buffer).toString('base64');
    expect(refusal(JSON.stringify(document))).toMatch(/node 0: a numeric feature has a category set/);
  });
});
