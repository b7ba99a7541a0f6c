import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinMapper } from './binning.js';
import { findBestSplit, type SplitParams } from './split-finder.js';

const params: SplitParams = { lambdaL2: 0, minSamplesLeaf: 1, minHessianLeaf: 1e-3, minGainToSplit: 0, catSmooth: 0, catL2: 0 };

interface Bin {
  g: number;
  h: number;
  c: number;
}

const binArbitrary = fc.record({
  g: fc.double({ min: -10, max: 10, noNaN: true }),
  h: fc.double({ min: 0.1, max: 5, noNaN: true }),
  c: fc.integer({ min: 0, max: 6 }),
});

/** A feature's histogram: bins with no rows hold zeros. */
function histogramOf(bins: readonly Bin[]): Float64Array {
  return Float64Array.from(bins.flatMap((bin) => (bin.c === 0 ? [0, 0, 0] : [bin.g, bin.h, bin.c])));
}

function categoricalMapper(binCount: number): BinMapper {
  return {
    kind: 'categorical',
    binCount,
    upperBounds: new Float64Array(0),
    binCategory: Int32Array.from({ length: binCount - 1 }, (_, bin) => bin),
    categoryBin: Int32Array.from({ length: binCount - 1 }, (_, bin) => bin),
  };
}

function score(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

/** Best gain over every left set of non-empty bins, the other bin (second to last) always right. */
function bruteForceCategorical(bins: readonly Bin[], lambda: number, minRows: number): number {
  const otherBin = bins.length - 2;
  const eligible = bins.map((bin, index) => ({ ...bin, index })).filter((bin) => bin.c > 0 && bin.index !== otherBin);
  const total = bins.reduce((sum, bin) => ({ g: sum.g + (bin.c > 0 ? bin.g : 0), h: sum.h + (bin.c > 0 ? bin.h : 0), c: sum.c + bin.c }), { g: 0, h: 0, c: 0 });
  let best = 0;
  for (let mask = 1; mask < 1 << eligible.length; mask++) {
    const left = eligible.filter((_, k) => (mask >> k) & 1).reduce((sum, bin) => ({ g: sum.g + bin.g, h: sum.h + bin.h, c: sum.c + bin.c }), { g: 0, h: 0, c: 0 });
    const right = { g: total.g - left.g, h: total.h - left.h, c: total.c - left.c };
    if (left.c < minRows || right.c < minRows) continue;
    best = Math.max(best, score(left.g, left.h, lambda) + score(right.g, right.h, lambda) - score(total.g, total.h, lambda));
  }
  return best;
}

describe('categorical split finding', () => {
  it('finds the best partition of all, with the other bin always right (catSmooth = catL2 = 0)', () => {
    fc.assert(
      fc.property(fc.array(binArbitrary, { minLength: 3, maxLength: 9 }), (bins) => {
        const binCount = bins.length - 1;
        const histogram = histogramOf(bins);
        const split = findBestSplit(histogram, { offsets: Int32Array.of(0), slotCount: bins.length }, [categoricalMapper(binCount)], Int32Array.of(0), params);
        const expected = bruteForceCategorical(bins, 0, 1);
        if (split === null) {
          expect(expected).toBeLessThanOrEqual(1e-9);
          return;
        }
        expect(split.gain).toBeCloseTo(expected, 9);
        expect(split.goLeft[binCount - 1]).toBe(0);
        const leftRows = bins.reduce((sum, bin, index) => sum + (split.goLeft[index] === 1 ? bin.c : 0), 0);
        expect(leftRows).toBe(split.left.count);
      }),
      { numRuns: 300 },
    );
  });

  it('applies catL2 to the gain and catSmooth to the ordering only', () => {
    const bins: Bin[] = [
      { g: -4, h: 2, c: 2 },
      { g: 3, h: 1, c: 1 },
      { g: 1, h: 3, c: 3 },
      { g: 0, h: 0, c: 0 },
      { g: 0.5, h: 1, c: 1 },
    ];
    const histogram = histogramOf(bins);
    const layout = { offsets: Int32Array.of(0), slotCount: bins.length };
    const mapper = [categoricalMapper(bins.length - 1)];
    const withL2 = findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, catL2: 2 });
    expect(withL2?.gain).toBeCloseTo(bruteForceCategorical(bins, 2, 1), 9);
    expect(withL2?.gain).toBeLessThan(findBestSplit(histogram, layout, mapper, Int32Array.of(0), params)?.gain ?? 0);
    // Smoothing reorders the categories (bins 2 and 4 swap places); the split it picks still adds up its left bins.
    const smoothed = findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, catSmooth: 10 });
    const left = bins.reduce((sum, bin, index) => sum + (smoothed?.goLeft[index] === 1 ? bin.g : 0), 0);
    expect(smoothed?.left.gradient).toBeCloseTo(left, 12);
    // Like LightGBM, only partitions contiguous in the sorted order are tried: with 3 rows per side required, none is.
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minSamplesLeaf: 2 })?.left.count).toBe(2);
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minSamplesLeaf: 3 })).toBeNull();
  });
});

describe('numeric split finding', () => {
  it('respects minimum gain, rows and hessian per child', () => {
    const bins: Bin[] = [
      { g: -3, h: 1, c: 5 },
      { g: -1, h: 1, c: 5 },
      { g: 2, h: 1, c: 5 },
      { g: 4, h: 0.5, c: 1 },
      { g: 0, h: 0, c: 0 },
    ];
    const histogram = histogramOf(bins);
    const layout = { offsets: Int32Array.of(0), slotCount: bins.length };
    const mapper: BinMapper[] = [{ kind: 'numeric', binCount: 4, upperBounds: Float64Array.of(1, 2, 3, Number.POSITIVE_INFINITY), binCategory: new Int32Array(0), categoryBin: new Int32Array(0) }];
    const free = findBestSplit(histogram, layout, mapper, Int32Array.of(0), params);
    // G = 2, H = 3.5. Gains after bin 0, 1, 2: 9 + 10 - 8/7, 8 + 24 - 8/7 and 4/3 + 32 - 8/7.
    expect(free?.bin).toBe(2);
    expect(free?.gain).toBeCloseTo(4 / 3 + 32 - 8 / 7, 12);
    expect(free?.missingGoesLeft).toBe(true);
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minGainToSplit: 32.2 })).toBeNull();
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minSamplesLeaf: 6 })?.bin).toBe(1);
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minSamplesLeaf: 7 })).toBeNull();
    expect(findBestSplit(histogram, layout, mapper, Int32Array.of(0), { ...params, minHessianLeaf: 0.6 })?.bin).toBe(1);
  });
});
