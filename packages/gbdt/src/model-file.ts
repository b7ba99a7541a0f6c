/**
 * The GBDT model file: one UTF-8 JSON document that describes itself, checked in full on load.
 *
 * ```
 * {
 *   "format": "kindling.gbdt-model",        // refuses any other JSON document by name
 *   "version": 1,                          // bumped when a field changes meaning; other versions are refused
 *   "metadata": {
 *     "createdAt": "2026-12-02T06:00:00.000Z",
 *     "engineVersion": "0.1.0",            // the @kindling/gbdt that trained it
 *     "trainingParams": { ... },           // opaque JSON record, kept as given
 *     "featureCatalogue": ["gift_count_12m", ...]   // catalogue names the training run was offered
 *   },
 *   "objective": "logistic" | "squared-error" | "tweedie",
 *   "baseScore": -1.2,
 *   "features": [{ "name": "gift_count_12m", "kind": "numeric" },
 *                { "name": "region", "kind": "categorical", "categoryCount": 12 }],
 *   "trees": [{
 *     "nodeCount": 61,
 *     "splitFeature": "<base64>", "left": "<base64>", "right": "<base64>",        // int32, nodeCount each
 *     "categoryOffset": "<base64>", "categoryWords": "<base64>",                 // int32, nodeCount each
 *     "threshold": "<base64>", "value": "<base64>", "cover": "<base64>",         // float64, nodeCount each
 *     "missingGoesLeft": "<base64>",                                             // uint8, nodeCount
 *     "categoryBits": "<base64>"                                                 // uint32, any length
 *   }]
 * }
 * ```
 *
 * Every typed array is the base64 of its elements as little-endian bytes (written and read through
 * a DataView, so the file is the same on any machine), which keeps float64 values bit-exact: a
 * loaded model scores exactly as the saved one. Meaning of the arrays: tree-model.ts.
 *
 * On load the file must parse (zod: shape, names, objective, base64), and every tree must be a
 * tree: arrays of the stated length, split features in range and of the right kind, children in
 * range with every node reached exactly once from the root (no cycle, no shared or orphan node),
 * categorical bitset slices inside `categoryBits`, values and covers finite, covers adding up.
 * Thresholds may be ±Infinity (a split that sends every present value one way) but not NaN.
 */
import { AppError } from '@kindling/errors';
import { z } from 'zod';
import type { FlatTree, ModelFeature, TreeEnsemble } from './tree-model.js';

const formatName = 'kindling.gbdt-model';
/** The model file version this code writes and reads. */
export const modelFileVersion = 1;

/** What a model file records about how the model was made, beside the model itself. */
export interface ModelMetadata {
  /** ISO 8601 time of training. */
  readonly createdAt: string;
  /** Version of the engine that trained the model. */
  readonly engineVersion: string;
  /** The training parameters as given, kept opaque (any JSON values). */
  readonly trainingParams: Readonly<Record<string, unknown>>;
  /** Names of the catalogue features the training run was offered, in order; the model's own features are among them. */
  readonly featureCatalogue: readonly string[];
}

export interface ModelFile {
  readonly model: TreeEnsemble;
  readonly metadata: ModelMetadata;
}

const metadataSchema = z
  .object({
    createdAt: z.iso.datetime({ offset: true }),
    engineVersion: z.string().min(1),
    trainingParams: z.record(z.string(), z.json()),
    featureCatalogue: z.array(z.string().min(1)),
  })
  .strict();

const featureSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1), kind: z.literal('numeric') }).strict(),
  z.object({ name: z.string().min(1), kind: z.literal('categorical'), categoryCount: z.number().int().min(0) }).strict(),
]);

const treeSchema = z
  .object({
    nodeCount: z.number().int().min(1),
    splitFeature: z.base64(),
    threshold: z.base64(),
    missingGoesLeft: z.base64(),
    categoryOffset: z.base64(),
    categoryWords: z.base64(),
    categoryBits: z.base64(),
    left: z.base64(),
    right: z.base64(),
    value: z.base64(),
    cover: z.base64(),
  })
  .strict();

const fileSchema = z
  .object({
    format: z.literal(formatName),
    version: z.literal(modelFileVersion),
    metadata: metadataSchema,
    objective: z.enum(['logistic', 'squared-error', 'tweedie']),
    baseScore: z.number(),
    features: z.array(featureSchema).superRefine((features, context) => {
      const names = new Set<string>();
      features.forEach((feature, index) => {
        if (names.has(feature.name)) context.addIssue({ code: 'custom', message: `feature "${feature.name}" appears twice`, path: [index, 'name'] });
        names.add(feature.name);
      });
    }),
    trees: z.array(treeSchema),
  })
  .strict();

const envelopeSchema = z.object({ format: z.string(), version: z.unknown() }).loose();

type StoredTree = z.infer<typeof treeSchema>;
type TypedArrayKind = 'int32' | 'uint32' | 'float64' | 'uint8';

const elementSize: Record<TypedArrayKind, number> = { int32: 4, uint32: 4, float64: 8, uint8: 1 };

