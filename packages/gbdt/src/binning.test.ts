import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, defaultBinningOptions, fitBinMappers, radixSort, thresholdBetween, type BinningOptions } from './binning.js';
import type { FeatureMatrix } from './tree-model.js';

function numericMatrix(...columns: number[][]): FeatureMatrix {
  return {
    rowCount: columns[0]?.length ?? 0,
    features: columns.map((_, index) => ({ name: `x${String(index)}`, kind: 'numeric' as const })),
    columns: columns.map((column) => Float64Array.from(column)),
  };
}

function categoricalMatrix(codes: number[]): FeatureMatrix {
  return { rowCount: codes.length, features: [{ name: 'c', kind: 'categorical' }], columns: [Float64Array.from(codes)] };
}

const options = (overrides: Partial<BinningOptions> = {}): BinningOptions => ({ ...defaultBinningOptions, ...overrides });
const valueArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }) },
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

describe('numeric binning', () => {
  it('keeps bins within maxBins, bounds increasing, and x <= bound[b] exactly when bin(x) <= b', () => {
    fc.assert(
      fc.property(fc.array(valueArbitrary, { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 255 }), (values, maxBins) => {
        const matrix = numericMatrix(values);
        const [mapper] = fitBinMappers(matrix, options({ maxBins }));
        if (mapper === undefined) throw new Error('no mapper');
        const bins = binMatrix(matrix, [mapper]).columns[0] ?? new Uint8Array(0);
        expect(mapper.binCount).toBeLessThanOrEqual(maxBins);
        expect(mapper.upperBounds.at(-1)).toBe(Number.POSITIVE_INFINITY);
        for (let b = 1; b < mapper.binCount; b++) expect(mapper.upperBounds[b]).toBeGreaterThan(mapper.upperBounds[b - 1] ?? 0);
        values.forEach((x, row) => {
          const bin = bins[row] ?? -1;
          if (Number.isNaN(x)) {
            expect(bin).toBe(mapper.binCount);
            return;
          }
          expect(bin).toBeLessThan(mapper.binCount);
          for (let b = 0; b < mapper.binCount; b++) expect(x <= (mapper.upperBounds[b] ?? 0)).toBe(bin <= b);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives every distinct value its own bin when they fit', () => {
    const [mapper] = fitBinMappers(numericMatrix([3, 1, 2, 2, 1, 3, 10]), options());
    expect(mapper?.binCount).toBe(4);
    expect([...(mapper?.upperBounds ?? [])]).toEqual([1.5, 2.5, 6.5, Number.POSITIVE_INFINITY]);
  });

  it('makes roughly equal-frequency bins when values outnumber bins', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const matrix = numericMatrix(values);
    const [mapper] = fitBinMappers(matrix, options({ maxBins: 10 }));
    const bins = binMatrix(matrix, mapper === undefined ? [] : [mapper]).columns[0] ?? new Uint8Array(0);
    const counts = new Array<number>(11).fill(0);
    for (const bin of bins) counts[bin] = (counts[bin] ?? 0) + 1;
    expect(mapper?.binCount).toBe(10);
    for (const count of counts.slice(0, 10)) expect(Math.abs(count - 1000)).toBeLessThanOrEqual(2);
  });

  it('gives a value that fills a share of the rows on its own a bin of its own', () => {
    const values = [...Array.from({ length: 500 }, (_, i) => i), ...new Array<number>(500).fill(1000), ...Array.from({ length: 500 }, (_, i) => 2000 + i)];
    const matrix = numericMatrix(values);
    const [mapper] = fitBinMappers(matrix, options({ maxBins: 8 }));
    const bins = binMatrix(matrix, mapper === undefined ? [] : [mapper]).columns[0] ?? new Uint8Array(0);
    const heavyBin = bins[500] ?? -1;
    expect(bins.filter((bin) => bin === heavyBin).length).toBe(500);
  });

  it('puts a constant feature in a single bin and missing values in their own', () => {
    const [constant, withMissing, allMissing] = fitBinMappers(numericMatrix([4, 4, 4, 4], [4, Number.NaN, 4, 4], [Number.NaN, Number.NaN, Number.NaN, Number.NaN]), options());
    expect(constant?.binCount).toBe(1);
    expect(withMissing?.binCount).toBe(1);
    expect(allMissing?.binCount).toBe(1);
    const matrix = numericMatrix([4, Number.NaN, 4, 4]);
    expect([...(binMatrix(matrix, withMissing === undefined ? [] : [withMissing]).columns[0] ?? [])]).toEqual([0, 1, 0, 0]);
  });

  it('maps infinities to the extreme bins with finite thresholds next to them', () => {
    const matrix = numericMatrix([Number.NEGATIVE_INFINITY, -1, 0, 1, Number.POSITIVE_INFINITY]);
    const [mapper] = fitBinMappers(matrix, options());
    expect([...(mapper?.upperBounds ?? [])]).toEqual([Number.NEGATIVE_INFINITY, -0.5, 0.5, 1, Number.POSITIVE_INFINITY]);
    expect([...(binMatrix(matrix, mapper === undefined ? [] : [mapper]).columns[0] ?? [])]).toEqual([0, 1, 2, 3, 4]);
  });

  it('samples rows for quantiles deterministically under the seed', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1000);
    const matrix = numericMatrix(values);
    const fit = (seed: number): Float64Array => fitBinMappers(matrix, options({ maxBins: 16, sampleSize: 500, seed }))[0]?.upperBounds ?? new Float64Array(0);
    expect(fit(1)).toEqual(fit(1));
    expect(fit(1)).not.toEqual(fit(2));
  });

  it('rejects maxBins outside 2..255 and columns of the wrong length', () => {
    expect(() => fitBinMappers(numericMatrix([1, 2]), options({ maxBins: 256 }))).toThrow(/maxBins/);
    const matrix: FeatureMatrix = { rowCount: 3, features: [{ name: 'x', kind: 'numeric' }], columns: [Float64Array.of(1, 2)] };
    expect(() => fitBinMappers(matrix, options())).toThrow(/rowCount/);
  });
});

describe('thresholdBetween', () => {
  it('separates any two ordered values, infinities included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (x, y) => {
        fc.pre(x !== y);
        const [a, b] = x < y ? [x, y] : [y, x];
        const t = thresholdBetween(a, b);
        expect(a <= t && t < b).toBe(true);
      }),
    );
  });
});

