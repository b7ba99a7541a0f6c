import type { FlatTree } from './tree-model.js';

/**
 * The scoring loop for trees with numeric splits only, as a WebAssembly function. Written here
 * instruction by instruction (no toolchain, nothing prebuilt to trust) because JavaScript cannot
 * express what makes it fast: choosing a child with a data-dependent `select` instead of a branch
 * (a tree walk's branches are unpredictable, so each costs a pipeline flush), over eight rows at
 * once so their independent walks overlap, with no bounds checks. A leaf points at itself and sends
 * every value to itself, so the eight rows step together until none moves (or the tree's depth is reached).
 *
 * Memory layout (all little-endian; addresses are byte offsets in the instance's memory):
 * - tree table at 0: per tree, its root node's address (i32) and its depth (i32);
 * - nodes, 32 bytes each: threshold f64 @0, address of the node's column in the block i32 @8,
 *   missingGoesLeft i32 @12, left child's address i32 @16, right child's address i32 @20, leaf
 *   value f64 @24. A leaf: threshold +Infinity, missingGoesLeft 1, both children itself;
 * - the block: `blockRows` rows of every feature, column-major, as scoring-kernel.ts lays it out;
 * - the output: `blockRows` f64 running sums, to which each tree's leaf values are added.
 *
 * At a node, step = missingGoesLeft ? (x > t) : !(x <= t), both 0 for left and 1 for right, NaN
 * included (every comparison with NaN is false); then node = load(node + 16 + 4 * step).
 */

/** Rows walked together; `blockRows` must be a multiple (the last group may run on stale rows, never read). */
export const wasmLanes = 8;
export const wasmNodeBytes = 32;

const opcode = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  select: 0x1b,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32GeS: 0x4e,
  f64Gt: 0x64,
  f64Le: 0x65,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  f64Add: 0xa0,
} as const;
const emptyBlockType = 0x40;
const i32Type = 0x7f;
const f64Type = 0x7c;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

const vector = (items: readonly (readonly number[])[]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, bytes: readonly number[]): number[] => [id, ...unsignedLeb(bytes.length), ...bytes];
const name = (text: string): number[] => [...unsignedLeb(text.length), ...Array.from(text, (char) => char.charCodeAt(0))];
const get = (local: number): number[] => [opcode.localGet, local];
const set = (local: number): number[] => [opcode.localSet, local];
const i32 = (value: number): number[] => [opcode.i32Const, ...signedLeb(value)];
const loadI32 = (offset: number): number[] => [opcode.i32Load, 2, ...unsignedLeb(offset)];
const loadF64 = (offset: number): number[] => [opcode.f64Load, 3, ...unsignedLeb(offset)];
const storeF64 = (offset: number): number[] => [opcode.f64Store, 3, ...unsignedLeb(offset)];
/** `block { loop { <body> br 0 } }`: the body leaves with `br_if 1`. */
const loop = (body: readonly number[]): number[] => [opcode.block, emptyBlockType, opcode.loop, emptyBlockType, ...body, opcode.br, 0, opcode.end, opcode.end];

// Parameters: tree table address, tree count, row count, output address. Then locals.
const treeTable = 0;
const treeCount = 1;
const rowCount = 2;
const output = 3;
const tree = 4;
const root = 5;
const depth = 6;
const row = 7;
const stepsLeft = 8;
const rowBytes = 9;
const moved = 10;
const next = 11;
const firstLane = 12;
const x = firstLane + wasmLanes;
const lane = (index: number): number => firstLane + index;

/** One step of one lane: node = child chosen by the node's test on the lane's row; `moved` notes whether it changed. */
function laneStep(index: number): number[] {
  const node = lane(index);
  return [
    ...get(node), ...loadI32(8), ...get(rowBytes), opcode.i32Add, ...loadF64(8 * index), ...set(x),
    ...get(node),
    ...get(x), ...get(node), ...loadF64(0), opcode.f64Gt,
    ...get(x), ...get(node), ...loadF64(0), opcode.f64Le, ...i32(1), opcode.i32Xor,
    ...get(node), ...loadI32(12), opcode.select,
    ...i32(2), opcode.i32Shl, opcode.i32Add, ...loadI32(16), opcode.localTee, next,
    ...get(node), opcode.i32Ne, ...get(moved), opcode.i32Or, ...set(moved),
    ...get(next), ...set(node),
  ];
}