function encodeArray(values: Int32Array | Uint32Array | Float64Array | Uint8Array, kind: TypedArrayKind): string {
  const bytes = new Uint8Array(values.length * elementSize[kind]);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    if (kind === 'int32') view.setInt32(index * 4, value, true);
    else if (kind === 'uint32') view.setUint32(index * 4, value, true);
    else if (kind === 'float64') view.setFloat64(index * 8, value, true);
    else view.setUint8(index, value);
  });
  return Buffer.from(bytes).toString('base64');
}

function refuse(reason: string, cause?: unknown): AppError {
  return new AppError('VALIDATION_FAILED', `GBDT model file: ${reason}`, cause === undefined ? {} : { cause });
}

function decodeBytes(text: string, kind: TypedArrayKind, length: number | null, where: string): DataView {
  const bytes = Buffer.from(text, 'base64');
  const size = elementSize[kind];
  if (bytes.length % size !== 0 || (length !== null && bytes.length !== length * size)) {
    throw refuse(`${where} holds ${String(bytes.length)} bytes, expected ${length === null ? `a multiple of ${String(size)}` : String(length * size)}`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
}

function decodeInt32(text: string, length: number | null, where: string): Int32Array {
  const view = decodeBytes(text, 'int32', length, where);
  return Int32Array.from({ length: view.byteLength / 4 }, (_, index) => view.getInt32(index * 4, true));
}

function decodeUint32(text: string, where: string): Uint32Array {
  const view = decodeBytes(text, 'uint32', null, where);
  return Uint32Array.from({ length: view.byteLength / 4 }, (_, index) => view.getUint32(index * 4, true));
}

function decodeFloat64(text: string, length: number, where: string): Float64Array {
  const view = decodeBytes(text, 'float64', length, where);
  return Float64Array.from({ length }, (_, index) => view.getFloat64(index * 8, true));
}

function decodeUint8(text: string, length: number, where: string): Uint8Array {
  const view = decodeBytes(text, 'uint8', length, where);
  return Uint8Array.from({ length }, (_, index) => view.getUint8(index));
}

function storedTree(tree: FlatTree): StoredTree {
  return {
    nodeCount: tree.splitFeature.length,
    splitFeature: encodeArray(tree.splitFeature, 'int32'),
    threshold: encodeArray(tree.threshold, 'float64'),
    missingGoesLeft: encodeArray(tree.missingGoesLeft, 'uint8'),
    categoryOffset: encodeArray(tree.categoryOffset, 'int32'),
    categoryWords: encodeArray(tree.categoryWords, 'int32'),
    categoryBits: encodeArray(tree.categoryBits, 'uint32'),
    left: encodeArray(tree.left, 'int32'),
    right: encodeArray(tree.right, 'int32'),
    value: encodeArray(tree.value, 'float64'),
    cover: encodeArray(tree.cover, 'float64'),
  };
}

function loadedTree(stored: StoredTree, where: string): FlatTree {
  const n = stored.nodeCount;
  return {
    splitFeature: decodeInt32(stored.splitFeature, n, `${where} splitFeature`),
    threshold: decodeFloat64(stored.threshold, n, `${where} threshold`),
    missingGoesLeft: decodeUint8(stored.missingGoesLeft, n, `${where} missingGoesLeft`),
    categoryOffset: decodeInt32(stored.categoryOffset, n, `${where} categoryOffset`),
    categoryWords: decodeInt32(stored.categoryWords, n, `${where} categoryWords`),
    categoryBits: decodeUint32(stored.categoryBits, `${where} categoryBits`),
    left: decodeInt32(stored.left, n, `${where} left`),
    right: decodeInt32(stored.right, n, `${where} right`),
    value: decodeFloat64(stored.value, n, `${where} value`),
    cover: decodeFloat64(stored.cover, n, `${where} cover`),
  };
}

/** Covers are sums of training weights, computed in floating point: allow for rounding. */
const coverTolerance = 1e-6;

/** The reason a node breaks the rules on its own, or null: children are range-checked here, the shape by `checkShape`. */
function nodeProblem(tree: FlatTree, node: number, features: readonly ModelFeature[]): string | null {
  const feature = tree.splitFeature[node] ?? -1;
  const left = tree.left[node] ?? -1;
  const right = tree.right[node] ?? -1;
  const offset = tree.categoryOffset[node] ?? -1;
  const words = tree.categoryWords[node] ?? 0;
  const cover = tree.cover[node] ?? Number.NaN;
  if (!Number.isFinite(tree.value[node] ?? Number.NaN)) return 'value is not a finite number';
  if (!(cover >= 0) || !Number.isFinite(cover)) return 'cover is not a finite number >= 0';
  if (Number.isNaN(tree.threshold[node] ?? Number.NaN)) return 'threshold is NaN';
  if ((tree.missingGoesLeft[node] ?? 0) > 1) return 'missingGoesLeft is neither 0 nor 1';
  if (feature === -1) return left === -1 && right === -1 && offset === -1 ? null : 'a leaf has children or a category set';
  const kind = features[feature]?.kind;
  if (kind === undefined) return `split feature ${String(feature)} is not one of the ${String(features.length)} features`;
  if (left < 0 || left >= tree.splitFeature.length || right < 0 || right >= tree.splitFeature.length) return 'a child index is out of range';
  if (kind === 'numeric' && offset !== -1) return 'a numeric feature has a category set';
  if (kind === 'categorical' && (offset < 0 || words < 0 || offset + words > tree.categoryBits.length)) return 'the category set is outside categoryBits';
  return null;
}

function coversAddUp(tree: FlatTree, node: number): boolean {
  if ((tree.splitFeature[node] ?? -1) < 0) return true;
  const cover = tree.cover[node] ?? 0;
  const childCover = (tree.cover[tree.left[node] ?? 0] ?? 0) + (tree.cover[tree.right[node] ?? 0] ?? 0);
  return Math.abs(childCover - cover) <= coverTolerance * Math.max(1, cover);
}

/** Every node must be reached exactly once from the root: no cycle, no node with two parents, no orphan. */
function checkShape(tree: FlatTree, where: string): void {
  const reached = new Uint8Array(tree.splitFeature.length);
  const stack = [0];
  reached[0] = 1;
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if ((tree.splitFeature[node] ?? -1) < 0) continue;
    for (const child of [tree.left[node] ?? 0, tree.right[node] ?? 0]) {
      if (reached[child] === 1) throw refuse(`${where} node ${String(child)} is reached twice (a cycle or a shared node)`);
      reached[child] = 1;
      stack.push(child);
    }
  }
  const orphan = reached.indexOf(0);
  if (orphan >= 0) throw refuse(`${where} node ${String(orphan)} is not reached from the root`);
}

function checkTree(tree: FlatTree, features: readonly ModelFeature[], where: string): void {
  for (let node = 0; node < tree.splitFeature.length; node += 1) {
    const problem = nodeProblem(tree, node, features);
    if (problem !== null) throw refuse(`${where} node ${String(node)}: ${problem}`);
  }
  checkShape(tree, where);
  for (let node = 0; node < tree.splitFeature.length; node += 1) {
    if (!coversAddUp(tree, node)) throw refuse(`${where} node ${String(node)}: cover is not the sum of its children's covers`);
  }
}

/**
 * The model and its metadata as the text of a model file (see the format above). The same model
 * and metadata always give the same text.
 */
export function serialiseModel(model: TreeEnsemble, metadata: ModelMetadata): string {
  // Checked on the way out too: a file that parseModelFile would refuse is better never written.
  const checked = metadataSchema.safeParse(metadata);
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `GBDT model metadata is invalid at ${first?.path.join('.') ?? 'the top level'} (${first?.message ?? 'invalid'})`, { cause: checked.error });
  }
  return JSON.stringify({
    format: formatName,
    version: modelFileVersion,
    metadata: { createdAt: metadata.createdAt, engineVersion: metadata.engineVersion, trainingParams: metadata.trainingParams, featureCatalogue: metadata.featureCatalogue },
    objective: model.objective,
    baseScore: model.baseScore,
    features: model.features.map((feature) => (feature.kind === 'categorical' ? { name: feature.name, kind: feature.kind, categoryCount: feature.categoryCount ?? 0 } : { name: feature.name, kind: feature.kind })),
    trees: model.trees.map(storedTree),
  });
}

