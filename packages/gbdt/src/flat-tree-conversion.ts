import type { BinMapper } from './binning.js';
import type { FlatTree } from './tree-model.js';
import type { BinTree } from './tree-grower.js';

/**
 * Turns a bin-space tree into the model's raw-unit FlatTree. A numeric split at bin b becomes
 * "x <= upperBounds[b]"; a split that sends every present value left (b = last bin, missing
 * right) gets threshold +Infinity. A categorical split becomes the bitset of the category codes
 * of its left bins; the other bin never goes left, so pooled and unseen codes go right.
 */
export function toFlatTree(tree: BinTree, mappers: readonly BinMapper[]): FlatTree {
  const n = tree.nodeCount;
  const threshold = new Float64Array(n);
  const missingGoesLeft = new Uint8Array(n);
  const categoryOffset = new Int32Array(n).fill(-1);
  const categoryWords = new Int32Array(n);
  const bits: number[] = [];
  for (let node = 0; node < n; node++) {
    const split = tree.splits[node];
    if (split === null || split === undefined) continue;
    missingGoesLeft[node] = split.missingGoesLeft ? 1 : 0;
    const mapper = mappers[split.feature];
    if (mapper === undefined) continue;
    if (!split.categorical) {
      threshold[node] = mapper.upperBounds[split.bin] ?? Number.POSITIVE_INFINITY;
      continue;
    }
    const words = categoryBitset(split.goLeft, mapper);
    categoryOffset[node] = bits.length;
    categoryWords[node] = words.length;
    bits.push(...words);
  }
  return {
    splitFeature: tree.splitFeature.slice(),
    threshold,
    missingGoesLeft,
    categoryOffset,
    categoryWords,
    categoryBits: Uint32Array.from(bits),
    left: tree.left.slice(),
    right: tree.right.slice(),
    value: tree.value.slice(),
    cover: tree.cover.slice(),
  };
}

function categoryBitset(goLeft: Uint8Array, mapper: BinMapper): number[] {
  const codes: number[] = [];
  mapper.binCategory.forEach((code, bin) => {
    if (goLeft[bin] === 1) codes.push(code);
  });
  const largest = codes.reduce((a, b) => Math.max(a, b), -1);
  const words = new Array<number>(largest < 0 ? 0 : (largest >>> 5) + 1).fill(0);
  for (const code of codes) words[code >>> 5] = ((words[code >>> 5] ?? 0) | (1 << (code & 31))) >>> 0;
  return words;
}
