import { describe, expect, it } from 'vitest';
import { ascendingOrder, descendingOrder } from './score-order.js';
import { seededRandom } from './test-support/seeded-random.js';

/** The obvious version: a comparator sort of row indices, NaN last (in row order), ties by row order. */
function naiveOrder(scores: Float64Array, direction: 1 | -1, secondary?: Float64Array): number[] {
  return Array.from(scores.keys()).sort((a, b) => {
    const x = scores[a] ?? 0;
    const y = scores[b] ?? 0;
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    if (Number.isNaN(x)) return a - b;
    if (x !== y && !Number.isNaN(x)) return direction * (x < y ? -1 : 1);
    const tie = secondary === undefined ? 0 : (secondary[b] ?? 0) - (secondary[a] ?? 0);
    return tie !== 0 ? tie : a - b;
  });
}

describe('score order', () => {
  const random = seededRandom(51);
  const scores = Float64Array.from({ length: 3000 }, () => {
    const u = random.uniform();
    if (u < 0.05) return Number.NaN;
    if (u < 0.07) return u < 0.06 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    if (u < 0.09) return u < 0.08 ? -0 : 0;
    return Math.floor(random.uniform() * 50) / 7 - 3;
  });

  it('orders by score with ties in row order and NaN last, both ways', () => {
    expect(Array.from(descendingOrder(scores))).toEqual(naiveOrder(scores, -1));
    expect(Array.from(ascendingOrder(scores))).toEqual(naiveOrder(scores, 1));
  });

  it('breaks ties by a secondary key, highest first, before row order', () => {
    const secondary = Float64Array.from({ length: scores.length }, () => Math.floor(random.uniform() * 3));
    expect(Array.from(descendingOrder(scores, secondary))).toEqual(naiveOrder(scores, -1, secondary));
  });

  it('handles empty and all-missing input', () => {
    expect(Array.from(descendingOrder(new Float64Array()))).toEqual([]);
    expect(Array.from(descendingOrder(Float64Array.of(Number.NaN, Number.NaN)))).toEqual([0, 1]);
  });
});