function parseJson(input: string | Uint8Array): unknown {
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    return JSON.parse(text);
  } catch (error) {
    throw refuse('the file is not valid UTF-8 JSON (truncated or corrupted)', error);
  }
}

/**
 * Reads a model file, refusing (AppError VALIDATION_FAILED naming the first problem) anything that
 * is not a whole, well-formed model of this version: another file type, another version, a
 * malformed field, or trees that are not trees (see the header of this module).
 */
export function parseModelFile(input: string | Uint8Array): ModelFile {
  const document = parseJson(input);
  const envelope = envelopeSchema.safeParse(document);
  if (!envelope.success || envelope.data.format !== formatName) throw refuse('the file is not a Kindling GBDT model');
  if (envelope.data.version !== modelFileVersion) {
    const version = envelope.data.version === undefined ? 'none' : JSON.stringify(envelope.data.version);
    throw refuse(`the model has version ${version}, this Kindling reads version ${String(modelFileVersion)}; retrain the model`);
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first === undefined || first.path.length === 0 ? 'the top level' : first.path.join('.');
    throw refuse(`the file is malformed at ${where} (${first?.message ?? 'invalid'})`, parsed.error);
  }
  const { metadata, objective, baseScore, features, trees } = parsed.data;
  if (!Number.isFinite(baseScore)) throw refuse('baseScore is not a finite number');
  const model: TreeEnsemble = {
    objective,
    baseScore,
    features,
    trees: trees.map((stored, index) => {
      const where = `tree ${String(index)}`;
      const tree = loadedTree(stored, where);
      checkTree(tree, features, where);
      return tree;
    }),
  };
  return { model, metadata };
}