function laneSum(index: number): number[] {
  return [
    ...get(output), ...get(rowBytes), opcode.i32Add,
    ...get(output), ...get(rowBytes), opcode.i32Add, ...loadF64(8 * index), ...get(lane(index)), ...loadF64(24), opcode.f64Add,
    ...storeF64(8 * index),
  ];
}

function scoreFunctionBody(): number[] {
  const lanes = Array.from({ length: wasmLanes }, (_, index) => index);
  // Stops after the tree's depth, or sooner once a step moved no lane: then all eight sit at leaves.
  const walk = loop([
    ...get(stepsLeft), opcode.i32Eqz, opcode.brIf, 1,
    ...i32(0), ...set(moved),
    ...lanes.flatMap(laneStep),
    ...get(moved), opcode.i32Eqz, opcode.brIf, 1,
    ...get(stepsLeft), ...i32(1), opcode.i32Sub, ...set(stepsLeft),
  ]);
  const rows = loop([
    ...get(row), ...get(rowCount), opcode.i32GeS, opcode.brIf, 1,
    ...get(row), ...i32(3), opcode.i32Shl, ...set(rowBytes),
    ...lanes.flatMap((index) => [...get(root), ...set(lane(index))]),
    ...get(depth), ...set(stepsLeft),
    ...walk,
    ...lanes.flatMap(laneSum),
    ...get(row), ...i32(wasmLanes), opcode.i32Add, ...set(row),
  ]);
  const trees = loop([
    ...get(tree), ...get(treeCount), opcode.i32GeS, opcode.brIf, 1,
    ...get(treeTable), ...get(tree), ...i32(3), opcode.i32Shl, opcode.i32Add, ...set(lane(0)),
    ...get(lane(0)), ...loadI32(0), ...set(root), ...get(lane(0)), ...loadI32(4), ...set(depth),
    ...i32(0), ...set(row),
    ...rows,
    ...get(tree), ...i32(1), opcode.i32Add, ...set(tree),
  ]);
  const locals = vector([[...unsignedLeb(x - tree), i32Type], [1, f64Type]]);
  const body = [...locals, ...i32(0), ...set(tree), ...trees, opcode.end];
  return [...unsignedLeb(body.length), ...body];
}

/** The module: exports `memory` (one page to start) and `score(treeTable, treeCount, rows, output)`. */
export function wasmKernelBytes(): Uint8Array {
  const scoreType = [0x60, ...vector([[i32Type], [i32Type], [i32Type], [i32Type]]), 0];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([scoreType])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...name('score'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vector([scoreFunctionBody()])),
  ]);
}

function treeDepth(tree: FlatTree, node = 0): number {
  if ((tree.splitFeature[node] ?? -1) < 0) return 0;
  return 1 + Math.max(treeDepth(tree, tree.left[node] ?? 0), treeDepth(tree, tree.right[node] ?? 0));
}

/**
 * The tree table and nodes of `trees` (numeric splits only) as the bytes at the start of the
 * kernel's memory; `blockStart` is where the block will sit and `blockRows` its rows per column.
 */
export function wasmTreeImage(trees: readonly FlatTree[], blockStart: number, blockRows: number): Uint8Array {
  const nodesStart = 8 * trees.length;
  const nodeCount = trees.reduce((sum, flat) => sum + flat.splitFeature.length, 0);
  const image = new DataView(new ArrayBuffer(nodesStart + wasmNodeBytes * nodeCount));
  let base = 0;
  trees.forEach((flat, index) => {
    const address = (node: number) => nodesStart + wasmNodeBytes * (base + node);
    image.setInt32(8 * index, address(0), true);
    image.setInt32(8 * index + 4, treeDepth(flat), true);
    for (let node = 0; node < flat.splitFeature.length; node += 1) {
      const at = address(node);
      const feature = flat.splitFeature[node] ?? -1;
      const leaf = feature < 0;
      image.setFloat64(at, leaf ? Number.POSITIVE_INFINITY : (flat.threshold[node] ?? 0), true);
      image.setInt32(at + 8, blockStart + (leaf ? 0 : feature * blockRows * 8), true);
      image.setInt32(at + 12, leaf || flat.missingGoesLeft[node] === 1 ? 1 : 0, true);
      image.setInt32(at + 16, leaf ? at : address(flat.left[node] ?? 0), true);
      image.setInt32(at + 20, leaf ? at : address(flat.right[node] ?? 0), true);
      image.setFloat64(at + 24, leaf ? (flat.value[node] ?? 0) : 0, true);
    }
    base += flat.splitFeature.length;
  });
  return new Uint8Array(image.buffer);
}