describe('categorical binning', () => {
  it('gives frequent codes a bin each and pools rare and unseen codes into the other bin', () => {
    const codes = [...new Array<number>(10).fill(7), ...new Array<number>(6).fill(2), 0, 0, 5, Number.NaN];
    const [mapper] = fitBinMappers(categoricalMatrix(codes), options({ minCategoryCount: 3 }));
    if (mapper === undefined) throw new Error('no mapper');
    expect([...mapper.binCategory]).toEqual([7, 2]);
    expect(mapper.binCount).toBe(3);
    const bins = binMatrix(categoricalMatrix([7, 2, 0, 5, 99, Number.NaN]), [mapper]).columns[0];
    expect([...(bins ?? [])]).toEqual([0, 1, 2, 2, 2, 3]);
  });

  it('keeps at most maxBins - 1 categories', () => {
    const codes = Array.from({ length: 3000 }, (_, i) => i % 300);
    const [mapper] = fitBinMappers(categoricalMatrix(codes), options({ minCategoryCount: 1 }));
    expect(mapper?.binCategory.length).toBe(254);
    expect(mapper?.binCount).toBe(255);
  });

  it('rejects codes that are not non-negative integers', () => {
    expect(() => fitBinMappers(categoricalMatrix([0, 1.5]), options())).toThrow(/categorical feature "c".*1\.5/);
    expect(() => fitBinMappers(categoricalMatrix([0, -1]), options())).toThrow(/integer codes/);
    expect(() => fitBinMappers(categoricalMatrix([0, Number.POSITIVE_INFINITY]), options())).toThrow(/integer codes/);
  });
});

describe('radixSort', () => {
  it('sorts like a numeric comparison sort, infinities and signed zeros included', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 3000 }), (values) => {
        const input = Float64Array.from(values);
        const sorted = radixSort(input);
        const expected = Float64Array.from(values).sort();
        expect(sorted.length).toBe(expected.length);
        sorted.forEach((value, i) => {
          expect(value === expected[i]).toBe(true);
        });
        expect(input).toEqual(Float64Array.from(values));
      }),
      { numRuns: 60 },
    );
  });
});
